"""Regular expressions for sets of literal words (number words).

Case-insensitive ``re`` cannot skip a branch of an alternation by its first letter: a flat
alternation of N words costs N tests at every position it is tried, and a test that runs at every
word boundary of every sentence adds up.  ``prefix_tree`` factors the words by shared prefixes
("f(?:i(?:ft(?:een|y)|ve)|o(?:rty|ur(?:teen)?))"), which matches the same words in a few steps;
``initials`` gives the character class that lets a lookahead reject most words at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

NOTHING = "(?!)"  # what no word set matches: the tree or initials of no words


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def prefix_tree(words: Iterable[str]) -> str:
    """A regex that matches what ``alternation(words)`` matches (the longest word first), factored
    by shared prefixes."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    if not tree:
        return NOTHING

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if "" in node:
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(tree)


def initials(words: Iterable[str]) -> str:
    """A character class of the words' first characters: ``[fot]``."""
    first = sorted({re.escape(w[0]) for w in words if w})
    return "[" + "".join(first) + "]" if first else NOTHING
