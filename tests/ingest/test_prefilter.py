"""Required literals of furniture patterns: the prefilter may only ever skip searches that would fail."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimaudit.ingest.prefilter import fold, may_match, required_literals
from claimaudit.ingest.structure import load_furniture


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"\bcookie (?:policy|settings)\b", {"cookie "}),  # the longer of two required parts
        (r"\b(?:subscribe|join) to\b", {"subscribe", "join"}),  # one per alternative; more selective than " to"
        (r"colou?r", {"colo"}),  # an optional letter ends the run
        (r"(?:ab)+c", {"ab"}),  # a repeat needed at least once
        (r"^(?=.*\b(?:call|phone)\b)(?=.*\d{3})", {"call", "phone"}),  # lookaheads scan the text
        (r"(?-i:NEWS) (?:UPDATE)", {" update"}),  # case folded, whatever the inline flags
    ],
)
def test_literals_every_match_needs(pattern: str, literals: set[str]) -> None:
    assert required_literals(re.compile(pattern, re.IGNORECASE)) == literals


@pytest.mark.parametrize(
    "pattern",
    [
        r"^(?:home|menu)$",  # anchored: one position to try, cheaper than any prefilter
        r"\d+(?:mg|g)?",  # nothing literal is certain to be there
        r"(?:cookie|)s",  # an empty alternative leaves only "s"... which is still required
        r"x*y*",
    ],
)
def test_patterns_without_a_useful_prefilter(pattern: str) -> None:
    got = required_literals(re.compile(pattern, re.IGNORECASE))
    assert got is None or got == {"s"}


def test_the_prefilter_rules_out_only_texts_without_the_words() -> None:
    literals = required_literals(re.compile(r"\bwe use cookies\b", re.IGNORECASE))
    assert not may_match(literals, fold("This study used rats."))
    assert may_match(literals, fold("WE USE COOKIES to improve this site."))
    assert may_match(None, fold("anything"))


_PIECES = st.sampled_from(
    ["cookie", "COOKIES", "Cookie policy", "we use cookies", "subscribe", "SIGN UP", "newsletter",
     "all rights reserved", "©", "(c)", "Copyright", "call us", "contact", "(555) 123-4567", "doi.org/",
     "et al", "2019;20(3):123", "DİSCLAİMER", "ſubscribe", "Kookie", "\u00a0", " ", ".", ",", "the", "pain"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map(" ".join))
def test_no_furniture_rule_is_skipped_when_its_pattern_matches(text: str) -> None:
    folded = fold(text)
    for rule in load_furniture():
        if rule.pattern.search(text):
            assert may_match(rule.literals, folded), (rule.id, text)
