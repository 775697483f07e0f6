"""Benchmark of claimaudit's negation and speculation (hedge) cue detection on BioScope.

Data: ``shared/datasets/bioscope/abstracts.xml`` beside the repository (or
``--data PATH``, e.g. ``.../full_papers.xml``), read in place, never copied.
Sentences are ``<sentence>`` elements; gold cues are ``<cue type="negation|speculation"
ref="...">`` elements, possibly nested in ``<xcope>``.  The parts of a discontinuous cue
("neither ... nor", "either ... or") share a ``ref`` and count as one gold cue.

Prediction: ``build_nlp()`` (blank English + sentencizer + claimaudit's rule components),
``nlp.pipe`` over the sentence texts; the spans of ``doc.spans["claimaudit_cues"]``:

    negation cue     = span labelled NEGATION
    speculation cue  = span labelled POSSIBLE, PROBABLE, UNSETTLED or UNKNOWN
    (PROVEN, PSEUDO, TERMINATE and EVIDENCE_* spans are not cues here)

Scoring, per cue type:
  cue level       a predicted cue is correct when its character span overlaps a gold cue
                  of the same type (precision over predicted cues); a gold cue is found when
                  a predicted cue of its type overlaps one of its parts (recall over gold cues)
  sentence level  the sentence has a cue of that type or not (P/R/F1 over sentences)

Split (``--split``): documents by their position in the file, even index = tuning half,
odd index = held-out half.  Tune rules on the even half only; the error listings
(most frequent false positives / false negatives, and ``--show``) come from the tuning
half.  Without ``--split`` everything is one set.

Run from the repository root:  python bench/bench_cues.py [--split] [--data PATH] [--rules] [--show WORD]
"""

from __future__ import annotations

import argparse
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from claimaudit.nlp.components.cues import SPAN_KEY  # noqa: E402
from claimaudit.nlp.pipeline import build_nlp  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "bioscope" / "abstracts.xml"
TYPE_OF_LABEL = {
    "NEGATION": "negation",
    "POSSIBLE": "speculation",
    "PROBABLE": "speculation",
    "UNSETTLED": "speculation",
    "UNKNOWN": "speculation",
}
TYPES = ("negation", "speculation")
TARGETS = {"negation": 0.90, "speculation": 0.80}


@dataclass
class GoldCue:
    type: str
    parts: list[tuple[int, int]] = field(default_factory=list)

    def text(self, sentence: str) -> str:
        return " ... ".join(sentence[a:b] for a, b in self.parts).lower()


@dataclass
class Sentence:
    doc_index: int
    sid: str
    text: str
    gold: list[GoldCue]


def _walk(elem: ET.Element, pos: int, cues: dict[tuple[str, str], GoldCue]) -> int:
    """Advance ``pos`` over the text inside ``elem`` (not its tail), recording cue spans."""
    start = pos
    if elem.text:
        pos += len(elem.text)
    for child in elem:
        pos = _walk(child, pos, cues)
        if child.tail:
            pos += len(child.tail)
    if elem.tag == "cue":
        key = (elem.get("ref") or f"@{start}", elem.get("type") or "")
        cues.setdefault(key, GoldCue(key[1])).parts.append((start, pos))
    return pos


def read_bioscope(path: Path) -> list[Sentence]:
    root = ET.parse(path).getroot()
    out = []
    for d, document in enumerate(root.iter("Document")):
        for s in document.iter("sentence"):
            text = "".join(s.itertext())
            cues: dict[tuple[str, str], GoldCue] = {}
            end = _walk(s, 0, cues)
            assert end == len(text), s.get("id")
            gold = [c for c in cues.values() if c.type in TYPES]
            out.append(Sentence(d, s.get("id") or "", text, gold))
    return out


@dataclass
class Pred:
    type: str
    start: int
    end: int
    text: str
    rule: str


def predict(sentences: list[Sentence]) -> tuple[list[list[Pred]], float]:
    nlp = build_nlp()
    t0 = time.perf_counter()
    preds = []
    for doc in nlp.pipe((s.text for s in sentences), batch_size=256):
        preds.append(
            [
                Pred(TYPE_OF_LABEL[sp.label_], sp.start_char, sp.end_char, sp.text.lower(), sp.id_)
                for sp in doc.spans[SPAN_KEY]
                if sp.label_ in TYPE_OF_LABEL
            ]
        )
    return preds, time.perf_counter() - t0


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class Score:
    tp_pred: int = 0
    n_pred: int = 0
    tp_gold: int = 0
    n_gold: int = 0
    # sentence level
    s_tp: int = 0
    s_fp: int = 0
    s_fn: int = 0
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    fp_examples: dict = field(default_factory=dict)
    fn_examples: dict = field(default_factory=dict)
    rule_tp: Counter = field(default_factory=Counter)
    rule_fp: Counter = field(default_factory=Counter)

    def cue_prf(self) -> tuple[float, float, float]:
        return prf(self.tp_pred, self.n_pred, self.tp_gold, self.n_gold)

    def sent_prf(self) -> tuple[float, float, float]:
        return prf(self.s_tp, self.s_tp + self.s_fp, self.s_tp, self.s_tp + self.s_fn)


def prf(tp_p: int, n_p: int, tp_g: int, n_g: int) -> tuple[float, float, float]:
    p = tp_p / n_p if n_p else 0.0
    r = tp_g / n_g if n_g else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(sentences: list[Sentence], preds: list[list[Pred]]) -> dict[str, Score]:
    scores = {t: Score() for t in TYPES}
    for sent, pred in zip(sentences, preds):
        for t in TYPES:
            sc = scores[t]
            gold = [g for g in sent.gold if g.type == t]
            mine = [p for p in pred if p.type == t]
            for p in mine:
                sc.n_pred += 1
                if any(_overlap((p.start, p.end), part) for g in gold for part in g.parts):
                    sc.tp_pred += 1
                    sc.rule_tp[p.rule] += 1
                else:
                    sc.rule_fp[p.rule] += 1
                    sc.fp[p.text] += 1
                    sc.fp_examples.setdefault(p.text, []).append(sent)
            for g in gold:
                sc.n_gold += 1
                if any(_overlap((p.start, p.end), part) for p in mine for part in g.parts):
                    sc.tp_gold += 1
                else:
                    word = g.text(sent.text)
                    sc.fn[word] += 1
                    sc.fn_examples.setdefault(word, []).append(sent)
            if gold and mine:
                sc.s_tp += 1
            elif mine:
                sc.s_fp += 1
            elif gold:
                sc.s_fn += 1
    return scores


def table(title: str, scores: dict[str, Score], n_sent: int) -> None:
    print(f"\n{title}  ({n_sent} sentences)")
    print(f"  {'type':<12} {'level':<9} {'P':>6} {'R':>6} {'F1':>6}   {'gold':>5} {'pred':>5}  target")
    for t in TYPES:
        sc = scores[t]
        p, r, f = sc.cue_prf()
        ok = "ok" if f >= TARGETS[t] else "below"
        print(f"  {t:<12} {'cue':<9} {p:6.3f} {r:6.3f} {f:6.3f}   {sc.n_gold:5d} {sc.n_pred:5d}  F1>={TARGETS[t]:.2f} {ok}")
        p, r, f = sc.sent_prf()
        print(f"  {'':<12} {'sentence':<9} {p:6.3f} {r:6.3f} {f:6.3f}   {sc.s_tp + sc.s_fn:5d} {sc.s_tp + sc.s_fp:5d}")


def errors(scores: dict[str, Score], top: int) -> None:
    for t in TYPES:
        sc = scores[t]
        print(f"\n  {t}: top {top} false positives (predicted, not gold)  |  false negatives (gold, missed)")
        fps, fns = sc.fp.most_common(top), sc.fn.most_common(top)
        for i in range(max(len(fps), len(fns))):
            a = f"{fps[i][1]:4d}  {fps[i][0]}" if i < len(fps) else ""
            b = f"{fns[i][1]:4d}  {fns[i][0]}" if i < len(fns) else ""
            print(f"    {a:<40} | {b}")


def rules(scores: dict[str, Score]) -> None:
    print("\n  per rule: correct / wrong predictions (precision)")
    for t in TYPES:
        sc = scores[t]
        for rule in sorted(set(sc.rule_tp) | set(sc.rule_fp), key=lambda r: -(sc.rule_tp[r] + sc.rule_fp[r])):
            tp, fp = sc.rule_tp[rule], sc.rule_fp[rule]
            print(f"    {t:<12} {rule:<34} {tp:5d} / {fp:<5d} ({tp / (tp + fp):.2f})")


def show(word: str, scores: dict[str, Score], limit: int) -> None:
    word = word.lower()
    for t in TYPES:
        for kind, examples in (("FP", scores[t].fp_examples), ("FN", scores[t].fn_examples)):
            for s in examples.get(word, [])[:limit]:
                print(f"  [{t} {kind} {s.sid}] {s.text}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="BioScope XML file (default: %(default)s)")
    ap.add_argument("--split", action="store_true", help="even documents = tuning half, odd = held-out half")
    ap.add_argument("--top", type=int, default=15, help="how many frequent errors to list")
    ap.add_argument("--show", action="append", default=[], help="print tuning-half sentences with this FP/FN cue")
    ap.add_argument("--rules", action="store_true", help="per-rule correct/wrong counts (tuning half)")
    ap.add_argument("--limit", type=int, default=8, help="examples per --show word")
    args = ap.parse_args(argv)
    if not args.data.is_file():
        print(f"skip: BioScope data not found at {args.data} (pass --data PATH)")
        return 0

    sentences = read_bioscope(args.data)
    preds, seconds = predict(sentences)
    n_docs = len({s.doc_index for s in sentences})
    print(f"BioScope cue benchmark: {args.data.name}, {n_docs} documents, {len(sentences)} sentences")
    print(f"speed: {len(sentences) / seconds:,.0f} sentences/s ({seconds:.1f} s, build_nlp + nlp.pipe batch_size=256)")
    print("mapping: negation = NEGATION; speculation = POSSIBLE, PROBABLE, UNSETTLED, UNKNOWN")

    if args.split:
        halves = {}
        for name, parity in (("tuning half (even documents)", 0), ("held-out half (odd documents)", 1)):
            idx = [i for i, s in enumerate(sentences) if s.doc_index % 2 == parity]
            halves[name] = (score([sentences[i] for i in idx], [preds[i] for i in idx]), len(idx))
        for name, (sc, n) in halves.items():
            table(name, sc, n)
        tuning = halves["tuning half (even documents)"][0]
        print("\nerrors on the tuning half only:")
    else:
        tuning = score(sentences, preds)
        table("all documents", tuning, len(sentences))
        print("\nerrors:")
    errors(tuning, args.top)
    if args.rules:
        rules(tuning)
    for word in args.show:
        print(f"\nexamples for {word!r}:")
        show(word, tuning, args.limit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
