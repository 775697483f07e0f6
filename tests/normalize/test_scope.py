"""Scope helpers: the crude singular used to match condition and subject phrases; nested populations."""

from __future__ import annotations

import pytest

from claimaudit.nlp.lexicon import default_lexicon
from claimaudit.normalize.scope import singular


@pytest.mark.parametrize(
    ("plural", "expected"),
    [
        ("syndromes", "syndrome"),
        ("therapies", "therapy"),
        ("patches", "patch"),
        ("rashes", "rash"),
        ("boxes", "box"),
        ("illnesses", "illness"),
        ("headaches", "headache"),  # -ache words keep their e
        ("doses", "dose"),
        ("analysis", "analysis"),
        ("virus", "virus"),
        ("fibrosis", "fibrosis"),
        ("gas", "gas"),
        ("diabetes", "diabetes"),  # singular nouns in -s
        ("rickets", "rickets"),
        ("species", "species"),
    ],
)
def test_singular(plural, expected):
    assert singular(plural) == expected


@pytest.mark.parametrize(
    ("value", "broader", "expected"),
    [
        ("pregnant", "pregnant", True),
        ("pregnant", "women", True),
        ("pregnant", "adults", True),  # followed upwards through women
        ("women", "pregnant", False),
        ("men", "women", False),
        ("children", "adults", False),
    ],
)
def test_a_population_lies_within_the_broader_ones(value: str, broader: str, expected: bool) -> None:
    assert default_lexicon().within("population", value, broader) is expected
