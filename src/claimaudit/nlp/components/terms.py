"""claimaudit_terms: marks the user's vocabulary terms (canonical names, aliases, abbreviations)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from spacy.lang.en import English
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


_RUN = re.compile(r"[^\W\d_]+|\d+")  # a run of letters or of digits


@cache
def _split_runs() -> frozenset[str]:
    """Runs of letters (or digits) that English tokenizer exceptions split into several tokens
    ("cannot" -> "can" "not"). No other rule splits such a run: prefixes, suffixes and infixes are
    punctuation, or digits against letters."""
    return frozenset(k.lower() for k, tokens in English.Defaults.tokenizer_exceptions.items() if len(tokens) > 1 and _RUN.fullmatch(k))


def terms_that_may_occur(terms: list, texts: Iterable[str]) -> list:
    """The rows of ``terms`` that may match in ``texts`` (the texts the tagger will read, as it reads
    them), for a pipeline built to read only those: a surface can match only if each of its runs of
    letters or digits, lower-cased, stands somewhere in the lower-cased texts, since a match's tokens are
    tokens of the text and a run is never split across tokens but by an exception. Surfaces with such a
    run, or outside ASCII (where lower-casing depends on context), are always kept. Leaving the others
    out changes no match, and spares tokenizing them (most of building the pipeline for a few documents
    beside a large learned vocabulary)."""
    haystack = "\n".join(texts).lower()
    split = _split_runs()
    kept = []
    for row in terms:
        surface = str(row[0]).lower()
        runs = _RUN.findall(surface)
        if not surface.isascii() or any(run in split for run in runs) or all(run in haystack for run in runs):
            kept.append(row)
    return kept
