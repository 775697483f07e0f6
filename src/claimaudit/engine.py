"""Per-document extraction: one document in, its claims out. The unit of work for --jobs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from spacy.language import Language

from claimaudit.claimset import DocumentClaims
from claimaudit.extract.claims import BlockUnit, ClaimBuilder
from claimaudit.ingest.structure import line_index, parse_blocks
from claimaudit.nlp.lexicon import default_lexicon
from claimaudit.nlp.components.terms import terms_that_may_occur
from claimaudit.nlp.pipeline import build_nlp, with_terms
from claimaudit.nlp.tokens import known_text
from claimaudit.normalize.quantities import extract_quantities
from claimaudit.normalize.terms import Vocabulary
from claimaudit.records import Block, Claim, Segment, SourceDocument, TextView


def join_views(first: TextView, second: TextView) -> tuple[TextView, int]:
    """``first`` + " " + ``second`` as one view; returns it and where ``second`` starts in it."""
    offset = len(first.text) + 1
    bridge = Segment(len(first.text), second.segments[0].orig_start if second.segments else 0, 1, 0)
    shifted = tuple(Segment(s.view_start + offset, s.orig_start, s.view_len, s.orig_len) for s in second.segments)
    return TextView(first.text + " " + second.text, (*first.segments, bridge, *shifted)), offset


def block_view(block: Block) -> tuple[TextView, int]:
    """The text a block is read in: a list item joined to the sentence that introduces it."""
    if block.kind == "item" and block.intro is not None and block.intro.text.strip():
        return join_views(block.intro, block.view)
    return block.view, 0


class Extractor:
    """Holds one NLP pipeline and reads documents with it."""

    def __init__(
        self,
        *,
        vocabulary: Vocabulary,
        model: str | None = None,
        only: Sequence[SourceDocument] | None = None,
        nlp: Language | None = None,
    ) -> None:
        """``only``: the documents this extractor will read, when they are known and few: the term
        tagger then leaves out the vocabulary's surfaces that cannot occur in them (same matches; a
        large learned vocabulary costs most of the pipeline's build). Not with a ``model``, whose
        tokenizer may split words differently. ``nlp``: the pipeline :func:`build_nlp` gives for
        ``model``, built before the vocabulary was known; it takes this vocabulary's terms."""
        self.vocabulary = vocabulary
        terms = vocabulary.term_rows()
        if only is not None and not model:
            terms = terms_that_may_occur(terms, (block_view(b)[0].text for doc in only for b in parse_blocks(doc).blocks))
        self.nlp = build_nlp(model=model, terms=terms) if nlp is None else with_terms(nlp, terms)
        self.lexicon = default_lexicon()

    def extract(self, doc: SourceDocument) -> DocumentClaims:
        return next(self.extract_many([doc]))

    def extract_many(self, docs: Iterable[SourceDocument], *, batch_docs: int = 32) -> Iterator[DocumentClaims]:
        """Claims of each document, in order; the blocks of ``batch_docs`` documents are tagged in one
        stream (one ``nlp.pipe`` per document costs more than the tagging of a short one)."""
        batch: list[SourceDocument] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) == batch_docs:
                yield from self._extract_batch(batch)
                batch = []
        if batch:
            yield from self._extract_batch(batch)

    def _extract_batch(self, docs: list[SourceDocument]) -> Iterator[DocumentClaims]:
        parsed = [parse_blocks(doc) for doc in docs]
        views = [[block_view(b) for b in p.blocks] for p in parsed]
        tagged = self.nlp.pipe((v.text for per_doc in views for v, _ in per_doc), batch_size=256)
        for doc, p, per_doc in zip(docs, parsed, views):
            units = [
                (b.ignored, BlockUnit(kind=b.kind, view=v, doc=known_text(next(tagged), v.text), focus=focus, heading=b.heading))
                for b, (v, focus) in zip(p.blocks, per_doc)
            ]
            yield self._claims(doc, p, units)

    def _claims(self, doc: SourceDocument, parsed, units: list[tuple[bool, BlockUnit]]) -> DocumentClaims:
        builder = ClaimBuilder(
            lexicon=self.lexicon,
            vocabulary=self.vocabulary,
            read_quantities=extract_quantities,
            line_col=line_index(doc.text).line_col,
        )
        kept = [u for ignored, u in units if not ignored]
        dropped = [u for ignored, u in units if ignored or u.kind == "heading"]
        claims = builder.document_claims(doc.path, doc.text, kept)
        has_ignored = any(ignored for ignored, _ in units)
        suppressed = builder.document_claims(doc.path, doc.text, dropped) if has_ignored else []
        directives = _directive_claims(parsed, suppressed)
        return DocumentClaims(doc.path, claims, suppressed, directives, list(parsed.warnings))


def _directive_claims(parsed, suppressed: list[Claim]) -> list[tuple[int, list[str]]]:
    """For each ignore directive, the claims inside the blocks it covers."""
    ignored = [b.view.to_original(0) for b in parsed.blocks if b.ignored]
    out = []
    directives = sorted(parsed.directives, key=lambda d: d.start)
    for n, d in enumerate(directives):
        if d.kind == "ignore":
            following = [start for start in ignored if start >= d.end]
            lo, hi = (following[0], following[1] if len(following) > 1 else None) if following else (d.end, d.end)
        elif d.kind == "ignore-start":
            lo = d.end
            ends = [e.start for e in directives[n + 1 :] if e.kind == "ignore-end"]
            hi = ends[0] if ends else None
        else:
            continue
        ids = [c.id for c in suppressed if c.start >= lo and (hi is None or c.start < hi)]
        out.append((d.line, ids))
    return out


def extract_chunk(docs: list[SourceDocument], vocabulary: Vocabulary, model: str | None) -> list[DocumentClaims]:
    """Read a chunk of documents with a pipeline built for it (the task of one worker process)."""
    extractor = Extractor(vocabulary=vocabulary, model=model)
    return list(extractor.extract_many(docs))
