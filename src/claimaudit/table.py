"""The claims table: one row per claim, flat columns, stable order (pandas), for ``claimaudit claims``.
Its rows and their CSV and JSON Lines forms are those of the claim files (``claimaudit.claim_files``)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from claimaudit.claim_files import COLUMNS, csv_text, jsonl_text, table_row
from claimaudit.records import Claim


def claims_frame(claims: Sequence[Claim]) -> pd.DataFrame:
    """Claims as a DataFrame sorted by source, offset, aspect, id."""
    frame = pd.DataFrame([table_row(c) for c in claims], columns=list(COLUMNS))
    return frame.sort_values(["source", "start", "aspect", "id"], kind="stable").reset_index(drop=True)


def to_csv(frame: pd.DataFrame) -> str:
    return csv_text(frame.itertuples(index=False, name=None))


def to_jsonl(frame: pd.DataFrame) -> str:
    """One JSON object per line; keys in column order, non-ASCII kept."""
    return jsonl_text(frame.itertuples(index=False, name=None))


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
