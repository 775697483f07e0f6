"""The conflict rules: code, name, kind, default severity and summary of each (imported by the
configuration and the reports without the comparison itself)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    """A conflict rule: stable code, dotted name, kind, default severity, what it finds."""

    code: str
    name: str
    kind: str
    severity: str
    summary: str


RULES = {
    r.code: r
    for r in (
        Rule("CA101", "terminology.spelling-variant", "terminology", "info",
             "One entity spelled two ways across the documents (a likely typo)."),
        Rule("CA201", "polarity.opposite", "polarity", "error",
             "The same statement is affirmed in one place and denied in another."),
        Rule("CA202", "antonym.opposite-predicate", "antonym", "error",
             "Opposite predicates (increase/decrease, safe/harmful, recommended/discouraged) on the same thing."),
        Rule("CA203", "antonym.effect-duration", "antonym", "warning",
             "An effect called short-lived in one place and long-lasting in another."),
        Rule("CA204", "antonym.safe-vs-advised-against", "antonym", "warning",
             "Called safe for a group in one place and not recommended (or recommended while unsafe) for it in another."),
        Rule("CA301", "certainty.established-vs-unsettled", "certainty", "warning",
             "A claim stated as proven or emphatic where another says the evidence is mixed or unknown."),
        Rule("CA302", "evidence.grade-mismatch", "evidence", "warning",
             "Different stated strength of evidence for the same effect."),
        Rule("CA401", "numeric.disjoint", "numeric", "warning",
             "The same quantity given values that cannot both hold."),
    )
}
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
