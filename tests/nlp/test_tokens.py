"""Cheap token access: the helpers give what spaCy's own attributes give."""

from __future__ import annotations

import spacy

from claimaudit.nlp.tokens import doc_text, has_pos, known_text, lowers, span_text


def test_helpers_agree_with_spacy():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp("Ketamine IS  effective. It lasts\u00a0about 2 WEEKS.  ")
    assert doc_text(doc) == doc.text
    assert lowers(doc) == [t.lower_ for t in doc]
    assert [span_text(s) for s in doc.sents] == [s.text for s in doc.sents]
    assert has_pos(doc) is False


def test_known_text_is_kept_only_when_it_fits_the_doc():
    nlp = spacy.blank("en")
    doc = known_text(nlp("Ketamine works."), "Ketamine works.")
    assert span_text(doc[0:1]) == "Ketamine"
    other = known_text(nlp("Ketamine works."), "Something else entirely.")  # not the doc's text: ignored
    assert doc_text(other) == "Ketamine works."
