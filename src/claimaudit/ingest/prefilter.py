"""Required literals of a regular expression: a cheap test that rules most texts out before the search.

An unanchored case-insensitive search that starts with ``\\b`` or an alternation tries every position of
the text; on long paragraphs the furniture rules spent more time there than spaCy spent tokenizing.
Almost every such rule needs one of a few words ("cookie", "subscribe", "all rights reserved"), and a
substring test for them is many times faster. The literals are read from the pattern itself (Python's
own regex parser), so user rules get the same treatment and no rule has to list them by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

try:  # the parser `re` itself uses; private, so every failure below means "no prefilter"
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    _c = _parser = None

Literals = frozenset[str]
# Characters a case-insensitive `re` equates with an ASCII letter that casefold() does not map to it:
# dotless ı (matches "i"), and the dot that casefold() leaves after the i of "İ".
_FOLD = str.maketrans({"\u0131": "i", "\u0307": None})


def fold(text: str) -> str:
    """The form both the literals and the searched text are compared in."""
    return text.casefold().translate(_FOLD)


def required_literals(pattern: re.Pattern[str]) -> Literals | None:
    """Case-folded strings one of which every text the pattern matches in contains, or None when
    the pattern gives no such guarantee (or cannot be read)."""
    if _parser is None:
        return None
    try:
        items = list(_parser.parse(pattern.pattern, pattern.flags))
        if _cheap(items, pattern.flags):
            return None
        return _sequence(items)
    except Exception:  # noqa: BLE001 - an unexpected parse tree only costs speed
        return None


def _cheap(items: list[tuple], flags: int) -> bool:
    """Anchored at the start of the text (and not scanning it in a lookahead): a search tries one
    position, which costs less than looking for literals."""
    return (
        not flags & re.MULTILINE
        and bool(items)
        and items[0] == (_c.AT, _c.AT_BEGINNING)
        and not (len(items) > 1 and items[1][0] is _c.ASSERT)
    )


def may_match(literals: Literals | None, folded_text: str) -> bool:
    """False only when the pattern cannot match: ``folded_text`` (``fold(text)``) has none of them."""
    return literals is None or any(lit in folded_text for lit in literals)


def _sequence(items: Iterable[tuple]) -> Literals | None:
    """Literals of a sequence: runs of literal characters and the literals of required sub-parts; the
    most selective candidate (longest shortest literal) wins."""
    candidates: list[Literals] = []
    run = ""
    for op, arg in items:
        if op is _c.LITERAL:
            run += chr(arg)
            continue
        if run:
            candidates.append(frozenset({fold(run)}))
            run = ""
        sub = _required_part(op, arg)
        if sub:
            candidates.append(sub)
    if run:
        candidates.append(frozenset({fold(run)}))
    candidates = [c for c in candidates if all(c)]  # an empty literal would match anything
    return max(candidates, key=lambda c: (min(map(len, c)), -len(c)), default=None)


def _required_part(op, arg) -> Literals | None:
    if op is _c.SUBPATTERN:
        return _sequence(arg[-1])
    if op is _c.ATOMIC_GROUP:
        return _sequence(arg)
    if op is _c.ASSERT:  # a lookahead or lookbehind: what it needs is in the text too
        return _sequence(arg[1])
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and arg[0] >= 1:
        return _sequence(arg[2])
    if op is _c.BRANCH:
        branches = [_sequence(b) for b in arg[1]]
        if all(branches):
            return frozenset().union(*branches)
    return None
