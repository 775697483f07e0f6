"""Cheap access to token attributes on the hot paths.

Indexing a ``Doc`` creates a ``Token`` object each time, and ``Span.text`` joins its tokens; the
extractor reads both many times per sentence. These helpers read the doc's text and a per-doc list
of lower-case forms instead, each computed once (kept in ``doc.user_data``, so it lives and dies with the doc).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported only by a run that extracts claims
    from spacy.tokens import Doc, Span


_LOWER = "claimaudit.lower"
_POS = "claimaudit.has_pos"
_TEXT = "claimaudit.text"


def doc_text(doc: Doc) -> str:
    """``doc.text`` (which joins every token on each access), computed once per doc."""
    found = doc.user_data.get(_TEXT)
    if found is None:
        found = doc.user_data[_TEXT] = doc.text
    return found


def known_text(doc: Doc, text: str) -> Doc:
    """Record the text ``doc`` was made from (spaCy's tokenizers keep it exactly; a cheap length check
    guards against one that does not)."""
    if len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) == len(text) or not len(doc) and not text:
        doc.user_data[_TEXT] = text
    return doc


def span_text(span: Span) -> str:
    """``span.text`` (the span's characters, without trailing whitespace), without joining tokens."""
    return doc_text(span.doc)[span.start_char : span.end_char]


def lowers(doc: Doc) -> list[str]:
    """``[t.lower_ for t in doc]``, computed once per doc."""
    found = doc.user_data.get(_LOWER)
    if found is None or len(found) != len(doc):
        strings = doc.vocab.strings
        found = doc.user_data[_LOWER] = [strings[h] for h in doc.to_array("LOWER").tolist()]
    return found


def has_pos(doc: Doc) -> bool:
    """``doc.has_annotation("POS")`` (a pass over every token), computed once per doc."""
    found = doc.user_data.get(_POS)
    if found is None:
        found = doc.user_data[_POS] = doc.has_annotation("POS")
    return found
