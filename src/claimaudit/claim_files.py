"""The claim files ``check`` writes -- ``claims/claims.csv``, ``claims/claims.jsonl`` and the claims
of ``reports/report.json`` -- assembled from each document's rendered rows.

A document's rows are a function of its claims, so they are cached beside them (``RenderedCache``,
same key): a re-check after one edit renders that document's rows and copies the others' bytes,
never decoding them. The files are the documents' rows in path order, which is the claims table's
order (source, start, aspect, id). ``claimaudit.table`` builds the same rows into a pandas table for
``claimaudit claims``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from claimaudit.claimset import documents_of
from claimaudit.records import Claim, Quantity
from claimaudit.report.json_report import claim_elements

COLUMNS = (
    "id", "source", "line", "column", "start", "end", "subject", "aspect", "predicate", "object", "polarity",
    "certainty", "evidence", "scope", "quantities", "attribution", "heading", "block", "cues", "terms", "text",
)
PARTS = ("csv", "jsonl", "json")  # what each document's cached rows hold, in this order
Chunk = bytes | memoryview


def _quantity(q: Quantity) -> str:
    span = f"{q.low:g}" if q.low == q.high else f"{q.low:g}-{q.high:g}"
    comp = "" if q.comparator in ("=", "range") else q.comparator
    return f"{q.role or q.dimension}: {comp}{span} {q.unit}".strip()


def table_row(c: Claim) -> tuple[Any, ...]:
    """The claim as a row of the claims table (``COLUMNS``): flat values, lists joined."""
    return (
        c.id, c.source, c.line, c.column, c.start, c.end, c.subject, c.aspect, c.predicate, c.object, c.polarity,
        c.certainty, c.evidence,
        "; ".join(f"{k}={v}" for k, v in sorted(c.scope.items())),
        "; ".join(_quantity(q) for q in c.quantities),
        c.attribution, c.heading, c.block,
        " ".join(sorted({cue.rule_id for cue in c.cues})),
        "; ".join(c.terms),
        " ".join(c.quote.split()),
    )


# What a spreadsheet reads a cell starting with as a formula (OWASP, "CSV injection").
FORMULA_STARTS = frozenset("=+-@\t\r")


def formula_safe(value: Any) -> Any:
    """``value``, with an apostrophe before a text that a spreadsheet would run as a formula: quotes
    come from the sources, which anyone may have written (``=HYPERLINK(...)``). Numbers are kept."""
    return "'" + value if isinstance(value, str) and value[:1] in FORMULA_STARTS else value


def csv_text(rows: Iterable[Sequence[Any]], *, header: bool = True) -> str:
    """Rows as CSV (minimal quoting, LF line ends; None as an empty field; texts ``formula_safe``),
    under the column names."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow(COLUMNS)
    writer.writerows([formula_safe(v) for v in row] for row in rows)
    return out.getvalue()


def jsonl_text(rows: Iterable[Sequence[Any]]) -> str:
    """One JSON object per row and line; keys in column order, non-ASCII kept."""
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: json.dumps builds one per call
    return "".join([encode(dict(zip(COLUMNS, row))) + "\n" for row in rows])


def render_document(claims: Sequence[Claim]) -> tuple[bytes, bytes, bytes]:
    """One document's claims (in table order) as its part of each claim file (``PARTS``)."""
    rows = [table_row(c) for c in claims]
    return (
        csv_text(rows, header=False).encode("utf-8"),
        jsonl_text(rows).encode("utf-8"),
        claim_elements(claims).encode("utf-8"),
    )


@dataclass(slots=True)
class ClaimFiles:
    """The claim files as chunks to write one after the other."""

    csv: list[Chunk]  # the header, then each document's rows
    jsonl: list[Chunk]
    json: list[Chunk]  # each document's claims as elements of report.json's claims array

    def csv_bytes(self) -> bytes:
        return b"".join(self.csv)


class RowCache(Protocol):
    """Where each document's rows are kept (``claimaudit.cache.RenderedCache``)."""

    def get(self, path: str, sha256: str) -> Sequence[Chunk] | None: ...

    def put(self, path: str, sha256: str, parts: tuple[bytes, bytes, bytes]) -> None: ...


def claim_files(claims: Sequence[Claim], hashes: dict[str, str], cache: RowCache | None = None) -> ClaimFiles:
    """The claim files of ``claims`` (sorted by source, start, aspect, id), whose documents have the
    content hashes ``hashes`` (path -> sha256); rows are taken from and added to ``cache`` (a
    document whose rows it has is not decoded)."""
    files = ClaimFiles([csv_text((), header=True).encode("utf-8")], [], [])
    for source, decoded in documents_of(claims):
        sha256 = hashes.get(source)
        parts = cache.get(source, sha256) if cache is not None and sha256 is not None else None
        if parts is None:
            parts = render_document(decoded())
            if cache is not None and sha256 is not None:
                cache.put(source, sha256, parts)
        files.csv.append(parts[0])
        files.jsonl.append(parts[1])
        files.json.append(parts[2])
    return files
