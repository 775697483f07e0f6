"""The whole run: discover and read documents (I/O), extract claims per document (a map, cached and
parallel), then find conflicts (a group-by on blocking keys)."""

from __future__ import annotations

import gc
import hashlib
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate
from pathlib import Path

from claimaudit import __version__
from claimaudit.cache import ClaimCache, ComparisonCache, TermCache
from claimaudit.claimset import ClaimRef, ClaimSource, DocumentClaims, claim_of
from claimaudit.compare.conflicts import ConflictFinder, Findings
from claimaudit.early_reader import EarlyReader
from claimaudit.nlp.lexicon import default_lexicon
from claimaudit.ingest.decode import read_document
from claimaudit.ingest.discover import discover_relative
from claimaudit.normalize.quantities import intervals_compatible
from claimaudit.normalize.terms import (
    TermSummary,
    Variant,
    Vocabulary,
    find_variants,
    head_word,
    numbered_aliases,
    summarize_terms,
)
from claimaudit.records import Claim, SourceDocument

DEFAULT_INCLUDE = ("**/*.txt", "**/*.md", "**/*.markdown", "**/*.html", "**/*.htm")
CHUNKS_PER_JOB = 1  # each chunk builds its own pipeline (about a second): one chunk per worker
FEW_DOCUMENTS = 64  # documents to extract with the collector paused and a pipeline built for them


@dataclass(frozen=True, slots=True)
class SourceSummary:
    path: str
    sha256: str
    encoding: str
    claims: int


@dataclass(slots=True)
class AuditResult:
    sources: list[SourceSummary]
    documents: list[ClaimSource]  # each document's claims, in document order (cached ones decoded on first use)
    findings: Findings
    warnings: list[str] = field(default_factory=list)
    vocabulary: Vocabulary | None = None
    cached: int = 0  # documents whose claims came from the cache
    engine_key: str | None = None  # the claims' cache key besides each document's path and bytes (with a cache)
    _by_id: dict[str, ClaimRef] | None = field(default=None, repr=False)

    @property
    def claims(self) -> list[Claim]:
        """Every claim, in document order (decodes every cached document)."""
        return [c for doc in self.documents for c in doc.claims]

    @property
    def claim_count(self) -> int:
        return sum(len(doc.refs) for doc in self.documents)

    def claim(self, claim_id: str) -> Claim:
        """The claim ``claim_id`` (decoding its document only)."""
        if self._by_id is None:
            self._by_id = {r.id: r for doc in self.documents for r in doc.refs}
        return self._by_id[claim_id].claim


def learn_terms(summaries: Sequence[TermSummary], vocabulary: Vocabulary) -> tuple[Vocabulary, list[Variant]]:
    """Add abbreviations defined in the documents, numbered forms and likely misspellings.

    ``summaries``: one ``TermSummary`` per document, in document order (first definitions win).
    """
    detected: dict[str, str] = {}
    for summary in summaries:
        for short, long_form in summary.abbreviations:
            canonical = vocabulary.canonical(long_form) or vocabulary.canonical(short) or long_form
            detected.setdefault(short, canonical)
            detected.setdefault(long_form, canonical)
            if short.endswith("s") and short[:-1].isupper() and len(short) > 2:
                detected.setdefault(short[:-1], canonical)  # "PPIs" defined, "long-term PPI use" said
    heads = default_lexicon().condition_heads
    types = {
        canonical: "condition"
        for canonical in set(detected.values())
        if canonical not in vocabulary.entities and head_word(canonical) in heads
    }  # "complex regional pain syndrome (CRPS)" names a condition
    learned = vocabulary.with_detected(detected, types)
    learned = learned.with_detected(numbered_aliases((c for s in summaries for c in s.numbered), learned))
    counts: Counter[str] = Counter()
    for summary in summaries:
        counts.update(dict(summary.acronyms))
    variants = find_variants(counts, learned)
    learned = learned.with_detected({v.surface: v.entity for v in variants})
    return learned, variants


def code_key() -> str:
    """The engine's version, code and data: an edited checkout never reuses stale cache entries."""
    digest = hashlib.sha256(__version__.encode() + b"\x00")
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".yaml", ".json") and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode() + b"\x00" + path.read_bytes())
    return digest.hexdigest()


def engine_key(vocabulary: Vocabulary, model: str | None, code: str | None = None) -> str:
    """Everything besides a document's own bytes that its claims depend on: the engine (``code_key``),
    the model, and the learned vocabulary."""
    digest = hashlib.sha256()
    for part in (code or code_key(), model or "", vocabulary.digest, repr(vocabulary.term_rows())):
        digest.update(part.encode() + b"\x00")
    return digest.hexdigest()


def _variant_pairs(
    variants: list[Variant], claims: Sequence[Claim | ClaimRef], memo: ComparisonCache | None = None
) -> list[tuple[Variant, list[Claim]]]:
    """For each misspelling: the first claim that uses it and the first claim with the right form
    (in another document if there is one). With ``memo``, the pairs the last run found that still
    hold are taken from it (``_reused_variant_pairs``) and only the other misspellings are searched."""
    out: list[tuple[Variant, list[Claim]]] = []
    if not variants or not claims:
        return out
    reused = _reused_variant_pairs(variants, claims, memo) if memo is not None else {}
    search: _FormSearch | None = None
    for variant in variants:
        pair = reused.get(variant)
        if pair is None:
            search = search or _FormSearch(claims)
            pair = search.pair(variant)
            if memo is not None:
                memo.keep_search(_variant_name(variant), [[c.source, c.id] for c in pair])
        if len(pair) == 2:
            out.append((variant, [claim_of(c) for c in pair]))
    return out


def _variant_name(variant: Variant) -> str:
    return f"misspelling\x00{variant.surface}\x00{variant.canonical}\x00{variant.entity}"


def _reused_variant_pairs(
    variants: list[Variant], claims: Sequence[Claim | ClaimRef], memo: ComparisonCache
) -> dict[Variant, list[Claim | ClaimRef]]:
    """The misspellings whose search result the last run found and that still hold. The claims of
    documents unchanged since are the same, in the same order; so a result holds when its claims are
    still there (a removed document that held the first of a form held one of them) and no claim of
    a document edited or added since comes before them with its form: none holds the misspelling
    before the first claim that holds it (or at all, when none did), and none holds the right form
    before the pair's second claim (or at all, when that one is in the first one's document, or when
    none held the right form)."""
    stored = {v: _claim_keys(memo.search_result(_variant_name(v))) for v in variants}
    stored = {v: keys for v, keys in stored.items() if keys is not None}
    if not stored:
        return {}
    same = memo.unchanged_documents()
    changed = [(i, f" {c.text}") for i, c in enumerate(claims) if c.source not in same]
    wanted = {source for keys in stored.values() for source, _ in keys}
    index = {(c.source, c.id): i for i, c in enumerate(claims) if c.source in wanted}
    out: dict[Variant, list[Claim | ClaimRef]] = {}
    for variant, keys in stored.items():
        at = [index.get(key) for key in keys]
        if None in at:
            continue  # a claim of the result is gone: searched again
        first = at[0] if at else len(claims)
        second = at[1] if len(at) == 2 and claims[at[1]].source != claims[first].source else len(claims)
        before = (first, second if at else -1)  # the misspelling nowhere: the right form does not matter
        forms = (f" {variant.surface}", f" {variant.canonical}")
        if any(i < limit and form in text for i, text in changed for form, limit in zip(forms, before)):
            continue  # an edited or new claim may come first: searched again
        out[variant] = [claims[i] for i in at]  # type: ignore[index]
        memo.keep_search(_variant_name(variant), [list(key) for key in keys])
    return out


def _claim_keys(entry: object) -> list[tuple[str, str]] | None:
    """A stored search result as (document, claim id) keys; None unless it is up to two such keys."""
    if not isinstance(entry, list) or len(entry) > 2:
        return None
    keys = [tuple(k) for k in entry if isinstance(k, list) and len(k) == 2 and all(isinstance(x, str) for x in k)]
    return keys if len(keys) == len(entry) else None  # type: ignore[return-value]


class _FormSearch:
    """The claims' texts searched as one string (a claim holds a form when the string holds it at
    that claim's place), so each lookup runs at the speed of ``str.find``; a form spanning lines is
    looked up claim by claim."""

    def __init__(self, claims: Sequence[Claim | ClaimRef]) -> None:
        self.claims = claims
        self.every = " " + "\n ".join(c.text for c in claims)  # each claim's text after a space, one per line
        self.starts = list(accumulate((len(c.text) + 2 for c in claims[:-1]), initial=0))

    def found(self, form: str, begin: int = 0) -> int | None:
        """Index of the first claim from ``begin`` on whose text holds ``form``, or None."""
        claims, starts = self.claims, self.starts
        if "\n" in form:
            return next((i for i in range(begin, len(claims)) if form in f" {claims[i].text}"), None)
        at = self.every.find(form, starts[begin]) if begin < len(starts) else -1
        return None if at < 0 else bisect_right(starts, at) - 1

    def pair(self, variant: Variant) -> list[Claim | ClaimRef]:
        """The first claim holding the misspelling and the first with the right form in another
        document (else the first with it at all): a pair; only the first when no claim holds the right
        form; none when no claim holds the misspelling."""
        claims = self.claims
        first = self.found(f" {variant.surface}")
        if first is None:
            return []
        canonical, fallback = f" {variant.canonical}", None
        i = self.found(canonical)
        while i is not None:
            fallback = claims[i] if fallback is None else fallback
            if claims[i].source != claims[first].source:
                return [claims[first], claims[i]]
            i = self.found(canonical, i + 1)
        return [claims[first], fallback] if fallback is not None else [claims[first]]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while many small acyclic records are built (cached
    claims, candidate pairs): it would otherwise rescan the growing heap again and again (a sixth of
    a warm run). Whatever it was is restored afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _collector_running() -> Iterator[None]:
    """Run the cyclic garbage collector during a long extraction, even if the caller paused it: each
    parsed document leaves cycles behind, and memory must stay bounded. Restored afterwards."""
    enabled = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not enabled:
            gc.disable()


def _extract(
    docs: list[SourceDocument],
    vocabulary: Vocabulary,
    model: str | None,
    jobs: int,
    progress: Callable[[int], None],
    early: EarlyReader | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> list[DocumentClaims]:
    """Each document's claims, in order. ``meanwhile``: called while the early reader reads, if it does."""
    if early is not None and 0 < len(docs) <= FEW_DOCUMENTS:
        out = early.extract(docs, vocabulary, meanwhile)
        if out is not None:
            progress(len(out))
            return out
    if early is not None:  # nothing to read, or too much (read here or in --jobs workers): stop it now
        early.close()
    if not docs:
        return []
    from claimaudit.engine import Extractor, extract_chunk  # spaCy: imported only when something is read

    if jobs <= 1 or len(docs) < 2 * jobs:
        extractor = Extractor(vocabulary=vocabulary, model=model, only=docs if len(docs) <= FEW_DOCUMENTS else None)
        out = []
        for extracted in extractor.extract_many(docs):
            out.append(extracted)
            progress(1)
        return out
    size = max(1, -(-len(docs) // (jobs * CHUNKS_PER_JOB)))
    chunks = [docs[i : i + size] for i in range(0, len(docs), size)]
    out = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for result in pool.map(extract_chunk, chunks, [vocabulary] * len(chunks), [model] * len(chunks)):
            out.extend(result)
            progress(len(result))
    return out


def run_audit(
    paths: Sequence[str],
    *,
    vocabulary: Vocabulary,
    model: str | None = None,
    include: Sequence[str] = DEFAULT_INCLUDE,
    exclude: Sequence[str] = (),
    root: Path | None = None,
    jobs: int = 1,
    cache_dir: Path | None = None,
    progress: Callable[[int], None] | None = None,
    early: EarlyReader | None = None,
    meanwhile: Callable[[str], object] | None = None,
) -> AuditResult:
    """Read every document under ``paths`` and return its claims and conflicts. ``early``: a
    reading process to extract the documents the cache does not have, when they are few.
    ``meanwhile``: the caller's work that needs the engine key but no claims (loading its own cache),
    called with it once, in a run with a cache only: while the early reader reads, if it does, else
    before the comparison."""
    root = root or Path.cwd()
    progress = progress or (lambda n: None)
    files, warnings = discover_relative(list(paths), include=tuple(include), exclude=tuple(exclude), root=root)
    if not files:
        warnings.append(f"no documents found in {', '.join(paths)} (looked for {', '.join(include)})")
    documents: list[SourceDocument] = []
    for path, rel in files:
        doc, notes = read_document(path, rel)
        warnings.extend(notes)
        if doc is not None:
            documents.append(doc)
    code = code_key()
    if cache_dir:
        with TermCache(cache_dir, code) as term_cache:
            vocabulary, variants = term_cache.learn(documents, vocabulary, learn_terms)
    else:
        vocabulary, variants = learn_terms([summarize_terms(doc.text) for doc in documents], vocabulary)
    cache = ClaimCache(cache_dir, engine_key(vocabulary, model, code)) if cache_dir else None
    results: dict[str, ClaimSource] = {}
    todo = []

    def rebuild(doc: SourceDocument) -> DocumentClaims:
        """A cached document's claims extracted again (its entry did not decode), and cached anew."""
        (fresh,) = _extract([doc], vocabulary, model, 1, lambda n: None)
        if cache:
            cache.put(doc.path, doc.sha256, doc.text, fresh)
            cache.save()
        return fresh

    with _collector_paused():
        for doc in documents:
            hit = cache.get(doc.path, doc.sha256, doc.text, partial(rebuild, doc)) if cache else None
            if hit is None:
                todo.append(doc)
            else:
                results[doc.path] = hit
                progress(1)
    cached = len(results)
    if model and not todo:
        from claimaudit.nlp.pipeline import build_nlp

        build_nlp(model=model)  # a bad --model fails even when every document comes from the cache
    memo = ComparisonCache(cache.folder, cache.engine_key, {d.path: d.sha256 for d in documents}) if cache else None
    prepared: list[bool] = []

    def prepare() -> None:
        """What needs no new claim: done while the early reader reads, else now."""
        if memo is not None and not prepared:
            prepared.append(True)
            memo.load()
            if meanwhile is not None:
                meanwhile(memo.engine_key)

    # A few edited documents beside thousands of cached ones: building the pipeline would make the
    # collector rescan every cached claim, again and again (half of such a run). Few documents leave
    # little garbage, so the collector waits; a long extraction keeps it running to bound memory.
    with _collector_paused() if len(todo) <= FEW_DOCUMENTS else _collector_running():
        for extracted, doc in zip(_extract(todo, vocabulary, model, jobs, progress, early, prepare), todo):
            results[doc.path] = extracted
            if cache:
                cache.put(doc.path, doc.sha256, doc.text, extracted)
    if cache:
        with _collector_paused():  # the pack's thousands of entries would make it rescan every claim
            cache.save()  # also removes what a former engine or vocabulary left behind
    with _collector_paused():
        if memo is None:
            return _compare(documents, results, vocabulary, variants, warnings, cached)
        prepare()
        with memo:
            result = _compare(documents, results, vocabulary, variants, warnings, cached, memo)
    result.engine_key = cache.engine_key
    return result


def _compare(
    documents: list[SourceDocument],
    results: dict[str, ClaimSource],
    vocabulary: Vocabulary,
    variants: list[Variant],
    warnings: list[str],
    cached: int,
    memo: ComparisonCache | None = None,
) -> AuditResult:
    """Conflicts among all the claims (a group-by on blocking keys) and the run's summary. ``memo``
    keeps each group's result for the next run; with it, only the claims of the groups compared again
    and of the candidates are decoded."""
    refs = [r for doc in documents for r in results[doc.path].refs]
    finder = ConflictFinder(vocabulary=vocabulary, intervals_compatible=intervals_compatible, memo=memo)
    findings = finder.find(refs, _variant_pairs(variants, refs, memo))
    for doc in documents:
        warnings.extend(results[doc.path].warnings)
    if any(results[doc.path].directives for doc in documents):
        claims = [c for doc in documents for c in results[doc.path].claims]
        suppressed = [c for doc in documents for c in results[doc.path].suppressed]
        warnings.extend(_unused_suppressions(finder, claims, suppressed, findings, documents, results))
    summaries = [SourceSummary(d.path, d.sha256, d.encoding, len(results[d.path].refs)) for d in documents]
    return AuditResult(summaries, [results[d.path] for d in documents], findings, warnings, vocabulary, cached)


def _unused_suppressions(
    finder: ConflictFinder,
    claims: list[Claim],
    suppressed: list[Claim],
    findings: Findings,
    documents: list[SourceDocument],
    results: dict[str, ClaimSource],
) -> list[str]:
    """Directives `claimaudit: ignore` that hide no conflict: the reason for them is gone."""
    with_ignored = finder.find(claims + suppressed)
    shown = {cid for c in findings.conflicts for cid in c.claim_ids}
    hidden = {cid for c in with_ignored.conflicts for cid in c.claim_ids} - shown
    out = []
    for doc in documents:
        for line, ids in results[doc.path].directives:
            if not hidden.intersection(ids):
                out.append(f"{doc.path}:{line}: 'claimaudit: ignore' no longer suppresses any conflict; remove it")
    return out
