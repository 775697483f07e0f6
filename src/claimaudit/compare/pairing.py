"""Candidate pairs by blocking on normalized keys, never all pairs of the corpus."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from itertools import combinations, product
from typing import TypeVar

from claimaudit.records import Claim

T = TypeVar("T")


def block(claims: Iterable[T], key: Callable[[T], Hashable | None]) -> dict[Hashable, list[T]]:
    """Claims (or references to them) grouped by ``key``; those whose key is None are left out."""
    groups: dict[Hashable, list[T]] = defaultdict(list)
    for claim in claims:
        k = key(claim)
        if k is not None:
            groups[k].append(claim)
    return {k: groups[k] for k in sorted(groups, key=repr)}


def cross_pairs(left: list[Claim], right: list[Claim]) -> Iterator[tuple[Claim, Claim]]:
    """Pairs with one claim from each side, never a sentence with itself."""
    for a, b in product(left, right):
        if (a.source, a.start) != (b.source, b.start):
            yield a, b


def within_pairs(claims: list[Claim]) -> Iterator[tuple[Claim, Claim]]:
    """Every pair inside one small block (used only after blocking has made it small)."""
    for a, b in combinations(claims, 2):
        if (a.source, a.start) != (b.source, b.start):
            yield a, b


def ordered(a: Claim, b: Claim) -> tuple[Claim, Claim]:
    """The pair in document order: by source path, then offset."""
    return (a, b) if (a.source, a.start, a.id) <= (b.source, b.start, b.id) else (b, a)
