"""claimaudit_terms: marks the user's vocabulary terms (canonical names, aliases, abbreviations)."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

SPAN_KEY = "claimaudit_terms"


class TermTagger:
    """Case-insensitive phrase match of every surface form; abbreviations match case-sensitively."""

    def __init__(self, nlp: Language, name: str, terms: list) -> None:
        self.name = name
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        groups: dict[tuple[str, bool], list[str]] = {}
        for surface, canonical, is_abbreviation in terms:
            groups.setdefault((canonical, bool(is_abbreviation)), []).append(surface)
        for (canonical, is_abbreviation), surfaces in sorted(groups.items()):
            matcher = self.exact if is_abbreviation else self.lower
            matcher.add(canonical, list(nlp.tokenizer.pipe(sorted(set(surfaces)))))

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        spans = [
            Span(doc, start, end, label="TERM", span_id=strings[match_id])
            for match_id, start, end in list(self.lower(doc)) + list(self.exact(doc))
        ]
        doc.spans[SPAN_KEY] = filter_spans(spans)
        return doc


@Language.factory("claimaudit_terms", default_config={"terms": []}, assigns=["doc.spans"])
def make_term_tagger(nlp: Language, name: str, terms: list) -> TermTagger:
    """``terms``: [surface, canonical, is_abbreviation] rows from the vocabulary."""
    return TermTagger(nlp, name, terms)
