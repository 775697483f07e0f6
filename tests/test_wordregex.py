"""The factored word alternations match exactly what the flat ones match."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from claimaudit.wordregex import alternation, initials, prefix_tree

_WORDS = st.lists(st.text(alphabet="abé.-", min_size=1, max_size=5), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(_WORDS, st.text(alphabet="abé.-", max_size=7))
def test_prefix_tree_matches_what_the_flat_alternation_matches(words: list[str], probe: str) -> None:
    """The same full matches, and the same longest match at the start of any text (words that are
    prefixes of others: "a", "ab", "ab-")."""
    flat = re.compile(f"(?:{alternation(words)})", re.IGNORECASE)
    tree = re.compile(f"(?:{prefix_tree(words)})", re.IGNORECASE)
    assert bool(tree.fullmatch(probe)) == bool(flat.fullmatch(probe))
    for word in words:
        assert tree.fullmatch(word) and tree.fullmatch(word.upper())
    flat_end = max((m.end() for w in words if (m := re.match(re.escape(w), probe, re.IGNORECASE))), default=None)
    found = tree.match(probe)
    assert (found.end() if found else None) == flat_end


def test_prefix_tree_of_number_words_reads_like_one() -> None:
    assert prefix_tree(["four", "fourteen", "five", "forty"]) == "f(?:ive|o(?:rty|ur(?:teen)?))"
    assert initials(["four", "two", "Ten", "-x"]) == r"[T\-ft]"


def test_no_words_match_nothing() -> None:
    for part in (prefix_tree([]), initials([]), initials([""])):
        assert re.search(part, "one two") is None
