"""Who a sentence says its claim comes from."""

from __future__ import annotations

import pytest

from claimaudit.extract.attribution import read_attribution


@pytest.mark.parametrize(
    ("text", "source", "specific"),
    [
        ("A 2019 meta-analysis concluded that ketamine infusions provide short-term relief.", "a 2019 meta-analysis", True),
        (
            "Melatonin does not reduce jet lag symptoms, according to a 2002 Cochrane review that found benefit only for long flights.",
            "a 2002 cochrane review",
            True,
        ),
        ("According to the researchers, who enrolled 40 patients, the effect was small.", "the researchers", False),
        ("Several studies have shown that magnesium reduces migraine attacks.", "several studies", False),
        ("A 2017 meta-analysis in the BMJ found a higher risk of heart attack.", "a 2017 meta-analysis in the bmj", True),
        ("Magnesium reduces migraine attacks.", "", False),
    ],
)
def test_source_and_specificity(text: str, source: str, specific: bool) -> None:
    found = read_attribution(text)
    assert (found.source, found.specific) == (source, specific)


def test_disagreement_between_sources_is_marked() -> None:
    assert read_attribution("Some studies found a benefit, while others found none.").contrast
    assert not read_attribution("Studies found a benefit.").contrast
