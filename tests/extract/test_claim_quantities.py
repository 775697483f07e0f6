"""How a sentence's negation and wording change the quantities and subject of its claims."""

from __future__ import annotations

import math

import pytest


def _only_quantity(audit, text: str):
    claims = audit({"doc.txt": text}).claims
    found = {(q.role, q.comparator, q.base_low, q.base_high, q.negated) for c in claims for q in c.quantities}
    assert len(found) == 1, found
    return found.pop()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a plain negation of a strict bound, with only its verb between, states the other bound
        ("Children should not take more than 1 mg of melatonin.", ("dose", "<=", 0.0, 1.0, False)),
        ("Melatonin should not be used for more than 3 months.", ("course_duration", "<=", 0.0, 3 * 730.5, False)),
        ("Ketamine infusions should never last less than 4 hours.", ("infusion_duration", ">=", 4.0, math.inf, False)),
        # "exceed" is a strict bound too: 1,200 mg a day is 50 mg an hour in base units
        ("Adults should not exceed 1,200 mg of ibuprofen per day.", ("dose_rate", "<=", 0.0, 50.0, False)),
        # a hedge, or a negation of another verb, leaves the quantity negated (never compared)
        ("The effects of ketamine are unlikely to last more than 48 hours.", ("relief_duration", ">", 48.0, math.inf, True)),
        ("Patients who did not respond received more than 2 infusions of ketamine.", ("dose_count", ">", 2.0, math.inf, True)),
        # no bound to deny: "not 3 mg" says no value
        ("Children should not take 3 mg of melatonin.", ("dose", "=", 3.0, 3.0, True)),
    ],
)
def test_a_negated_bound(audit, text, expected):
    assert _only_quantity(audit, text) == expected


def test_a_unit_after_a_number_is_no_subject(audit):
    """'Doses of 0.5-5 mg are common' names no subject: the section's (its heading's) is meant, so the
    doses of two drugs in one article are not compared as the doses of "mg"."""
    result = audit({"doc.md": "# Melatonin\n\nMelatonin helps sleep. Doses of 0.5-5 mg are common.\n\n"
                              "# Diphenhydramine\n\nDiphenhydramine helps sleep. Doses of 25-50 mg are common.\n"})
    doses = [(c.subject, c.quantities[0].low) for c in result.claims if c.aspect == "dosage"]
    assert doses == [("melatonin", 0.5), ("diphenhydramine", 25.0)]
    assert result.findings.conflicts == []


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("One hundred milligrams of hydrocortisone increased blood pressure.", "hydrocortisone"),
        ("Treatment with 10 micrograms/mL etoposide increased apoptosis.", "etoposide"),
        # what a number counts is no unit: it stays the subject
        ("Two transcription factors increase IL-2 expression.", "transcription factor"),
        ("A second messenger cascade increases calcium release.", "second messenger cascade"),
    ],
)
def test_the_subject_after_a_number(audit, text, subject):
    assert {c.subject for c in audit({"doc.txt": text}).claims} == {subject}
