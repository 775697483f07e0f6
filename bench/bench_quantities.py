"""Benchmark of claimaudit's quantity extractor on the quantulum3 test sentences.

Data: ``shared/datasets/quantulum3/quantities.json`` beside the repository (or
``--data PATH``): a list of ``{"req": sentence, "res": [{"value", "unit",
"surface", "uncertainty"?}, ...]}``.  It is read in place, never copied.  A range
is given as its midpoint ``value`` and half-width ``uncertainty``.

In scope (the rule): a gold quantity is in scope when its unit is one that
claimaudit normalizes -- a unit of ``claimaudit/data/units.yaml`` (time, mass,
dose, volume, percent; matched by canonical name or surface, plus quantulum's
names "percentage" and "pound-mass") or "dimensionless" (our bare counts, bare
fractions and calendar years).  Everything else (length, money, energy, data,
temperature, "dozen" as a unit, ...) is out of scope.

Scoring: a prediction matches a gold quantity of the same sentence when their
spans overlap, the units agree (count, fraction and calendar year all count as
"dimensionless") and the values agree: a point equals the gold value (relative
1e-6); a predicted range equals the gold range, or, when the gold is a point,
contains it ("the 1960s" vs 1960).  Recall is over in-scope gold quantities.
Precision is over predictions, leaving out those that overlap an out-of-scope
gold quantity (we do not model that unit, so no verdict).

Run from the repository root:  python bench/bench_quantities.py [--data PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from claimaudit.normalize.quantities import (  # noqa: E402
    COUNT,
    DATE,
    FRACTION_UNIT,
    extract_quantities,
    unit_table,
)
from claimaudit.records import Quantity  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "quantulum3" / "quantities.json"
DIMENSIONLESS = "dimensionless"
# quantulum3's names for units that our table spells differently.
GOLD_ALIASES = {"percentage": "percent", "pound-mass": "pound"}
TARGET = 0.85


@dataclass(frozen=True)
class Gold:
    sentence: int
    surface: str
    unit: str  # our unit key, or "" when out of scope
    gold_unit: str
    low: float
    high: float
    span: tuple[int, int] | None


def gold_unit_key(name: str) -> str:
    """Our unit key for a quantulum3 unit name, or "" when we do not model it."""
    if name == DIMENSIONLESS:
        return DIMENSIONLESS
    unit = unit_table().lookup(GOLD_ALIASES.get(name, name))
    return unit.name if unit else ""


def predicted_unit_key(q: Quantity) -> str:
    if q.dimension in (COUNT, DATE) or q.unit == FRACTION_UNIT:
        return DIMENSIONLESS
    return q.unit


def locate(sentence: str, surface: str, taken: set[tuple[int, int]]) -> tuple[int, int] | None:
    for haystack, needle in ((sentence, surface), (sentence.lower(), surface.lower())):
        start = haystack.find(needle)
        while start >= 0:
            span = (start, start + len(needle))
            if span not in taken:
                taken.add(span)
                return span
            start = haystack.find(needle, start + 1)
    return None


def read_gold(items: list[dict[str, Any]]) -> list[Gold]:
    golds = []
    for i, item in enumerate(items):
        taken: set[tuple[int, int]] = set()
        for res in item["res"]:
            value = float(res["value"])
            spread = float(res.get("uncertainty") or 0.0)
            golds.append(
                Gold(
                    i,
                    res["surface"],
                    gold_unit_key(res["unit"]),
                    res["unit"],
                    value - spread,
                    value + spread,
                    locate(item["req"], res["surface"], taken),
                )
            )
    return golds


def overlaps(span: tuple[int, int] | None, q: Quantity) -> bool:
    return span is None or (span[0] < q.end and q.start < span[1])


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def values_match(g: Gold, q: Quantity) -> bool:
    if close(g.low, q.low) and close(g.high, q.high):
        return True
    return g.low == g.high and q.low < q.high and q.low <= g.low <= q.high


def matches(g: Gold, q: Quantity) -> bool:
    return overlaps(g.span, q) and g.unit == predicted_unit_key(q) and values_match(g, q)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="quantities.json of quantulum3")
    parser.add_argument("--misses", type=int, default=25, help="how many misses to list")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"skip: {args.data} not found")
        return 0
    items = json.loads(args.data.read_text(encoding="utf-8"))
    golds = read_gold(items)

    started = time.perf_counter()
    predictions = [extract_quantities(item["req"]) for item in items]
    elapsed = time.perf_counter() - started

    tp = 0
    scored_predictions = 0
    misses: list[str] = []
    for i, item in enumerate(items):
        sentence_gold = [g for g in golds if g.sentence == i]
        in_scope = [g for g in sentence_gold if g.unit]
        out_of_scope = [g for g in sentence_gold if not g.unit]
        free = list(in_scope)
        for q in predictions[i]:
            if any(g.span is not None and overlaps(g.span, q) for g in out_of_scope):
                continue
            scored_predictions += 1
            hit = next((g for g in free if matches(g, q)), None)
            if hit is not None:
                free.remove(hit)
                tp += 1
            else:
                misses.append(f"  FP {q.surface!r} {q.low:g}-{q.high:g} {predicted_unit_key(q)}   | {item['req']}")
        for g in free:
            misses.append(f"  FN {g.surface!r} {g.low:g}-{g.high:g} {g.unit}   | {item['req']}")

    in_scope_total = sum(1 for g in golds if g.unit)
    precision = tp / scored_predictions if scored_predictions else 0.0
    recall = tp / in_scope_total if in_scope_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"data:        {args.data}")
    print(f"sentences:   {len(items)}  ({elapsed * 1000:.1f} ms)")
    print(f"items total: {len(golds)}")
    print(f"in scope:    {in_scope_total}")
    print(f"predictions: {scored_predictions} scored")
    print(f"value+unit   precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  (target {TARGET})")
    if misses:
        print(f"misses ({min(len(misses), args.misses)} of {len(misses)}):")
        print("\n".join(misses[: args.misses]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
