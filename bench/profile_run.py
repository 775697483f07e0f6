"""Profile one claimaudit run with cProfile and print where the time goes (guides optimization).

The corpus is the one of ``bench_scale.py`` (BioScope abstracts + sample articles, shuffled copies
beyond the first round), written to a temporary folder and removed afterwards unless ``--keep``.
With ``--dir`` it profiles an existing folder instead.  The run is single-process (cProfile does
not follow worker processes) and without cache; with ``--warm`` a cache (in the temporary folder)
is filled by an unprofiled run, one document is edited (a sentence appended) and the re-run is
profiled -- the incremental CI case.

Run from the repository root:
    python bench/profile_run.py [--docs 1000] [--warm] [--top 25] [--data PATH] [--dir FOLDER] [--save out.prof] [--keep]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from bench_scale import DEFAULT_DATA, EDIT, base_documents, build_corpus, snapshot_engine  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=1000, help="documents in the generated corpus")
    ap.add_argument("--dir", type=Path, help="profile this folder instead of a generated corpus")
    ap.add_argument("--warm", action="store_true", help="profile a cached re-run after editing one document")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--save", type=Path, help="also write the raw profile (for snakeviz / pstats)")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--live-src", action="store_true", help="import src/ itself, not a snapshot copied at start")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="claimaudit-profile-"))
    if not args.live_src:
        # A snapshot, so that edits to src/ during the run change neither the code measured nor the
        # cache's engine key (which hashes the package files) between the fill and the re-run.
        sys.path.insert(0, str(snapshot_engine(tmp)))
    from claimaudit.audit import run_audit
    from claimaudit.normalize.terms import load_vocabulary

    if args.dir:
        folder = args.dir
    else:
        if not args.data.is_file():
            print(f"skipped: {args.data} not found (pass --data PATH)")
            return 0
        folder = tmp / f"corpus-{args.docs}"
        words, _ = build_corpus(base_documents(args.data), args.docs, folder)
        print(f"corpus: {args.docs} documents, {words:,} words in {folder}", file=sys.stderr)
    try:
        vocabulary = load_vocabulary(None)
        cache = None
        if args.warm:
            cache = tmp / "cache"
            t0 = time.perf_counter()
            run_audit([str(folder)], vocabulary=vocabulary, jobs=1, cache_dir=cache, root=folder)
            print(f"cache filled in {time.perf_counter() - t0:.1f}s (not profiled)", file=sys.stderr)
            if args.dir:
                print("note: --warm with --dir edits nothing (the folder is not ours); profiling an unchanged re-run", file=sys.stderr)
            else:
                edited = sorted(folder.glob("*.txt"))[args.docs // 2]
                with edited.open("a", encoding="utf-8") as fh:
                    fh.write(EDIT)
        profiler = cProfile.Profile()
        t0 = time.perf_counter()
        profiler.enable()
        result = run_audit([str(folder)], vocabulary=vocabulary, jobs=1, cache_dir=cache, root=folder)
        profiler.disable()
        seconds = time.perf_counter() - t0
        print(f"run: {seconds:.1f}s (under the profiler), {len(result.sources)} documents, {result.claim_count:,} claims, "
              f"{result.findings.candidate_pairs:,} candidate pairs, {len(result.findings.conflicts):,} conflicts, "
              f"{result.cached} documents from cache")
        if args.save:
            profiler.dump_stats(str(args.save))
        for order, title in (("cumulative", "cumulative time"), ("tottime", "own (total) time")):
            print(f"\n=== top {args.top} by {title} ===")
            stats = pstats.Stats(profiler, stream=sys.stdout)
            stats.strip_dirs().sort_stats(order).print_stats(args.top)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"corpus and cache kept in {tmp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
