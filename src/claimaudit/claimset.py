"""The run's claims, decoded from the cache one document at a time, on first use.

A re-check after one edit must not decode the 50,000 cached claims of a 10,000-document site: the
conflict finder blocks on a few fields of each claim (a ``ClaimRef``, stored apart in the cache), and
only the groups an edit touches, and the claims the report quotes, need the claims themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Protocol

from claimaudit.records import Claim


class ClaimSource(Protocol):
    """One document's claims (``engine.DocumentClaims``, or ``cache.StoredClaims`` that decodes them on
    first use), the references blocking reads, and what its ignore directives hide."""

    path: str
    directives: list[tuple[int, list[str]]]
    warnings: list[str]

    @property
    def claims(self) -> Sequence[Claim]: ...

    @property
    def suppressed(self) -> Sequence[Claim]: ...

    @property
    def refs(self) -> list[ClaimRef]: ...


@dataclass(slots=True, eq=False)
class ClaimRef:
    """What blocking and the misspelling search read of a claim, and where to find the claim."""

    id: str
    source: str
    start: int
    subject: str
    aspect: str
    polarity: str
    certainty: str
    text: str
    owner: ClaimSource
    index: int  # in ``owner.claims``

    @property
    def claim(self) -> Claim:
        return self.owner.claims[self.index]


def refs_of(owner: ClaimSource, claims: Sequence[Claim]) -> list[ClaimRef]:
    """References to ``claims``, the claims of ``owner``."""
    return [
        ClaimRef(c.id, c.source, c.start, c.subject, c.aspect, c.polarity, c.certainty, c.text, owner, i)
        for i, c in enumerate(claims)
    ]


def claim_of(item: Claim | ClaimRef) -> Claim:
    return item.claim if isinstance(item, ClaimRef) else item


def report_order(claim: Claim) -> tuple:
    """The claims' order in the claim files and reports (source, start, aspect, id)."""
    return (claim.source, claim.start, claim.aspect, claim.id)


class ClaimList(Sequence[Claim]):
    """Every claim of the run in report order, each document's decoded on first use. Its length and
    ``documents`` need no decoding; iterating decodes every document."""

    def __init__(self, owners: Sequence[ClaimSource]) -> None:
        self._owners = sorted(owners, key=lambda o: o.path)
        self._length = sum(len(o.refs) for o in self._owners)
        self._all: list[Claim] | None = None

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[Claim]:
        if self._all is None:
            self._all = [c for owner in self._owners for c in sorted(owner.claims, key=report_order)]
        return iter(self._all)

    def __getitem__(self, index):  # type: ignore[override]
        return list(self)[index] if self._all is None else self._all[index]

    def documents(self) -> Iterator[tuple[str, Callable[[], list[Claim]]]]:
        """Each document's path and a function that gives its claims in report order."""
        for owner in self._owners:
            if owner.refs:
                yield owner.path, lambda owner=owner: sorted(owner.claims, key=report_order)


def documents_of(claims: Sequence[Claim]) -> Iterator[tuple[str, Callable[[], list[Claim]]]]:
    """``ClaimList.documents`` of any sequence of claims in report order."""
    if isinstance(claims, ClaimList):
        yield from claims.documents()
        return
    for source, group in groupby(claims, key=lambda c: c.source):
        found = list(group)
        yield source, lambda found=found: found


@dataclass(slots=True)
class DocumentClaims:
    """One document's claims as extracted (``engine.Extractor``)."""

    path: str
    claims: list[Claim]
    suppressed: list[Claim] = field(default_factory=list)  # claims inside `claimaudit: ignore` blocks
    directives: list[tuple[int, list[str]]] = field(default_factory=list)  # (line, ids of claims it hides)
    warnings: list[str] = field(default_factory=list)
    _refs: list[ClaimRef] | None = field(default=None, repr=False, compare=False)

    @property
    def refs(self) -> list[ClaimRef]:
        """References to the claims (what the conflict finder blocks on)."""
        if self._refs is None:
            self._refs = refs_of(self, self.claims)
        return self._refs
