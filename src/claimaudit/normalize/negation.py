"""Negation with scope, in the manner of NegEx/ConText: triggers, pseudo-triggers, terminators."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span

# Punctuation that closes a negation scope; a clause ends there.
SCOPE_BREAKS = frozenset({",", ";", ":", ".", "!", "?", "(", ")", "—", "–"})
MAX_SCOPE = 8  # tokens a forward scope may cover when no terminator comes first
# A cue of another category whose literal also denies the proposition it governs.
NEGATING_RULES = frozenset({"possible.unlikely"})


def negation_scopes(sent: Span, cues: Sequence[Span]) -> list[tuple[int, int, Span]]:
    """(start, end) token ranges, relative to the doc, that each negation cue in ``sent`` governs."""
    doc = sent.doc
    terminators = {c.start for c in cues if c.label_ == "TERMINATE"}
    scopes = []
    for cue in cues:
        negating = cue.label_ == "NEGATION" or cue.id_ in NEGATING_RULES
        if not negating:
            continue
        direction = "BACKWARD" if cue.id_ in _BACKWARD else "FORWARD"
        if direction == "FORWARD":
            end = cue.end
            while end < sent.end and end - cue.end < MAX_SCOPE:
                if end in terminators or doc[end].text in SCOPE_BREAKS:
                    break
                end += 1
            scopes.append((cue.end, end, cue))
        else:
            start = cue.start
            while start > sent.start and cue.start - start < MAX_SCOPE:
                if start - 1 in terminators or doc[start - 1].text in SCOPE_BREAKS:
                    break
                start -= 1
            scopes.append((start, cue.start, cue))
    return scopes


_BACKWARD = frozenset(
    {"negation.absent", "negation.ruled_out", "negation.not_seen", "negation.resolved", "negation.was_negative"}
)


def negating_cue(anchor_start: int, anchor_end: int, scopes: list[tuple[int, int, Span]]) -> Span | None:
    """The negation cue whose scope covers the anchor tokens, if any."""
    for start, end, cue in scopes:
        if start <= anchor_start < end or start < anchor_end <= end:
            return cue
    return None
