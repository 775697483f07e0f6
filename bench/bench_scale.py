"""Speed and scale benchmark of a whole claimaudit run (a script that prints figures, not a test).

Corpus: the BioScope abstracts (``shared/datasets/bioscope/abstracts.xml`` beside the repository,
or ``--data PATH``), one ``.txt`` per abstract (title, blank line, the abstract's sentences), plus
the sample articles of ``sources/``.  Round 0 holds every document once; larger corpora add
rounds of copies in which the sentence order of each abstract (the paragraph order of each
article) is shuffled with ``random.Random(seed)``, so the text stays real but no two files are
byte-identical.  Copies still repeat the same sentences, so they share blocking keys with their
originals: blocks (and candidate pairs) grow with the number of copies, which is a property of
this corpus, not of all-pairs comparison.  The corpora are written to a temporary folder, removed
afterwards unless ``--keep``; nothing is copied into the repository.

For each size, every measurement runs in a fresh subprocess (``--worker``) so that its peak memory
(``ru_maxrss``) is its own, and times exclude interpreter start and imports:

* floor  -- read every file, spacy.blank("en") + sentencizer, nlp.pipe(batch_size=64);
* cold   -- run_audit(..., jobs=--jobs, cache_dir=None), with the time split into extraction
            (up to the last document's progress tick) and comparison (the rest);
* jobs 2 -- the same with jobs=2 (``--compare-jobs``);
* warm   -- run_audit with a cache folder: once to fill it, then one file is edited (a sentence
            appended) and the re-run is timed against the cold run.
The smallest size also checks that a corrupt or foreign cache is ignored and rebuilt.

With ``--cli``, each size is also checked the way CI does it: ``python -m claimaudit check
--exit-zero`` in a fresh process, timed from outside (interpreter start, imports, the audit, the
claims table and the reports written), once with an empty cache, then ``CLI_REPEATS`` times after
editing one more file each time, then as many times with nothing changed (re-checks are reported as
median and range, and the median is judged), and once more with nothing changed and ``--format html``
(its time and the size of ``report.html``: the HTML report must grow with the claims, not faster).

Targets (from the issue): words/s of a single-process run >= 0.5 x the floor's; time grows close
to linearly (4x the documents in <= 4.8x the time); peak memory < 1.5 GB per 1 million words;
warm re-run after editing one file < 5% of a cold run; --jobs N uses N processes.

Run from the repository root:
    python bench/bench_scale.py [--sizes 500,1000,2000,4000] [--jobs 1] [--compare-jobs] [--cli] [--data PATH] [--keep]
"""

from __future__ import annotations

import argparse
import compileall
import importlib
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from statistics import median
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

DEFAULT_DATA = REPO.parent / "shared" / "datasets" / "bioscope" / "abstracts.xml"
SAMPLES = REPO / "sources"
DEFAULT_SIZES = "500,1000,2000,4000"
EDIT = "\nIn a follow-up cohort, the reported response rate was 42% after 12 weeks.\n"
# An edit that adds a learned term: the corpus-wide vocabulary is part of the cache's engine key.
EDIT_ABBREVIATION = "\nSerum zinc quotient index (SZQI) values were recorded for every patient.\n"

RATIO_TARGET = 0.5
GROWTH_TARGET = 4.8
MEMORY_TARGET_MB = 1500.0
WARM_TARGET = 0.05
CLI_REPEATS = 3  # timed re-checks of `claimaudit check` per size (with --cli)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- corpus -------------------------------------------------------------------------------------


def read_abstracts(path: Path) -> list[tuple[str, str, list[str]]]:
    """(PMID, title, abstract sentences) per <Document>; sentence text with the markup removed."""
    out = []
    for document in ET.parse(path).getroot().iter("Document"):
        pmid = (document.findtext("DocID") or str(len(out))).strip()
        title: list[str] = []
        body: list[str] = []
        for part in document.iter("DocumentPart"):
            sentences = [" ".join("".join(s.itertext()).split()) for s in part.iter("sentence")]
            (title if part.get("type") == "Title" else body).extend(s for s in sentences if s)
        if title or body:
            out.append((pmid, " ".join(title), body))
    return out


def base_documents(data: Path) -> list[tuple[str, str, list[str]]]:
    """Round 0: (stem, head, units) -- an abstract's title and sentences, or an article's paragraphs;
    the articles are spread evenly among the abstracts so every size holds some."""
    docs = [(f"bioscope-{pmid}", title, sentences) for pmid, title, sentences in read_abstracts(data)]
    articles = sorted(SAMPLES.glob("*.txt"))
    for k, path in enumerate(articles):
        paragraphs = [p for p in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")) if p.strip()]
        at = (k * len(docs)) // max(1, len(articles)) + k
        docs.insert(at, (f"article-{path.stem}", "", paragraphs))
    return docs


def render(stem: str, head: str, units: list[str], copy: int, index: int) -> tuple[str, str]:
    """File name and text of copy ``copy`` of one document (copy 0 is the original order)."""
    if copy:
        units = list(units)
        random.Random(copy * 1_000_003 + index).shuffle(units)
    if stem.startswith("article-"):
        text = "\n\n".join(u.strip("\n") for u in units) + "\n"
    else:
        text = (head + "\n\n" if head else "") + " ".join(units) + "\n"
    return (f"{stem}.txt" if copy == 0 else f"{stem}-copy{copy}.txt"), text


def build_corpus(base: list[tuple[str, str, list[str]]], size: int, folder: Path) -> tuple[int, int]:
    """Write ``size`` documents to ``folder``; returns (words, byte-identical duplicates)."""
    folder.mkdir(parents=True)
    words = 0
    seen: set[str] = set()
    duplicates = 0
    for n in range(size):
        copy, index = divmod(n, len(base))
        name, text = render(*base[index], copy, index)
        if text in seen:
            duplicates += 1
        seen.add(text)
        (folder / name).write_text(text, encoding="utf-8")
        words += len(text.split())
    return words, duplicates


# --- worker (runs in a fresh subprocess) ---------------------------------------------------------


class _CountingPool:
    """Wraps ProcessPoolExecutor to record how many worker processes a run started."""

    seen: set[int] = set()

    def __init__(self, *args, **kwargs):
        from concurrent.futures import ProcessPoolExecutor

        self._pool = ProcessPoolExecutor(*args, **kwargs)

    def __enter__(self):
        self._pool.__enter__()
        return self

    def __exit__(self, *exc):
        _CountingPool.seen.update((self._pool._processes or {}).keys())
        return self._pool.__exit__(*exc)

    def map(self, *args, **kwargs):
        result = self._pool.map(*args, **kwargs)
        _CountingPool.seen.update((self._pool._processes or {}).keys())
        return result


def worker(mode: str, folder: Path, jobs: int, cache: Path | None, src: Path | None) -> dict:
    if src is not None:
        sys.path.insert(0, str(src))  # the engine snapshot taken when the bench started
    out: dict = {"mode": mode, "jobs": jobs}
    if mode == "floor":
        import spacy

        t0 = time.perf_counter()
        texts = [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.txt"))]
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        sentences = 0
        for doc in nlp.pipe(texts, batch_size=64):
            sentences += sum(1 for _ in doc.sents)
        out.update(seconds=time.perf_counter() - t0, sentences=sentences, docs=len(texts))
    else:
        import claimaudit.audit as audit
        importlib.import_module("claimaudit.engine")  # spaCy: run_audit imports it only to read; the audit columns time no imports
        from claimaudit.normalize.terms import load_vocabulary

        audit.ProcessPoolExecutor = _CountingPool  # instrumentation only: counts worker processes
        vocabulary = load_vocabulary(None)
        ticks = [0, 0.0]
        stamps: list[float] = []  # time of each progress tick

        def progress(n: int) -> None:
            ticks[0] += n
            ticks[1] = time.perf_counter()
            stamps.extend([ticks[1]] * n)

        t0 = time.perf_counter()
        result = audit.run_audit([str(folder)], vocabulary=vocabulary, jobs=jobs, cache_dir=cache, root=folder, progress=progress)
        t1 = time.perf_counter()
        out.update(
            engine=str(Path(audit.__file__).parent),
            seconds=t1 - t0,
            extract_seconds=(ticks[1] or t1) - t0,
            prepare_seconds=(stamps[0] if stamps else t1) - t0,  # read, learn terms, cache look-ups, first document
            second_half_share=(stamps[-1] - stamps[len(stamps) // 2]) / max(1e-9, stamps[-1] - stamps[0]) if stamps else 0.0,
            compare_seconds=t1 - (ticks[1] or t1),
            docs=len(result.sources),
            claims=result.claim_count,
            candidate_pairs=result.findings.candidate_pairs,
            conflicts=len(result.findings.conflicts),
            cached=result.cached,
            warnings=len(result.warnings),
            worker_processes=len(_CountingPool.seen),
        )
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["children_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return out


SNAPSHOT: Path | None = None  # copy of src/ taken at start, so edits made meanwhile do not change the engine


def snapshot_engine(tmp: Path) -> Path:
    """Copy the package's code and data once: every run measures the same engine (and the cache's
    engine key, which hashes the package files, does not change if someone edits src/ meanwhile)."""
    target = tmp / "engine-src"
    shutil.copytree(REPO / "src" / "claimaudit", target / "claimaudit", ignore=shutil.ignore_patterns("__pycache__"))
    # compiled as pip compiles an installed package: with PYTHONDONTWRITEBYTECODE set (as on some CI
    # machines and here), every timed `claimaudit check` would otherwise compile its modules anew
    compileall.compile_dir(str(target), quiet=1)
    return target


def measure(mode: str, folder: Path, jobs: int = 1, cache: Path | None = None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", mode, "--dir", str(folder), "--jobs", str(jobs)]
    if SNAPSHOT is not None:
        cmd += ["--src", str(SNAPSHOT)]
    if cache is not None:
        cmd += ["--cache", str(cache)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=str(folder))
    if done.returncode != 0:
        raise SystemExit(f"worker {mode} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_cli(folder: Path, work: Path, *options: str) -> dict:
    """Wall time of ``claimaudit check [options]`` over ``folder`` run from ``work`` (its cache, claims/
    and reports/ are written there), in a fresh interpreter running the engine snapshot."""
    work.mkdir(exist_ok=True)
    if not (work / "sources").exists():
        (work / "sources").symlink_to(folder, target_is_directory=True)
    env = dict(os.environ)
    if SNAPSHOT is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SNAPSHOT), env.get("PYTHONPATH", "")]))
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "claimaudit", "check", "--exit-zero", *options], capture_output=True, text=True, cwd=str(work), env=env)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"claimaudit check failed:\n{done.stderr[-4000:]}")
    return {"seconds": seconds}


def _runs(seconds: list[float]) -> str:
    """'2.31 [2.20-2.87]': the median and the range of repeated runs."""
    return f"{median(seconds):.2f} [{min(seconds):.2f}-{max(seconds):.2f}]"


def corrupt_cache(cache: Path) -> int:
    """Make every cache file corrupt or foreign: each line of a claims pack gets its last byte changed
    (its checksum no longer matches); other files become garbage bytes or valid JSON of a foreign
    format."""
    files = sorted(p for p in cache.rglob("*") if p.is_file())
    for n, path in enumerate(files):
        if path.name.startswith("claims-"):
            head, *lines = path.read_bytes().split(b"\n")
            path.write_bytes(b"\n".join([head, *(line[:-1] + b"#" if line else line for line in lines)]))
        elif n % 2:
            path.write_bytes(b"\x00\xffnot json{")
        else:
            path.write_text(json.dumps({"format": 1, "key": "someone-else", "claims": [{"x": 1}], "suppressed": []}))
    return len(files)


# --- report -------------------------------------------------------------------------------------


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).rjust(w) for c, w in zip(r, widths))  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default=DEFAULT_SIZES, help="comma-separated document counts (e.g. 500,1000,2000,4000,10000)")
    ap.add_argument("--jobs", type=int, default=1, help="processes for the main claimaudit row")
    ap.add_argument("--compare-jobs", action="store_true", help="also run every size with --jobs 2")
    ap.add_argument("--no-warm", action="store_true", help="skip the cache (warm re-run) measurement")
    ap.add_argument("--cli", action="store_true", help="also time 'claimaudit check' end to end, cold and after one edit")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--keep", action="store_true", help="keep the generated corpora (path printed)")
    ap.add_argument("--worker", choices=("floor", "audit"), help=argparse.SUPPRESS)
    ap.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--src", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--live-src", action="store_true", help="run the working tree's src/ instead of a snapshot taken at start")
    args = ap.parse_args()

    if args.worker:
        print(json.dumps(worker(args.worker, args.dir, args.jobs, args.cache, args.src)))
        return 0
    if not args.data.is_file():
        print(f"skipped: {args.data} not found (pass --data PATH)")
        return 0

    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    base = base_documents(args.data)
    log(f"round 0: {len(base)} documents ({sum(1 for s, *_ in base if s.startswith('bioscope-'))} abstracts + articles)")
    tmp = Path(tempfile.mkdtemp(prefix="claimaudit-bench-"))
    rows: dict[int, dict] = {}
    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    try:
        global SNAPSHOT
        if not args.live_src:
            SNAPSHOT = snapshot_engine(tmp)
            log(f"engine snapshot: {SNAPSHOT}")
        for size in sizes:
            folder = tmp / f"corpus-{size}"
            words, duplicates = build_corpus(base, size, folder)
            row: dict = {"size": size, "words": words, "duplicates": duplicates, "copies": (size - 1) // len(base)}
            log(f"[{size}] {words:,} words, copy rounds {row['copies']}; floor ...")
            row["floor"] = measure("floor", folder)
            log(f"[{size}] floor {row['floor']['seconds']:.1f}s; claimaudit cold jobs={args.jobs} ...")
            row["cold"] = measure("audit", folder, args.jobs)
            log(f"[{size}] cold {row['cold']['seconds']:.1f}s")
            if args.compare_jobs and args.jobs != 2:
                row["jobs2"] = measure("audit", folder, 2)
                log(f"[{size}] jobs=2 {row['jobs2']['seconds']:.1f}s")
            if not args.no_warm:
                cache = tmp / f"cache-{size}"
                row["fill"] = measure("audit", folder, args.jobs, cache)
                edited = sorted(folder.glob("*.txt"))[size // 2]
                with edited.open("a", encoding="utf-8") as fh:
                    fh.write(EDIT)
                row["warm"] = measure("audit", folder, args.jobs, cache)
                log(f"[{size}] fill {row['fill']['seconds']:.1f}s, warm after editing one file {row['warm']['seconds']:.2f}s "
                    f"({row['warm']['cached']} of {row['warm']['docs']} from cache)")
                if size == sizes[0]:
                    entries = corrupt_cache(cache)
                    again = measure("audit", folder, args.jobs, cache)
                    rebuilt = measure("audit", folder, args.jobs, cache)
                    row["corrupt"] = {
                        "entries": entries,
                        "cached_after_corruption": again["cached"],
                        "claims_match": again["claims"] == row["warm"]["claims"] and again["conflicts"] == row["warm"]["conflicts"],
                        "cached_after_rebuild": rebuilt["cached"],
                    }
                    log(f"[{size}] corrupt cache: {row['corrupt']}")
                    other = sorted(folder.glob("*.txt"))[size // 3]
                    with other.open("a", encoding="utf-8") as fh:
                        fh.write(EDIT_ABBREVIATION)
                    row["warm_abbreviation"] = measure("audit", folder, args.jobs, cache)
                    log(f"[{size}] warm after an edit that defines an abbreviation: {row['warm_abbreviation']['seconds']:.2f}s "
                        f"({row['warm_abbreviation']['cached']} of {size} from cache)")
            if args.cli:
                work = tmp / f"cli-{size}"
                row["cli_cold"] = measure_cli(folder, work)
                # Re-checks vary with the VM (and with the write-back of the cold run's cache files):
                # each is timed CLI_REPEATS times, each time after editing another document, and the
                # median is judged. The runs with nothing changed follow.
                files = sorted(folder.glob("*.txt"))
                warm, same = [], []
                for n in range(CLI_REPEATS):
                    with files[size // 4 + n].open("a", encoding="utf-8") as fh:
                        fh.write(EDIT)
                    warm.append(measure_cli(folder, work)["seconds"])
                for n in range(CLI_REPEATS):
                    same.append(measure_cli(folder, work)["seconds"])
                row["cli_warm"], row["cli_same"] = {"runs": warm}, {"runs": same}
                # the HTML report too (the CI example writes it): its time beyond a plain re-check, its size
                html = measure_cli(folder, work, "--format", "html")
                row["cli_html"] = {"seconds": html["seconds"], "mb": (work / "reports" / "report.html").stat().st_size / 1e6}
                log(f"[{size}] claimaudit check: cold {row['cli_cold']['seconds']:.1f}s, after one edit {_runs(warm)}, "
                    f"nothing changed {_runs(same)}, with --format html {html['seconds']:.1f}s ({row['cli_html']['mb']:.0f} MB)")
            rows[size] = row
        report(rows, args)
        print(f"\nbench wall time {time.perf_counter() - started:.0f}s; 1-minute load average {load_start:.1f} at start, "
              f"{os.getloadavg()[0]:.1f} at end on {os.cpu_count()} CPUs (other processes inflate the times)")
        print(f"engine: {'snapshot of src/ taken at start' if SNAPSHOT else 'live src/'}")
    finally:
        if args.keep:
            print(f"corpora kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


def report(rows: dict[int, dict], args: argparse.Namespace) -> None:
    header = ["docs", "words", "floor s", "floor w/s", "ca s", "prep s", "extract s", "compare s", "docs/s", "words/s",
              "ratio", "claims", "cand pairs", "conflicts", "peak MB", "warm s", "warm %"]
    out = []
    for size, r in rows.items():
        c, f = r["cold"], r["floor"]
        warm = r.get("warm")
        out.append([
            size, f"{r['words']:,}", f"{f['seconds']:.1f}", f"{r['words'] / f['seconds']:,.0f}",
            f"{c['seconds']:.1f}", f"{c['prepare_seconds']:.1f}", f"{c['extract_seconds'] - c['prepare_seconds']:.1f}",
            f"{c['compare_seconds']:.1f}",
            f"{size / c['seconds']:.0f}", f"{r['words'] / c['seconds']:,.0f}",
            f"{f['seconds'] / c['seconds']:.2f}", f"{c['claims']:,}", f"{c['candidate_pairs']:,}",
            f"{c['conflicts']:,}", f"{c['peak_mb'] + c['children_peak_mb']:.0f}",
            f"{warm['seconds']:.2f}" if warm else "-", f"{100 * warm['seconds'] / c['seconds']:.1f}" if warm else "-",
        ])
    print(f"\nclaimaudit end to end, jobs={args.jobs} (ratio = claimaudit words/s / floor words/s; "
          "copy rounds repeat real sentences, shuffled)")
    print(table(out, header))
    print("prep = read + learn terms (+ cache look-ups) until the first document is done; extract = per-document "
          "claims; compare = conflict finding and the rest")
    print("share of extraction time spent on the second half of the documents (0.50 = steady per-document cost): "
          + ", ".join(f"{s}: {r['cold']['second_half_share']:.2f}" for s, r in rows.items()))
    if any("warm" in r for r in rows.values()):
        print("warm re-run split (prep / extract / compare s): " + ", ".join(
            f"{s}: {r['warm']['prepare_seconds']:.2f} / {r['warm']['extract_seconds'] - r['warm']['prepare_seconds']:.2f} / "
            f"{r['warm']['compare_seconds']:.2f}" for s, r in rows.items() if "warm" in r))
    print("floor peak MB: " + ", ".join(f"{s}: {r['floor']['peak_mb']:.0f}" for s, r in rows.items()))
    if any("fill" in r for r in rows.values()):
        print("cache fill run (cold + writing the cache) s: " + ", ".join(
            f"{s}: {r['fill']['seconds']:.1f}" for s, r in rows.items() if "fill" in r))
    if any("jobs2" in r for r in rows.values()):
        j = [[s, f"{r['cold']['seconds']:.1f}", f"{r['jobs2']['seconds']:.1f}",
              f"{r['cold']['seconds'] / r['jobs2']['seconds']:.2f}x", r["jobs2"]["worker_processes"],
              f"{r['jobs2']['extract_seconds']:.1f}", f"{r['jobs2']['peak_mb']:.0f}+{r['jobs2']['children_peak_mb']:.0f}",
              r["jobs2"]["claims"] == r["cold"]["claims"] and r["jobs2"]["conflicts"] == r["cold"]["conflicts"]]
             for s, r in rows.items() if "jobs2" in r]
        print("\n--jobs 2")
        print(table(j, ["docs", f"jobs={args.jobs} s", "jobs=2 s", "speed-up", "workers", "extract s", "peak MB (parent+child)", "same result"]))

    if any("cli_cold" in r for r in rows.values()):
        c = [[s, f"{r['cli_cold']['seconds']:.1f}", _runs(r["cli_warm"]["runs"]),
              f"{100 * median(r['cli_warm']['runs']) / r['cli_cold']['seconds']:.1f}", _runs(r["cli_same"]["runs"]),
              f"{r['cli_html']['seconds']:.1f}", f"{r['cli_html']['mb']:.1f}"]
             for s, r in rows.items() if "cli_cold" in r]
        print(f"\nclaimaudit check, end to end (fresh interpreter: imports, audit, claims table, reports; re-checks: "
              f"median [min-max] of {CLI_REPEATS} runs, % = median / cold)")
        print(table(c, ["docs", "cold s", "after 1 edit s", "%", "nothing changed s", "with --format html s", "report.html MB"]))

    print("\ntargets")
    cold = {s: r["cold"] for s, r in rows.items()}
    ratios = [rows[s]["floor"]["seconds"] / c["seconds"] for s, c in cold.items()]
    if args.jobs == 1:
        print(f"  throughput >= {RATIO_TARGET} x floor (single process): worst ratio {min(ratios):.2f}  {verdict(min(ratios) >= RATIO_TARGET)}")
    growth = [(a, b, cold[b]["seconds"] / cold[a]["seconds"], cold[b]["candidate_pairs"] / max(1, cold[a]["candidate_pairs"]))
              for a in cold for b in cold if b == 4 * a]
    for a, b, g, p in growth:
        print(f"  growth {a} -> {b} docs: time x{g:.2f} (target <= {GROWTH_TARGET}), candidate pairs x{p:.2f}  {verdict(g <= GROWTH_TARGET)}")
    if not growth:
        print("  growth: no two sizes 4x apart")
    sizes = sorted(cold)
    mem = {s: cold[s]["peak_mb"] + cold[s]["children_peak_mb"] for s in sizes}
    if len(sizes) >= 2:
        a, b = sizes[-2], sizes[-1]
        slope = (mem[b] - mem[a]) / (rows[b]["words"] - rows[a]["words"])  # MB per word
        per_million = mem[b] + slope * (1_000_000 - rows[b]["words"])
        print(f"  peak memory at 1M words (fit through {a} and {b} docs): {per_million:.0f} MB "
              f"(marginal {slope * 1e6:.0f} MB per 1M words) target < {MEMORY_TARGET_MB:.0f}  {verdict(per_million < MEMORY_TARGET_MB)}")
    for s in sizes:
        if rows[s]["words"] >= 1_000_000:
            print(f"  measured peak at {s} docs ({rows[s]['words']:,} words): {mem[s]:.0f} MB "
                  f"= {mem[s] / rows[s]['words'] * 1e6:.0f} MB per 1M words  {verdict(mem[s] / rows[s]['words'] * 1e6 < MEMORY_TARGET_MB)}")
    warm = [(s, rows[s]["warm"]["seconds"] / cold[s]["seconds"], rows[s]["warm"]["cached"]) for s in sizes if "warm" in rows[s]]
    for s, share, cached in warm:
        why = "" if cached else " -- nothing reused: the engine key changed"
        print(f"  warm re-run after editing 1 of {s}: {100 * share:.1f}% of cold ({cached} cached{why}) target < 5%  {verdict(share < WARM_TARGET)}")
    for s in sizes:
        if "cli_cold" in rows[s]:
            share = median(rows[s]["cli_warm"]["runs"]) / rows[s]["cli_cold"]["seconds"]
            print(f"  claimaudit check after editing 1 of {s}, end to end (median of {CLI_REPEATS}): {100 * share:.1f}% of its cold run "
                  f"target < 5%  {verdict(share < WARM_TARGET)}")
    for s in sizes:
        w = rows[s].get("warm_abbreviation")
        if w:
            print(f"  (info) warm re-run after an edit that defines a new abbreviation, {s} docs: {w['seconds']:.2f}s = "
                  f"{100 * w['seconds'] / cold[s]['seconds']:.1f}% of cold, {w['cached']} of {s} reused")
    for s in sizes:
        k = rows[s].get("corrupt")
        if k:
            ok = k["cached_after_corruption"] == 0 and k["claims_match"] and k["cached_after_rebuild"] == s
            print(f"  corrupt/foreign cache ({k['entries']} files) ignored and rebuilt: cached after corruption "
                  f"{k['cached_after_corruption']}, same result {k['claims_match']}, cached after rebuild {k['cached_after_rebuild']}  {verdict(ok)}")
    for s, r in rows.items():
        if "jobs2" in r:
            n = r["jobs2"]["worker_processes"]
            print(f"  --jobs 2 at {s} docs uses {n} worker processes  {verdict(n == 2)}")
    if any(r["duplicates"] for r in rows.values()):
        print("  note: byte-identical documents (abstracts too short for a shuffle to change them): "
              + ", ".join(f"{s}: {r['duplicates']}" for s, r in rows.items()))


if __name__ == "__main__":
    sys.exit(main())
