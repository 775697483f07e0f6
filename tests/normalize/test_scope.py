"""Scope helpers: the crude singular used to match condition and subject phrases."""

from __future__ import annotations

import pytest

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
