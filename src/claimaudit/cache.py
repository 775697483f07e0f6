"""On-disk cache of each document's claims, keyed by content hash, engine version and vocabulary, and
of each document's term summary (what it adds to the learned vocabulary), keyed by content hash and
engine version.

Entries are JSON (never pickle): a foreign or corrupt entry can at worst be ignored, never executed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import fields
from pathlib import Path
from typing import Any

from claimaudit.engine import DocumentClaims
from claimaudit.fileio import atomic_write_text
from claimaudit.normalize.terms import TermSummary, summarize_terms
from claimaudit.records import Claim, Cue, Quantity

FORMAT = 3  # records as arrays in field order (decoding is 3x faster than objects with keys); no
# source in claims (the entry's document) and no quote where it equals the text: a third smaller
_CLAIM_FIELDS = [f.name for f in fields(Claim)]
_QUANTITY_FIELDS = [f.name for f in fields(Quantity)]
_CUE_FIELDS = [f.name for f in fields(Cue)]
_SCHEMA = {"claim": _CLAIM_FIELDS, "quantity": _QUANTITY_FIELDS, "cue": _CUE_FIELDS}
_QUANTITIES = _CLAIM_FIELDS.index("quantities")
_CUES = _CLAIM_FIELDS.index("cues")
_SOURCE = _CLAIM_FIELDS.index("source")
_TEXT = _CLAIM_FIELDS.index("text")
_QUOTE = _CLAIM_FIELDS.index("quote")


def _claim_row(claim: Claim) -> list[Any]:
    row = [getattr(claim, name) for name in _CLAIM_FIELDS]
    row[_QUANTITIES] = [[getattr(q, name) for name in _QUANTITY_FIELDS] for q in claim.quantities]
    row[_CUES] = [[getattr(c, name) for name in _CUE_FIELDS] for c in claim.cues]
    row[_SOURCE] = None
    if claim.quote == claim.text:
        row[_QUOTE] = None
    return row


def _claim_from(row: list[Any], source: str) -> Claim:
    """The claim of a freshly decoded row (which it reuses) of the document ``source``."""
    row[_QUANTITIES] = [Quantity(*q) for q in row[_QUANTITIES]]
    row[_CUES] = [Cue(*c) for c in row[_CUES]]
    row[_SOURCE] = source
    if row[_QUOTE] is None:
        row[_QUOTE] = row[_TEXT]
    return Claim(*row)


_ENTRY = re.compile(r"[0-9a-f]{64}\.json")
STALE_AFTER = 7 * 24 * 3600  # seconds an entry no run has used is kept (other configurations, subsets)


class ClaimCache:
    """One JSON file per (document, engine) key under ``folder``.

    A changed engine or vocabulary gives every document a new key, so old entries would pile up:
    ``prune`` removes the entries this run did not use and no run has used for ``STALE_AFTER``
    (an entry's modification time is refreshed whenever it is used).
    """

    def __init__(self, folder: Path, engine_key: str) -> None:
        self.folder = folder
        self.engine_key = engine_key
        self.used: set[str] = set()
        self.written = 0

    def key(self, path: str, sha256: str) -> str:
        return hashlib.sha256(f"{FORMAT}\x00{self.engine_key}\x00{path}\x00{sha256}".encode()).hexdigest()

    def _file(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, path: str, sha256: str) -> DocumentClaims | None:
        """The document's extraction, or None when absent, foreign or corrupt."""
        key = self.key(path, sha256)
        try:
            file = self._file(key)
            data = json.loads(file.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or data.get("key") != key or data.get("schema") != _SCHEMA:
                return None
            found = DocumentClaims(
                path,
                [_claim_from(c, path) for c in data["claims"]],
                [_claim_from(c, path) for c in data["suppressed"]],
                [(int(line), [str(i) for i in ids]) for line, ids in data["directives"]],
                [str(w) for w in data["warnings"]],
            )
            self.used.add(key)
            os.utime(file)
            return found
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def put(self, path: str, sha256: str, extracted: DocumentClaims) -> None:
        key = self.key(path, sha256)
        payload = {
            "format": FORMAT,
            "key": key,
            "schema": _SCHEMA,
            "claims": [_claim_row(c) for c in extracted.claims],
            "suppressed": [_claim_row(c) for c in extracted.suppressed],
            "directives": extracted.directives,
            "warnings": extracted.warnings,
        }
        try:
            atomic_write_text(self._file(key), json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
            self.used.add(key)
            self.written += 1
        except OSError:
            pass  # a cache that cannot be written is only slower

    def prune(self, now: float | None = None) -> int:
        """Remove entries unused by this run and by any run for ``STALE_AFTER``; the number removed.
        Only files named like entries, in the two-character folders of the cache, are touched."""
        cutoff = (time.time() if now is None else now) - STALE_AFTER
        removed = 0
        try:
            folders = [d for d in os.scandir(self.folder) if len(d.name) == 2 and d.is_dir(follow_symlinks=False)]
        except OSError:
            return 0
        for folder in folders:
            try:
                entries = list(os.scandir(folder.path))
            except OSError:
                continue
            for entry in entries:
                if not _ENTRY.fullmatch(entry.name) or entry.name[:-5] in self.used:
                    continue
                try:
                    if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                        os.unlink(entry.path)
                        removed += 1
                except OSError:
                    continue
        return removed


class TermCache:
    """Every document's ``TermSummary`` by content hash, in one JSON file read once per run.

    Use as a context manager: on exit the file is rewritten (atomically) when an entry was added, and
    then holds only the documents of this run, so it never grows beyond the corpus.
    """

    NAME = "terms.json"

    def __init__(self, folder: Path, code_key: str) -> None:
        self.file = folder / self.NAME
        self.code_key = code_key
        self._stored: dict[str, list] = {}
        self._used: dict[str, TermSummary] = {}
        self._raw: dict[str, list] = {}  # the stored JSON of entries reused as they are
        self._added = False
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if data.get("format") == FORMAT and data.get("key") == code_key and isinstance(data.get("documents"), dict):
                self._stored = data["documents"]
        except (OSError, ValueError, TypeError, AttributeError):
            pass  # absent, corrupt or foreign: rebuilt

    def summary(self, sha256: str, text: str) -> TermSummary:
        if sha256 in self._used:
            return self._used[sha256]
        found = None
        if sha256 in self._stored:
            try:
                found = TermSummary.from_json(self._stored[sha256])
                self._raw[sha256] = self._stored[sha256]
            except (ValueError, TypeError):
                found = None
        if found is None:
            found = summarize_terms(text)
            self._added = True
        self._used[sha256] = found
        return found

    def __enter__(self) -> TermCache:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None or not (self._added or len(self._used) != len(self._stored)):
            return
        payload = {
            "format": FORMAT,
            "key": self.code_key,
            "documents": {sha: self._raw.get(sha) or self._used[sha].to_json() for sha in sorted(self._used)},
        }
        try:
            atomic_write_text(self.file, json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
        except OSError:
            pass  # a cache that cannot be written is only slower
