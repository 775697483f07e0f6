"""Negation with scope, in the manner of NegEx/ConText: triggers, pseudo-triggers, terminators."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported only by a run that extracts claims
    from spacy.tokens import Span


# Punctuation that closes a negation scope; a clause ends there.
SCOPE_BREAKS = frozenset({",", ";", ":", ".", "!", "?", "(", ")", "—", "–"})
_COORDINATORS = frozenset({"and", "or", "but"})
# Modals and auxiliaries that open a second verb phrase after a coordinator.
_AUXILIARIES = frozenset("should must can could may might will would is are was were has have does do".split())
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
            end, limit, list_end = cue.end, cue.end + MAX_SCOPE, 0
            while end < sent.end and end < limit:
                if doc[end].lower_ in _COORDINATORS and end + 1 < sent.end and doc[end + 1].lower_ in _AUXILIARIES:
                    break  # "is not safe and should be avoided": a second predicate of its own
                if end in terminators or doc[end].text in SCOPE_BREAKS:
                    # a comma between the items of a negated list does not close the scope
                    if doc[end].text != "," or end in terminators:
                        break
                    if end >= list_end:
                        list_end = _list_end(doc, end, sent.end, terminators) or 0
                        if not list_end:
                            break
                        limit = max(limit, list_end)
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


LIST_ITEM = 4  # tokens an item of a negated list ("no fever, chills, or night sweats") may have
LIST_CONJUNCTIONS = frozenset({"or", "nor"})


def _list_end(doc, comma: int, sent_end: int, terminators: set[int]) -> int | None:
    """If the comma at ``comma`` separates items of a list closed by "or"/"nor" ("no murmurs,
    rubs, or gallops"), the token index where the list's last item ends; else None.

    Items are short (at most LIST_ITEM tokens) and hold no break or terminator, so a comma
    before a new clause ("did not help, and it ...") still closes the scope.
    """
    items, size, i = 0, 0, comma + 1
    while i < sent_end:
        tok = doc[i]
        if tok.lower_ in LIST_CONJUNCTIONS and i not in terminators:
            if not (items or size):
                return None
            end = i + 1
            while end < sent_end and end - i <= LIST_ITEM:
                if end in terminators or doc[end].text in SCOPE_BREAKS or doc[end].lower_ in LIST_CONJUNCTIONS:
                    break
                end += 1
            return end if end > i + 1 else None
        if tok.text == ",":
            if not size:
                return None
            items, size = items + 1, 0
        elif i in terminators or tok.text in SCOPE_BREAKS:
            return None
        else:
            size += 1
            if size > LIST_ITEM:
                return None
        i += 1
    return None


_BACKWARD = frozenset(
    {"negation.absent", "negation.ruled_out", "negation.not_seen", "negation.resolved", "negation.was_negative"}
)


def negating_cue(anchor_start: int, anchor_end: int, scopes: list[tuple[int, int, Span]]) -> Span | None:
    """The negation cue whose scope covers the anchor tokens, if any."""
    for start, end, cue in scopes:
        if start <= anchor_start < end or start < anchor_end <= end:
            return cue
    return None
