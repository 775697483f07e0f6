"""Cheap access to token attributes on the hot paths.

Indexing a ``Doc`` creates a ``Token`` object each time, and ``Span.text`` joins its tokens; the
extractor reads both many times per sentence. These helpers read the doc's text and a per-doc list
of lower-case forms instead (kept in ``doc.user_data``, so it lives and dies with the doc).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

_LOWER = "claimaudit.lower"


def span_text(span: Span) -> str:
    """``span.text`` (the span's characters, without trailing whitespace), without joining tokens."""
    return span.doc.text[span.start_char : span.end_char]


def lowers(doc: Doc) -> list[str]:
    """``[t.lower_ for t in doc]``, computed once per doc."""
    found = doc.user_data.get(_LOWER)
    if found is None or len(found) != len(doc):
        found = doc.user_data[_LOWER] = [t.lower_ for t in doc]
    return found
