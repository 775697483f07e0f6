"""Pack files: many small cache entries in one file, read in one go, appended to, checked on read.

A pack is a header line (JSON: what wrote it, so a foreign pack is ignored whole), then one record per
entry::

    <key> TAB <day last used> TAB <CRC-32 of the parts> TAB <length of each part, comma-separated> LF
    <the parts, back to back> LF

The parts are raw bytes (they may hold line breaks: rendered text is stored as it is written, so a
warm run copies it without decoding). A record whose checksum does not match (an edit) is skipped;
one whose header line does not parse or whose parts run past the end of the file (a torn append)
ends the reading, and what follows is rebuilt.
"""

from __future__ import annotations

import json
import os
import re
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimaudit.fileio import atomic_write_chunks

Parts = tuple[bytes | memoryview, ...]
STALE_AFTER = 7 * 24 * 3600  # seconds an entry no run has used is kept (other configurations, subsets)
# packs of other engine keys kept at most (the most recently written), however recent: claims are
# costly to extract again, rendered rows cheap to render again (and large)
KEEP_PACKS = {"claims": 3, "rows": 0}
DAY = 24 * 3600
_PACK = re.compile(r"(claims|rows)-[0-9a-f]{64}\.pack")


@dataclass(frozen=True, slots=True)
class Record:
    key: str
    day: int
    parts: Parts


def record_bytes(key: str, day: int, parts: Sequence[bytes | memoryview]) -> bytes:
    """One record as written to a pack."""
    crc = 0
    for part in parts:
        crc = zlib.crc32(part, crc)
    sizes = ",".join(str(len(p)) for p in parts)
    return b"".join([b"%s\t%d\t%d\t%s\n" % (key.encode("ascii"), day, crc, sizes.encode("ascii")), *parts, b"\n"])


def read_records(data: bytes, start: int = 0) -> tuple[list[Record], bool]:
    """The records of a pack's body (``data`` from ``start``, after the header line) whose checksums
    match, and whether the body was read to its end (False when a torn or unreadable record stopped
    the reading). The parts are views into ``data``: a warm run copies them to its outputs as they are."""
    view = memoryview(data)
    records, pos, size = [], start, len(data)
    while pos < size:
        eol = data.find(b"\n", pos)
        try:
            key, day, crc, sizes = data[pos:eol].split(b"\t") if eol > 0 else ()
            lengths = [int(n) for n in sizes.split(b",")]
            end = eol + 1 + sum(lengths)
            if min(lengths) < 0 or end >= size or data[end] != 0x0A:
                raise ValueError("torn")
            if zlib.crc32(view[eol + 1 : end]) == int(crc):
                at, parts = eol + 1, []
                for n in lengths:
                    parts.append(view[at : at + n])
                    at += n
                records.append(Record(key.decode("ascii"), int(day), tuple(parts)))
        except ValueError:  # an edited or torn record (UnicodeDecodeError is a ValueError too)
            return records, False
        pos = end + 1
    return records, True


class Pack:
    """The entries of one pack file: ``get`` what the file holds, ``use`` entries this run read or made,
    ``save`` what changed.

    ``save`` appends the entries this run made; it rewrites the pack (atomically) when entries must go
    or be dated anew (the first run of a day). It keeps the entries of this run and those another run
    (a subset, another configuration) used within ``STALE_AFTER``.
    """

    def __init__(self, file: Path, header: dict[str, Any], now: float | None = None) -> None:
        self.file = file
        self.header = json.dumps(header, sort_keys=True).encode("utf-8")
        self.now = time.time() if now is None else now
        self.today = int(self.now // DAY)
        self._stored: dict[str, tuple[int, Parts]] | None = None
        self._appendable = False  # the stored pack is whole: new records can be appended
        self._used: dict[str, Parts] = {}

    def _load(self) -> dict[str, tuple[int, Parts]]:
        """The stored entries whose checksums match; none when the pack is absent or foreign."""
        try:
            data = self.file.read_bytes()
        except OSError:
            return {}
        eol = data.find(b"\n")  # not partition: it would copy the rest of the file
        if eol < 0:
            return {}  # not even a whole header line
        head = data[:eol]
        try:
            if json.dumps(json.loads(head), sort_keys=True).encode("utf-8") != self.header:
                return {}
        except (ValueError, TypeError):
            return {}
        records, whole = read_records(data, len(head) + 1)
        self._appendable = whole
        return {r.key: (r.day, r.parts) for r in records}

    def load(self) -> None:
        """Read the stored pack now (else on the first ``get``)."""
        if self._stored is None:
            self._stored = self._load()

    def get(self, key: str) -> Parts | None:
        """The parts of the entry ``key`` this run made or the pack holds; None when absent."""
        self.load()
        return self._used.get(key) or self._stored.get(key, (0, None))[1]

    def use(self, key: str, parts: Parts) -> None:
        """Keep the entry ``key`` (read or made by this run)."""
        self._used[key] = parts

    def save(self) -> bool:
        """Write what changed; whether anything was written. A pack that cannot be written is only a
        slower next run."""
        stored = self._stored if self._stored is not None else self._load()
        oldest = self.today - STALE_AFTER // DAY
        kept = {key: (self.today, parts) for key, parts in self._used.items()}
        for key, (day, parts) in stored.items():
            if key not in kept and day >= oldest:
                kept[key] = (day, parts)
        added = sorted(key for key in kept if key not in stored)
        # entries to drop, replace (one that did not decode) or date anew: the pack is written whole
        changed = any(
            key not in kept or kept[key][0] != day or not _same(kept[key][1], parts) for key, (day, parts) in stored.items()
        )
        if not added and not changed:
            return False
        rewrite = changed or not self._appendable
        try:
            if rewrite:
                records = (record_bytes(key, day, parts) for key, (day, parts) in sorted(kept.items()))
                atomic_write_chunks(self.file, [self.header, b"\n", *records], durable=False)
            else:
                with self.file.open("ab") as pack:
                    pack.write(b"".join(record_bytes(key, *kept[key]) for key in added))
        except OSError:
            return False
        self._stored = kept
        self._appendable = True
        return True


def holds_pack(folder: Path, kind: str) -> bool:
    """Whether ``folder`` holds a pack of ``kind`` ("claims" or "rows") of any engine key."""
    try:
        return any(_PACK.fullmatch(name) and name.startswith(f"{kind}-") for name in os.listdir(folder))
    except OSError:
        return False


def _same(a: Parts, b: Parts) -> bool:
    return a is b or (len(a) == len(b) and all(x is y or x == y for x, y in zip(a, b)))


def prune(folder: Path, current: Sequence[Path], legacy: Sequence[str], legacy_entry: re.Pattern, now: float | None = None) -> int:
    """Remove the packs of other engine keys and the files of older cache formats that no run has used
    for ``STALE_AFTER``, and the packs of other engine keys beyond the ``KEEP_PACKS`` most recent of
    each kind (each edit that defines a new term starts one); the number removed. Only files named
    like packs (``current`` excepted), the files named in ``legacy``, and files matching
    ``legacy_entry`` in two-character subfolders are touched."""
    cutoff = (time.time() if now is None else now) - STALE_AFTER
    keep = {str(p) for p in current}
    candidates, packs = [], {}
    try:
        for entry in os.scandir(folder):
            kind = _PACK.fullmatch(entry.name)
            if kind and entry.path not in keep:
                packs.setdefault(kind.group(1), []).append(entry)
            elif entry.name in legacy:
                candidates.append(entry)
            elif len(entry.name) == 2 and entry.is_dir(follow_symlinks=False):
                with os.scandir(entry.path) as inner:
                    candidates += [e for e in inner if legacy_entry.fullmatch(e.name)]
    except OSError:
        return 0
    removed = 0
    doomed = []
    for kind, entries in packs.items():
        entries.sort(key=_mtime, reverse=True)
        doomed += [(e, n >= KEEP_PACKS[kind]) for n, e in enumerate(entries)]
    doomed += [(e, False) for e in candidates]
    for entry, surplus in doomed:
        try:
            if entry.is_file(follow_symlinks=False) and (surplus or _mtime(entry) < cutoff):
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed


def _mtime(entry: os.DirEntry) -> float:
    try:
        return entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return 0.0
