"""On-disk cache: each document's claims (keyed by content hash, engine version and vocabulary), each
document's term summary (what it adds to the learned vocabulary; keyed by content hash and engine
version), and each blocking group's comparison result (keyed by the group's claims and documents).

Everything is JSON (never pickle): a foreign or corrupt entry can at worst be ignored, never executed.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from claimaudit.claimset import ClaimRef, DocumentClaims
from claimaudit.compare.conflicts import GroupResult
from claimaudit.errors import ClaimAuditError
from claimaudit.fileio import atomic_write_text
from claimaudit.normalize.terms import TermSummary, Variant, Vocabulary, summarize_terms
from claimaudit.packfile import Pack, Parts, prune
from claimaudit.records import Claim, Cue, Quantity, SourceDocument

FORMAT = 6  # records as arrays in field order (decoding is 3x faster than objects with keys); no
# source in claims (the entry's document), no text where it is the document's text at the claim's
# offsets, no quote where it equals the text; claims packed in one file per engine key, as length-prefixed
# records (format 5: the rendered claim files are packed the same way; format 6: each claims entry
# holds the claims' references apart, so that a warm run decodes only the claims it needs)
_CLAIM_FIELDS = [f.name for f in fields(Claim)]
_QUANTITY_FIELDS = [f.name for f in fields(Quantity)]
_CUE_FIELDS = [f.name for f in fields(Cue)]
_SCHEMA = {"claim": _CLAIM_FIELDS, "quantity": _QUANTITY_FIELDS, "cue": _CUE_FIELDS}
_QUANTITIES = _CLAIM_FIELDS.index("quantities")
_CUES = _CLAIM_FIELDS.index("cues")
_SOURCE = _CLAIM_FIELDS.index("source")
_TEXT = _CLAIM_FIELDS.index("text")
_QUOTE = _CLAIM_FIELDS.index("quote")
_START = _CLAIM_FIELDS.index("start")
_END = _CLAIM_FIELDS.index("end")


def _claim_row(claim: Claim, document: str) -> list[Any]:
    """The claim as stored for the document whose text is ``document``."""
    row = [getattr(claim, name) for name in _CLAIM_FIELDS]
    row[_QUANTITIES] = [[getattr(q, name) for name in _QUANTITY_FIELDS] for q in claim.quantities]
    row[_CUES] = [[getattr(c, name) for name in _CUE_FIELDS] for c in claim.cues]
    row[_SOURCE] = None
    if claim.quote == claim.text:
        row[_QUOTE] = None
    if claim.text == document[claim.start : claim.end]:
        row[_TEXT] = None
    return row


def _claim_from(row: list[Any], source: str, document: str) -> Claim:
    """The claim of a freshly decoded row (which it reuses) of the document ``source``, whose text is
    ``document``."""
    row[_QUANTITIES] = [Quantity(*q) for q in row[_QUANTITIES]]
    row[_CUES] = [Cue(*c) for c in row[_CUES]]
    row[_SOURCE] = source
    if row[_TEXT] is None:
        row[_TEXT] = document[row[_START] : row[_END]]
    if row[_QUOTE] is None:
        row[_QUOTE] = row[_TEXT]
    return Claim(*row)


_LEGACY_ENTRY = re.compile(r"[0-9a-f]{64}\.json")  # one file per document (cache formats 1 to 3)
_LEGACY_FILES = ("terms.json",)  # the term summaries of cache formats 1 to 3


class ClaimCache:
    """Every document's claims for one engine key, in one pack file (``claimaudit.packfile``) read
    once per run: ``claims-<engine key>.pack``, whose header holds the format, the engine key and the
    record schema, and whose entries are each document's claims as JSON. One file rather than one
    per document: a warm run reads it in one go and decodes only the entries it needs.

    A changed engine or vocabulary gives every document a new key and a new pack; ``save`` also
    removes the packs of other engine keys that no run has written for a week (beyond the three
    most recent, however recent) and the per-document files of older cache formats.
    """

    def __init__(self, folder: Path, engine_key: str, now: float | None = None) -> None:
        self.folder = folder
        self.engine_key = engine_key
        self.file = folder / f"claims-{engine_key}.pack"
        self.now = time.time() if now is None else now
        self._pack = Pack(self.file, {"format": FORMAT, "engine": engine_key, "schema": _SCHEMA}, self.now)

    def key(self, path: str, sha256: str) -> str:
        return document_key(self.engine_key, path, sha256)

    def get(self, path: str, sha256: str, text: str, rebuild: Callable[[], DocumentClaims]) -> StoredClaims | None:
        """The claims of the document ``path`` (content hash ``sha256``, decoded ``text``), or None
        when they are absent, foreign or corrupt. Their references are read now, the claims on first
        use (``rebuild`` extracts them again should they not decode)."""
        key = self.key(path, sha256)
        stored = self._pack.get(key)
        if stored is None or len(stored) != 2:
            return None
        try:
            found = StoredClaims(path, text, json.loads(bytes(stored[0])), stored[1], rebuild)
        except (ValueError, TypeError, LookupError, AttributeError):
            return None
        self._pack.use(key, stored)
        return found

    def put(self, path: str, sha256: str, text: str, extracted: DocumentClaims) -> None:
        index = {
            "refs": [
                [c.id, c.start, c.end, c.subject, c.aspect, c.polarity, c.certainty,
                 None if c.text == text[c.start : c.end] else c.text]
                for c in extracted.claims
            ],
            "directives": extracted.directives,
            "warnings": extracted.warnings,
        }
        payload = {
            "claims": [_claim_row(c, text) for c in extracted.claims],
            "suppressed": [_claim_row(c, text) for c in extracted.suppressed],
        }
        self._pack.use(self.key(path, sha256), (_json_bytes(index), _json_bytes(payload)))

    def save(self) -> None:
        """Write what changed (see ``Pack.save``); then remove what no run has used for a week."""
        if self._pack.save():
            self.prune()

    def prune(self) -> int:
        """Remove the packs of other engine keys and the files of older cache formats (see
        ``packfile.prune``); the number removed."""
        current = [self.file, self.folder / f"rows-{self.engine_key}.pack"]
        return prune(self.folder, current, _LEGACY_FILES, _LEGACY_ENTRY, self.now)


def _json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class StoredClaims:
    """A document's claims as the claims pack holds them (a ``claimset.ClaimSource``): the references,
    directives and warnings are read at once, the claims decoded on first use. Claims that do not decode
    (their checksum matched: a tampered pack) are extracted again by ``rebuild``; an entry whose claims
    are not those its references name cannot be trusted at all."""

    __slots__ = ("path", "refs", "directives", "warnings", "_text", "_raw", "_rebuild", "_claims", "_suppressed")

    def __init__(self, path: str, text: str, index: dict, raw: bytes | memoryview, rebuild: Callable[[], DocumentClaims]) -> None:
        self.path = path
        self.refs = [
            ClaimRef(cid, path, start, subject, aspect, polarity, certainty, text[start:end] if own is None else own, self, i)
            for i, (cid, start, end, subject, aspect, polarity, certainty, own) in enumerate(index["refs"])
        ]
        self.directives = [(int(line), [str(i) for i in ids]) for line, ids in index["directives"]]
        self.warnings = [str(w) for w in index["warnings"]]
        self._text, self._raw, self._rebuild = text, raw, rebuild
        self._claims: list[Claim] | None = None
        self._suppressed: list[Claim] = []

    @property
    def claims(self) -> list[Claim]:
        if self._claims is None:
            self._decode()
        return self._claims  # type: ignore[return-value]

    @property
    def suppressed(self) -> list[Claim]:
        if self._claims is None:
            self._decode()
        return self._suppressed

    def _decode(self) -> None:
        ids = [r.id for r in self.refs]
        try:
            data = json.loads(bytes(self._raw))
            claims = [_claim_from(c, self.path, self._text) for c in data["claims"]]
            suppressed = [_claim_from(c, self.path, self._text) for c in data["suppressed"]]
            if [c.id for c in claims] != ids:
                raise ValueError("the claims are not those of the references")
        except (ValueError, TypeError, LookupError, AttributeError):
            fresh = self._rebuild()
            claims, suppressed = fresh.claims, fresh.suppressed
            if [c.id for c in claims] != ids:
                raise ClaimAuditError(
                    f"the cached claims of {self.path} do not match the document; remove .claimaudit/cache and run again"
                ) from None
        self._claims, self._suppressed, self._raw = claims, suppressed, b""


def document_key(engine_key: str, path: str, sha256: str) -> str:
    """A document's entry in the packs of one engine key: its path and content hash."""
    return hashlib.sha256(f"{FORMAT}\x00{engine_key}\x00{path}\x00{sha256}".encode()).hexdigest()


class RenderedCache:
    """Each document's claims as the claim files render them (``claimaudit.claim_files``), in one pack
    per engine key (``rows-<engine key>.pack``) beside the claims pack: a re-check after one edit
    copies every other document's rows instead of rendering them again. The parts are stored as
    written, so they are never decoded."""

    def __init__(self, folder: Path, engine_key: str, parts: Sequence[str], now: float | None = None) -> None:
        self.engine_key = engine_key
        self.parts = tuple(parts)
        self._pack = Pack(folder / f"rows-{engine_key}.pack", {"format": FORMAT, "engine": engine_key, "parts": list(parts)}, now)

    def load(self) -> None:
        """Read the pack now (else on the first ``get``)."""
        self._pack.load()

    def get(self, path: str, sha256: str) -> Parts | None:
        key = document_key(self.engine_key, path, sha256)
        stored = self._pack.get(key)
        if stored is None or len(stored) != len(self.parts):
            return None
        self._pack.use(key, stored)
        return stored

    def put(self, path: str, sha256: str, parts: Parts) -> None:
        self._pack.use(document_key(self.engine_key, path, sha256), parts)

    def save(self) -> None:
        self._pack.save()


class ComparisonCache:
    """Each blocking group's comparison result (a ``GroupMemo``), in one JSON file per cache folder.

    It also keeps what corpus-wide searches found (the misspelling examples: ``search_result``).
    A group's result is a function of its claims, and a claim of its document (path and bytes) and
    the engine. The file keeps each group's result by its kind, key and number of claims, and every
    document's content hash, as of the last run. A group keeps its result when all its claims come
    from documents unchanged since, and it has as many as then: its claims of unchanged documents are
    the same, so it had none of a document edited or removed since, and it has the same claims in the
    same (document) order. Checking it costs a lookup per claim, no hashing. A group an edit touches
    is compared again. The file holds the groups of the last run of one engine key; use as a context
    manager.
    """

    NAME = "comparisons.json"

    def __init__(self, folder: Path, engine_key: str, document_hashes: dict[str, str]) -> None:
        self.file = folder / self.NAME
        self.engine_key = engine_key
        self.hashes = document_hashes
        self._stored: dict[str, list] | None = None
        self._same: set[str] = set()  # documents whose bytes are those of the last run
        self._used: dict[str, list] = {}  # group name -> its result
        self._added = False

    @staticmethod
    def _name(kind: str, key: Hashable, group: list[Claim]) -> str:
        return f"{kind}\x00{key!r}\x00{len(group)}"

    def load(self) -> None:
        """Read the stored groups now (else on the first ``get``)."""
        if self._stored is not None:
            return
        self._stored, self._same = {}, set()
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or data.get("key") != self.engine_key:
                return  # foreign: rebuilt
            groups, documents = data["groups"], dict(data["documents"])
            if not isinstance(groups, dict):
                return
        except (OSError, ValueError, TypeError, LookupError, AttributeError):
            return  # absent or corrupt: rebuilt
        self._stored = groups
        self._same = {path for path, sha256 in self.hashes.items() if documents.get(path) == sha256}

    def get(self, kind: str, key: Hashable, group: list[Claim]) -> GroupResult | None:
        self.load()
        name = self._name(kind, key, group)
        entry = self._stored.get(name)
        same = self._same
        if entry is None or not all(c.source in same for c in group):
            return None  # unknown, or claims of a document edited, added or removed since
        try:
            found = GroupResult.from_json(entry, group)
        except (ValueError, TypeError, LookupError, AttributeError):
            return None
        self._used[name] = entry
        return found

    def put(self, kind: str, key: Hashable, group: list[Claim], result: GroupResult) -> None:
        if all(c.source in self.hashes for c in group):  # a claim of no known document: never cached
            self._used[self._name(kind, key, group)] = result.to_json()
            self._added = True

    def unchanged_documents(self) -> frozenset[str]:
        """The documents whose bytes are those they had at the last run."""
        self.load()
        return frozenset(self._same)

    def search_result(self, name: str) -> Any:
        """What a corpus-wide search (``name``: what it looks for) found at the last run, as stored
        (JSON), or None; the caller tells whether it still holds (see ``unchanged_documents``) and
        keeps it with ``keep_search``."""
        self.load()
        return self._stored.get(f"search\x00{name}")

    def keep_search(self, name: str, result: Any) -> None:
        """Keep ``result`` (JSON) as what the search ``name`` found in this run."""
        self.load()
        key = f"search\x00{name}"
        if self._stored.get(key) != result:
            self._added = True
        self._used[key] = result

    def __enter__(self) -> ComparisonCache:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            return
        if not self._added and len(self._used) == len(self._stored or {}) and len(self._same) == len(self.hashes):
            return  # the same documents, every group from the file
        documents = sorted(self.hashes.items())
        payload = {"format": FORMAT, "key": self.engine_key, "documents": documents, "groups": dict(sorted(self._used.items()))}
        try:
            atomic_write_text(self.file, json.dumps(payload, ensure_ascii=False, separators=(",", ":")), durable=False)
        except OSError:
            pass  # a cache that cannot be written is only slower


Learn = Callable[[Sequence[TermSummary], Vocabulary], tuple[Vocabulary, list[Variant]]]


class TermCache:
    """Every document's ``TermSummary`` by content hash, and the vocabulary the last run learned from
    them, in one file read once per run: a JSON header line (format, engine, the learned vocabulary),
    then a line per document, its content hash, a tab, its summary's JSON.

    Summaries are kept as their JSON text, so a run can tell whether the corpus's summaries are those
    the stored learned vocabulary came from (a digest of the texts, in document order, and the
    user's vocabulary) without decoding them: an edit that defines no new term reuses the learned
    vocabulary as it is. Use as a context manager: on exit the file is rewritten (atomically) when it
    changed, and then holds only the documents of this run, so it never grows beyond the corpus.
    """

    NAME = "terms.pack"

    def __init__(self, folder: Path, code_key: str) -> None:
        self.file = folder / self.NAME
        self.code_key = code_key
        self._stored: dict[str, str] = {}
        self._stored_learned: Any = None
        self._used: dict[str, str] = {}  # content hash -> summary JSON, of this run's documents
        self._learned: Any = None
        try:
            head, *lines = self.file.read_text(encoding="utf-8").splitlines()
            header = json.loads(head)
            if header.get("format") == FORMAT and header.get("key") == code_key:
                self._stored = dict(line.split("\t", 1) for line in lines)
                self._stored_learned = header.get("learned")
        except (OSError, ValueError, TypeError, AttributeError):
            self._stored = {}  # absent, corrupt or foreign: rebuilt

    def learn(self, documents: Sequence[SourceDocument], vocabulary: Vocabulary, learn: Learn) -> tuple[Vocabulary, list[Variant]]:
        """``learn(summaries of documents, vocabulary)``, or the stored result of the same call."""
        texts = [self._text(doc.sha256, doc.text) for doc in documents]
        key = self._learned_key(texts, vocabulary)
        found = self._reuse(key, vocabulary)
        if found is not None:
            self._learned = self._stored_learned
            return found
        summaries = [self._summary(doc) for doc in documents]
        learned, variants = learn(summaries, vocabulary)
        key = self._learned_key([self._used[doc.sha256] for doc in documents], vocabulary)
        self._learned = {
            "key": key,
            "detected": learned.detected,
            "types": learned.detected_types,
            "variants": [[v.surface, v.canonical, v.entity] for v in variants],
        }
        return learned, variants

    def _text(self, sha256: str, text: str) -> str:
        if sha256 not in self._used:
            stored = self._stored.get(sha256)
            self._used[sha256] = stored if stored is not None else _summary_text(summarize_terms(text))
        return self._used[sha256]

    def _summary(self, doc: SourceDocument) -> TermSummary:
        """The document's summary, decoded; one that does not decode is made again."""
        try:
            return TermSummary.from_json(json.loads(self._used[doc.sha256]))
        except (ValueError, TypeError):
            summary = summarize_terms(doc.text)
            self._used[doc.sha256] = _summary_text(summary)
            return summary

    @staticmethod
    def _learned_key(texts: list[str], vocabulary: Vocabulary) -> str:
        base = [vocabulary.digest, repr(vocabulary.term_rows()), repr(sorted(vocabulary.detected_types.items()))]
        return hashlib.sha256("\x00".join([*base, *texts]).encode()).hexdigest()

    def _reuse(self, key: str, vocabulary: Vocabulary) -> tuple[Vocabulary, list[Variant]] | None:
        stored = self._stored_learned
        try:
            if not isinstance(stored, dict) or stored.get("key") != key:
                return None
            detected, types = stored["detected"], stored["types"]
            if not all(isinstance(x, str) for pairs in (detected, types) for item in pairs.items() for x in item):
                return None
            variants = [Variant(str(a), str(b), str(c)) for a, b, c in stored["variants"]]
            return Vocabulary(vocabulary.entities, vocabulary.digest, dict(detected), dict(types)), variants
        except (ValueError, TypeError, LookupError, AttributeError):
            return None

    def __enter__(self) -> TermCache:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None or (self._used == self._stored and self._learned == self._stored_learned):
            return
        header = {"format": FORMAT, "key": self.code_key, "learned": self._learned}
        lines = [json.dumps(header, ensure_ascii=False, separators=(",", ":"))]
        lines += [f"{sha}\t{text}" for sha, text in sorted(self._used.items())]
        try:
            atomic_write_text(self.file, "\n".join(lines) + "\n", durable=False)
        except OSError:
            pass  # a cache that cannot be written is only slower


def _summary_text(summary: TermSummary) -> str:
    return json.dumps(summary.to_json(), ensure_ascii=False, separators=(",", ":"))
