"""Certainty ladder and evidence grades from the cues of a sentence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from claimaudit.normalize.negation import negating_cue

if TYPE_CHECKING:  # spaCy is imported only by a run that extracts claims
    from spacy.tokens import Span

# Ladder, high to low. A plain assertion with no cue reads as "probable".
LEVELS = ("unknown", "mixed", "possible", "probable", "proven")
RANK = {name: i for i, name in enumerate(LEVELS)}
CATEGORY_LEVEL = {
    "PROVEN": "proven",
    "PROBABLE": "probable",
    "POSSIBLE": "possible",
    "UNSETTLED": "mixed",
    "UNKNOWN": "unknown",
}
GRADES = ("insufficient", "weak", "moderate", "strong")
GRADE_RANK = {name: i for i, name in enumerate(GRADES)}
CATEGORY_GRADE = {
    "EVIDENCE_STRONG": "strong",
    "EVIDENCE_MODERATE": "moderate",
    "EVIDENCE_WEAK": "weak",
    "EVIDENCE_INSUFFICIENT": "insufficient",
}
GRADE_LEVEL = {"strong": "proven", "moderate": "probable", "weak": "possible", "insufficient": "mixed"}


def read_certainty(
    cues: Sequence[Span], scopes: list[tuple[int, int, Span]]
) -> tuple[str, str, list[Span]]:
    """(certainty, evidence grade or "", the cues that decided) for one sentence.

    The lowest level stated wins: "studies suggest it may help" is possible, not probable.
    A negated booster ("has not been proven") or negated strong evidence reads as mixed.
    """
    level = "probable"
    grade = ""
    decided: list[Span] = []
    candidates: list[tuple[str, Span]] = []
    for cue in cues:
        if cue.label_ in CATEGORY_LEVEL:
            name = CATEGORY_LEVEL[cue.label_]
            if cue.label_ == "PROVEN" and negating_cue(cue.start, cue.end, scopes):
                name = "mixed"
            candidates.append((name, cue))
        elif cue.label_ in CATEGORY_GRADE:
            g = CATEGORY_GRADE[cue.label_]
            if g in ("strong", "moderate") and negating_cue(cue.start, cue.end, scopes):
                g = "insufficient"
            if not grade or GRADE_RANK[g] < GRADE_RANK[grade]:
                grade = g
            candidates.append((GRADE_LEVEL[g], cue))
    if candidates:
        lowest = min(RANK[name] for name, _ in candidates)
        level = LEVELS[lowest]
        decided = [cue for name, cue in candidates if RANK[name] == lowest]
    return level, grade, decided
