"""The claims table: one row per claim, flat columns, stable order (pandas)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pandas as pd

from claimaudit.records import Claim, Quantity

COLUMNS = [
    "id", "source", "line", "column", "start", "end", "subject", "aspect", "predicate", "object", "polarity",
    "certainty", "evidence", "scope", "quantities", "attribution", "heading", "block", "cues", "terms", "text",
]


def _quantity(q: Quantity) -> str:
    span = f"{q.low:g}" if q.low == q.high else f"{q.low:g}-{q.high:g}"
    comp = "" if q.comparator in ("=", "range") else q.comparator
    return f"{q.role or q.dimension}: {comp}{span} {q.unit}".strip()


def claims_frame(claims: Sequence[Claim]) -> pd.DataFrame:
    """Claims as a DataFrame sorted by source, offset, aspect, id."""
    rows = [
        {
            "id": c.id,
            "source": c.source,
            "line": c.line,
            "column": c.column,
            "start": c.start,
            "end": c.end,
            "subject": c.subject,
            "aspect": c.aspect,
            "predicate": c.predicate,
            "object": c.object,
            "polarity": c.polarity,
            "certainty": c.certainty,
            "evidence": c.evidence,
            "scope": "; ".join(f"{k}={v}" for k, v in sorted(c.scope.items())),
            "quantities": "; ".join(_quantity(q) for q in c.quantities),
            "attribution": c.attribution,
            "heading": c.heading,
            "block": c.block,
            "cues": " ".join(sorted({cue.rule_id for cue in c.cues})),
            "terms": "; ".join(c.terms),
            "text": " ".join(c.quote.split()),
        }
        for c in claims
    ]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values(["source", "start", "aspect", "id"], kind="stable").reset_index(drop=True)


def to_csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def to_jsonl(frame: pd.DataFrame) -> str:
    """One JSON object per line; keys in column order, non-ASCII kept."""
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: json.dumps builds one per call
    columns = list(frame.columns)
    # column lists (Python scalars) zipped into rows: 3x faster than to_dict(orient="records")
    rows = zip(*(frame[c].tolist() for c in columns))
    return "".join([encode(dict(zip(columns, row))) + "\n" for row in rows])


def filter_frame(
    frame: pd.DataFrame, *, subject: str | None = None, aspect: str | None = None, source: str | None = None
) -> pd.DataFrame:
    """Rows whose subject/aspect equal the value (case-insensitive) and whose source contains it."""
    mask = pd.Series(True, index=frame.index)
    if subject:
        mask &= frame["subject"].str.lower() == subject.lower()
    if aspect:
        mask &= frame["aspect"].str.lower() == aspect.lower()
    if source:
        mask &= frame["source"].str.contains(source, regex=False)
    return frame[mask]
