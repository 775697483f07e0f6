"""Terminology: vocabulary loading, abbreviation detection, numbered forms, misspellings."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from claimaudit.errors import DataFileError
from claimaudit.normalize.terms import (
    Vocabulary,
    detect_abbreviations,
    find_variants,
    numbered_aliases,
    numbered_candidates,
    TermSummary,
    parse_vocabulary,
    summarize_terms,
)

VOCABULARY = """\
entities:
  - name: Psychiatric disorder
    type: condition
    narrower: [depression, anxiety disorder]
  - name: depression
    type: condition
    aliases: [major depressive disorder]
    narrower: [postpartum depression]
  - name: ketamine
    type: intervention
    aliases: [Ketalar]
    abbreviations: [KET]
"""


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Complex regional pain syndrome (CRPS) is rare.", {"CRPS": "complex regional pain syndrome"}),
        ("It inhibits N-methyl-D-aspartate (NMDA) receptors.", {"NMDA": "n-methyl-d-aspartate"}),
        ("The Food and Drug Administration (FDA) approved it.", {"FDA": "food and drug administration"}),
        ("heart rate variability (HRV) fell", {"HRV": "heart rate variability"}),
        ("as shown before (see Fig 2) and (a) and (2019)", {}),
        ("in patients (n = 40) with pain (VAS)", {}),
        # initials first: Schwartz-Hearst alone finds both P's in "pump"
        ("Proton pump inhibitors (PPIs) reduce acid.", {"PPIs": "proton pump inhibitors"}),
        ("Low-dose naltrexone (LDN) is off-label.", {"LDN": "low-dose naltrexone"}),
    ],
)
def test_abbreviations_defined_in_text(text, expected):
    assert detect_abbreviations(text) == expected


def test_vocabulary_aliases_abbreviations_and_transitive_relations():
    vocabulary = parse_vocabulary(VOCABULARY, "vocabulary.yaml")
    assert vocabulary.canonical("ketalar") == "ketamine"
    assert vocabulary.canonical("KET") == "ketamine" and vocabulary.canonical("ket") is None  # abbreviations are case-sensitive
    assert vocabulary.canonical("Major Depressive Disorder") == "depression"
    assert vocabulary.relation("postpartum depression", "psychiatric disorder") == "narrower"
    assert vocabulary.relation("psychiatric disorder", "depression") == "broader"
    assert vocabulary.relation("depression", "anxiety disorder") is None


@pytest.mark.parametrize(
    "text, message",
    [
        ("entities:\n  - name: x\n    typ: condition\n", "vocabulary.yaml:2: unknown key(s): typ"),
        ("entities:\n  - name: x\n    type: drug\n", "unknown type 'drug'"),
        ("entities:\n  - name: x\n  - name: X\n", "vocabulary.yaml:3: duplicate entity 'x'"),
        ("entities:\n  - aliases: [a]\n", "missing key(s): name"),
        ("entities: [\n", "invalid YAML"),
        ("terms: []\n", "expected a mapping with one key, 'entities'"),
        ("entities:\n  - name: a\x00b\n", "vocabulary.yaml:2: invalid YAML: unacceptable character #x0000"),
    ],
)
def test_vocabulary_mistakes_are_located(text, message):
    with pytest.raises(DataFileError) as info:
        parse_vocabulary(text, "vocabulary.yaml")
    assert message in str(info.value)
    assert "\n" not in str(info.value)  # one line, like every error


def test_numbered_forms_join_a_known_abbreviation():
    vocabulary = Vocabulary().with_detected({"CRPS": "complex regional pain syndrome"})
    found = numbered_aliases(numbered_candidates("CRPS-1 and CRPS type I, unlike GLP-1 or COVID-19"), vocabulary)
    assert found == {"CRPS type I": "complex regional pain syndrome", "CRPS-1": "complex regional pain syndrome"}


def test_a_transposed_acronym_is_a_misspelling_of_the_frequent_one():
    vocabulary = Vocabulary().with_detected({"NMDA": "n-methyl-d-aspartate"})
    texts = ["NMDA receptors. NMDA blocks. The NMDA site.", "a strong NDMA antagonist"]
    variants = find_variants(_acronym_counts(texts), vocabulary)
    assert [(v.surface, v.canonical, v.entity) for v in variants] == [("NDMA", "NMDA", "n-methyl-d-aspartate")]


def test_distinct_acronyms_are_not_misspellings():
    vocabulary = Vocabulary().with_detected({"NMDA": "n-methyl-d-aspartate", "AMPA": "amino acid"})
    assert find_variants(_acronym_counts(["NMDA and AMPA receptors; NMDA again; the CDC and the FDA"]), vocabulary) == []


def _acronym_counts(texts):
    counts = Counter()
    for text in texts:
        counts.update(dict(summarize_terms(text).acronyms))
    return counts


def test_a_term_summary_holds_what_the_text_adds_and_survives_json():
    summary = summarize_terms("Complex regional pain syndrome (CRPS) and CRPS-1. NMDA, NMDA and NDMA.")
    assert summary.abbreviations == (("CRPS", "complex regional pain syndrome"),)
    assert summary.numbered == (("CRPS-1", "CRPS"),)
    assert dict(summary.acronyms) == {"CRPS": 2, "NMDA": 2, "NDMA": 1}  # "CRPS-1" counts too
    assert TermSummary.from_json(json.loads(json.dumps(summary.to_json()))) == summary


def test_pieces_of_codes_are_not_acronyms_but_subtypes_and_hyphenated_words_are():
    """A cell line "PLB-985" is no misspelling of "PBL"; "CRPS-1" is CRPS, "NDMA-receptor" a misspelled NMDA."""
    summary = summarize_terms("PLB-985 and PLB-IIIB cells; SMX-NHOH; CRPS-1 and HIV-II; NDMA-receptor, INF-gamma.")
    assert dict(summary.acronyms) == {"CRPS": 1, "HIV": 1, "NDMA": 1, "INF": 1}
    vocabulary = Vocabulary().with_detected({"PBL": "peripheral blood lymphocytes"})
    texts = ["PBL were isolated. PBL again. Resting PBL.", "PLB-985 and PLB-IIIB cells differ."]
    assert find_variants(_acronym_counts(texts), vocabulary) == []
