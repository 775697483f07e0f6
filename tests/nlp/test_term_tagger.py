"""The term tagger, and the pattern prefilter of a pipeline built for a few known documents."""

from __future__ import annotations

import hashlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimaudit.engine import Extractor
from claimaudit.nlp.components.terms import SPAN_KEY, terms_that_may_occur
from claimaudit.nlp.pipeline import build_nlp
from claimaudit.normalize.terms import Vocabulary
from claimaudit.records import SourceDocument

TERMS = [
    ["complex regional pain syndrome", "complex regional pain syndrome", False],
    ["CRPS", "complex regional pain syndrome", True],
    ["N-methyl-D-aspartate", "nmda", False],
    ["HIV-1", "hiv type 1", False],
    ["tumor necrosis factor-alpha", "tnf", False],
    ["10mg dose", "low dose", False],
    ["cannot sleep", "insomnia", False],
    ["Sjögren syndrome", "sjogren", False],
    ["ketamine", "ketamine", False],
]


def tagged(terms: list, text: str) -> list[tuple[int, int, str]]:
    doc = build_nlp(terms=terms)(text)
    return [(s.start_char, s.end_char, s.id_) for s in doc.spans[SPAN_KEY]]


def test_only_surfaces_that_cannot_occur_are_left_out() -> None:
    text = "Patients with CRPS (complex regional\npain syndrome) received ketamine."
    kept = [row[0] for row in terms_that_may_occur(TERMS, [text])]
    # "cannot" is split by an exception and "Sjögren" is not ASCII: kept whatever the text
    assert kept == ["complex regional pain syndrome", "CRPS", "cannot sleep", "Sjögren syndrome", "ketamine"]


def test_matches_across_spacing_survive_the_prefilter() -> None:
    # the tokens of a surface may stand apart in the text: "10 mg" for "10mg", "can not" for "cannot"
    text = "Tumor necrosis factor - alpha rose after a 10 mg dose; some can not sleep; HIV- 1."
    full = tagged(TERMS, text)
    assert {label for *_, label in full} >= {"low dose", "insomnia"}
    assert tagged(terms_that_may_occur(TERMS, [text]), text) == full


words = st.sampled_from(
    "complex regional pain syndrome CRPS crps N-methyl-D-aspartate HIV-1 HIV - 1 tumor necrosis factor-alpha "
    "factor alpha 10mg 10 mg dose cannot can not sleep Sjögren SJÖGREN ketamine Ketamine KETAMINE , . ( )".split()
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(words, max_size=30), st.sampled_from([" ", "", "\n", "  "]))
def test_the_prefilter_never_changes_a_match(tokens: list[str], glue: str) -> None:
    text = glue.join(tokens) or "."
    assert tagged(terms_that_may_occur(TERMS, [text]), text) == tagged(TERMS, text)


def test_an_extractor_built_for_its_documents_reads_them_as_a_full_one() -> None:
    detected = {"CRPS": "complex regional pain syndrome", "NDMA": "nmda", "IDA": "iron deficiency anemia"}
    vocabulary = Vocabulary().with_detected(detected)
    text = "<p>Ketamine is effective for CRPS, and <b>NDMA</b> receptor blockade is proven.</p>\n"
    doc = SourceDocument("a.html", text, hashlib.sha256(text.encode()).hexdigest(), "utf-8")
    full = Extractor(vocabulary=vocabulary)
    only = Extractor(vocabulary=vocabulary, only=[doc])
    assert only.extract(doc) == full.extract(doc)
    assert any("complex regional pain syndrome" in c.terms for c in full.extract(doc).claims)
    tagger = only.nlp.get_pipe("claimaudit_terms")
    assert "IDA" not in {row[0] for row in terms_that_may_occur(vocabulary.term_rows(), [text])}
    assert len(tagger.exact) < len(full.nlp.get_pipe("claimaudit_terms").exact)  # IDA left out
