"""Benchmark of claimaudit's negation scope (NegEx/ConText style) on the NegEx test kit.

Data: ``shared/datasets/negex/Annotations-1-120.txt`` beside the repository (or
``--data PATH``), read in place, never copied: tab-separated rows of
(report number, concept, sentence, Affirmed|Negated) from de-identified discharge summaries.

Prediction, per row: run ``build_nlp()`` on the sentence (``nlp.pipe``, batch_size 256),
locate the concept in it (case-insensitive, any run of whitespace between its words; when it
occurs more than once, the occurrence written in capitals -- the kit capitalizes the target --
else the first), take the tokens covering it and the spaCy sentence holding them, and predict
Negated when ``negating_cue(start, end, negation_scopes(sent, cues))`` returns a cue, where
``cues`` are the ``claimaudit_cues`` spans of that sentence.  Rows whose concept cannot be
found are skipped and counted.

Figures: accuracy; precision/recall/F1 for the Negated class; confusion counts; the most
common error patterns: for false positives the cue that negated; for false negatives either
the negation cue present whose scope missed the concept (and why), or, when the sentence has
no negation cue, the two words before the concept.

Split (``--split``): whole reports, deterministic and balanced: reports in file order, each to
the half that has fewer rows so far (ties to the tuning half).  Tune on the tuning half only;
error patterns and ``--show`` examples come from the tuning half.

Run from the repository root:  python bench/bench_negex.py [--split] [--data PATH] [--show PATTERN]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from claimaudit.nlp.components.cues import SPAN_KEY  # noqa: E402
from claimaudit.nlp.pipeline import build_nlp  # noqa: E402
from claimaudit.normalize.negation import (  # noqa: E402
    MAX_SCOPE,
    SCOPE_BREAKS,
    negating_cue,
    negation_scopes,
)

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "negex" / "Annotations-1-120.txt"
TARGET = 0.90


@dataclass
class Row:
    report: int
    concept: str
    sentence: str
    gold: bool  # True = Negated


@dataclass
class Result:
    row: Row
    found: bool
    pred: bool = False
    pattern: str = ""


def read_rows(path: Path) -> list[Row]:
    rows = []
    with path.open(newline="", encoding="utf-8") as fh:
        for rec in csv.reader(fh, delimiter="\t"):
            if len(rec) < 4 or not rec[0].strip().isdigit():
                continue  # header or blank line
            rows.append(Row(int(rec[0]), rec[1].strip(), rec[2], rec[3].strip().lower() == "negated"))
    return rows


def locate(concept: str, sentence: str) -> tuple[int, int] | None:
    words = concept.split()
    if not words:
        return None
    rx = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", re.IGNORECASE)
    hits = list(rx.finditer(sentence)) or list(re.finditer(r"\s+".join(map(re.escape, words)), sentence, re.I))
    if not hits:
        return None
    capital = [m for m in hits if m.group(0).isupper()]
    m = (capital or hits)[0]
    return m.start(), m.end()


def split_reports(rows: list[Row]) -> set[int]:
    """Report numbers of the tuning half (see the module docstring)."""
    sizes = Counter(r.report for r in rows)
    tuning: set[int] = set()
    n_tune = n_held = 0
    for report in dict.fromkeys(r.report for r in rows):
        if n_tune <= n_held:
            tuning.add(report)
            n_tune += sizes[report]
        else:
            n_held += sizes[report]
    return tuning


def _why_missed(doc, sent, cue, start: int, end: int, terminators: set[int]) -> str:
    """Why the scope of a forward/backward cue does not reach the concept."""
    if cue.start >= end:
        return "cue after concept"
    gap = range(cue.end, start)
    for i in gap:
        if i in terminators:
            return f"terminated by '{doc[i].lower_}'"
        if doc[i].text in SCOPE_BREAKS:
            return f"break at '{doc[i].text}'"
    if start - cue.end >= MAX_SCOPE:
        return f"beyond MAX_SCOPE ({start - cue.end} tokens)"
    return "backward cue before concept"


def run(rows: list[Row]) -> tuple[list[Result], float]:
    nlp = build_nlp()
    t0 = time.perf_counter()
    results = []
    for row, doc in zip(rows, nlp.pipe((r.sentence for r in rows), batch_size=256)):
        where = locate(row.concept, row.sentence)
        span = doc.char_span(*where, alignment_mode="expand") if where else None
        if span is None or not len(span):
            results.append(Result(row, False))
            continue
        sent = span[0].sent
        cues = [c for c in doc.spans[SPAN_KEY] if sent.start <= c.start < sent.end]
        scopes = negation_scopes(sent, cues)
        cue = negating_cue(span.start, span.end, scopes)
        res = Result(row, True, cue is not None)
        if res.pred and not row.gold:
            inside = " (cue inside the concept)" if span.start <= cue.start < span.end else ""
            res.pattern = f"negated by '{cue.text.lower()}' ({cue.id_}){inside}"
        elif row.gold and not res.pred:
            negs = [c for c in cues if c.label_ == "NEGATION"]
            if negs:
                terminators = {c.start for c in cues if c.label_ == "TERMINATE"}
                c = min(negs, key=lambda c: abs(c.start - span.start))
                res.pattern = f"'{c.text.lower()}' in sentence: {_why_missed(doc, sent, c, span.start, span.end, terminators)}"
            else:
                other = [c for c in cues if sent.start <= c.start < span.start and c.label_ != "TERMINATE"]
                before = " ".join(t.lower_ for t in doc[max(sent.start, span.start - 2) : span.start])
                tag = f" [{other[-1].label_} '{other[-1].text.lower()}']" if other else ""
                res.pattern = f"no negation cue; before concept: '{before}'{tag}"
        results.append(res)
    return results, time.perf_counter() - t0


def figures(results: list[Result]) -> dict:
    used = [r for r in results if r.found]
    tp = sum(r.pred and r.row.gold for r in used)
    fp = sum(r.pred and not r.row.gold for r in used)
    fn = sum(not r.pred and r.row.gold for r in used)
    tn = sum(not r.pred and not r.row.gold for r in used)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "rows": len(results), "skipped": len(results) - len(used), "tp": tp, "fp": fp, "fn": fn, "tn": tn,
        "acc": (tp + tn) / len(used) if used else 0.0, "p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
    }


def table(title: str, f: dict) -> None:
    ok = "ok" if f["acc"] >= TARGET else "below"
    print(f"\n{title}  ({f['rows']} rows, {f['skipped']} skipped: concept not found)")
    print(f"  accuracy {f['acc']:.3f}  (target >= {TARGET:.2f}: {ok})")
    print(f"  Negated   P {f['p']:.3f}   R {f['r']:.3f}   F1 {f['f1']:.3f}")
    print(f"  counts    TP {f['tp']:4d}   FP {f['fp']:4d}   FN {f['fn']:4d}   TN {f['tn']:4d}")


def errors(results: list[Result], top: int) -> None:
    fp = Counter(r.pattern for r in results if r.found and r.pred and not r.row.gold)
    fn = Counter(r.pattern for r in results if r.found and r.row.gold and not r.pred)
    print(f"\n  false positives (predicted Negated, gold Affirmed): top {top}")
    for pat, n in fp.most_common(top):
        print(f"    {n:4d}  {pat}")
    print(f"\n  false negatives (gold Negated, predicted Affirmed): top {top}")
    for pat, n in fn.most_common(top):
        print(f"    {n:4d}  {pat}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="NegEx annotation file (default: %(default)s)")
    ap.add_argument("--split", action="store_true", help="whole reports, balanced: tuning half / held-out half")
    ap.add_argument("--top", type=int, default=15, help="how many error patterns to list")
    ap.add_argument("--show", action="append", default=[], help="print tuning-half errors whose pattern contains this")
    ap.add_argument("--limit", type=int, default=8, help="examples per --show pattern")
    args = ap.parse_args(argv)
    if not args.data.is_file():
        print(f"skip: NegEx data not found at {args.data} (pass --data PATH)")
        return 0

    rows = read_rows(args.data)
    results, seconds = run(rows)
    print(f"NegEx concept negation benchmark: {args.data.name}, {len(rows)} rows")
    print(f"speed: {len(rows) / seconds:,.0f} rows/s ({seconds:.1f} s)")
    if args.split:
        tune_reports = split_reports(rows)
        tuning = [r for r in results if r.row.report in tune_reports]
        held = [r for r in results if r.row.report not in tune_reports]
        table("tuning half", figures(tuning))
        table("held-out half", figures(held))
        print("\nerror patterns on the tuning half only:")
    else:
        tuning = results
        table("all rows", figures(results))
        print("\nerror patterns:")
    errors(tuning, args.top)
    for pat in args.show:
        print(f"\nexamples for {pat!r}:")
        shown = [r for r in tuning if r.found and r.pred != r.row.gold and pat in r.pattern][: args.limit]
        for r in shown:
            gold = "Negated" if r.row.gold else "Affirmed"
            print(f"  [{gold}] {r.row.concept!r}: {' '.join(r.row.sentence.split())[-300:]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
