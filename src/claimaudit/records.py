"""Typed records passed between pipeline stages."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of view characters taken from the original text.

    When ``view_len == orig_len`` the run maps character by character; otherwise
    (an HTML entity such as ``&amp;``) it is atomic.
    """

    view_start: int
    orig_start: int
    view_len: int
    orig_len: int


@dataclass(frozen=True, slots=True)
class TextView:
    """Text normalized for matching, with a map back to original offsets."""

    text: str
    segments: tuple[Segment, ...]
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(s.view_start for s in self.segments))

    @classmethod
    def identity(cls, text: str, orig_start: int) -> "TextView":
        return cls(text, (Segment(0, orig_start, len(text), len(text)),))

    def _segment(self, i: int) -> Segment:
        k = max(0, bisect_right(self._starts, i) - 1)
        return self.segments[k]

    def to_original(self, i: int) -> int:
        """Original offset of the view character at ``i`` (a start offset)."""
        seg = self._segment(i)
        delta = i - seg.view_start
        if seg.view_len == seg.orig_len:
            return seg.orig_start + min(delta, seg.orig_len)
        return seg.orig_start if delta <= 0 else seg.orig_start + seg.orig_len

    def to_original_end(self, i: int) -> int:
        """Original offset just after the view character at ``i - 1`` (an end offset)."""
        if i <= 0:
            return self.to_original(0)
        seg = self._segment(i - 1)
        delta = i - seg.view_start
        if seg.view_len == seg.orig_len:
            return seg.orig_start + min(delta, seg.orig_len)
        return seg.orig_start + seg.orig_len


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """One input file, decoded."""

    path: str  # relative to the working directory, forward slashes
    text: str  # the decoded original text; every offset points into it
    sha256: str  # of the raw bytes
    encoding: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Block:
    """A structural unit of a document: heading, paragraph or list item."""

    kind: str  # "heading" | "paragraph" | "item"
    view: TextView
    heading: str = ""  # text of the nearest heading above, "" if none
    intro: TextView | None = None  # for an item: the sentence that introduces the list
    ignored: bool = False  # suppressed in the text (claimaudit: ignore)

    @property
    def text(self) -> str:
        return self.view.text


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number or interval with its unit, normalized to a base unit."""

    surface: str
    start: int  # offset into the original file text
    end: int
    low: float  # in the stated unit; low == high for a point value
    high: float
    unit: str  # canonical unit name ("hour", "mg/kg", "percent", "" for a bare count)
    dimension: str  # "time" | "dose_per_weight" | "mass" | "fraction" | "count" | "year" | ...
    base_unit: str
    base_low: float
    base_high: float
    comparator: str  # "=" "~" ">" ">=" "<" "<=" "range"
    approximate: bool = False
    vague: bool = False  # "several", "a few": bounds are a convention, not a statement
    role: str = ""  # what it measures: duration, dose, share, probability, date, count, ...
    negated: bool = False  # inside the scope of a negation: stated as not holding

    def to_dict(self) -> dict[str, Any]:
        return {
            "surface": self.surface,
            "start": self.start,
            "end": self.end,
            "low": self.low,
            "high": self.high,
            "unit": self.unit,
            "dimension": self.dimension,
            "base_unit": self.base_unit,
            "base_low": self.base_low,
            "base_high": self.base_high,
            "comparator": self.comparator,
            "approximate": self.approximate,
            "vague": self.vague,
            "role": self.role,
            "negated": self.negated,
        }


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue that fired in a sentence, traceable to its rule."""

    rule_id: str
    category: str
    literal: str
    start: int  # offset into the original file text
    end: int


@dataclass(slots=True)
class Claim:
    """A check-worthy sentence with its normalized reading."""

    id: str
    source: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    text: str  # exactly original_text[start:end]
    quote: str  # the sentence as read (markup removed, list intro joined)
    subject: str
    subject_surface: str
    aspect: str
    predicate: str = ""
    object: str = ""
    scope: dict[str, str] = field(default_factory=dict)
    polarity: str = "positive"
    certainty: str = "probable"
    evidence: str = ""
    quantities: list[Quantity] = field(default_factory=list)
    attribution: str = ""
    heading: str = ""
    block: str = "paragraph"  # the kind of block the sentence stands in: paragraph | item
    cues: list[Cue] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # canonical entities mentioned
    inferred: list[str] = field(default_factory=list)  # fields taken from context: subject, aspect, ...

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line}"

    @property
    def topic(self) -> str:
        return f"{self.subject} / {self.aspect}"


@dataclass(slots=True)
class Conflict:
    """Two claims that cannot both be true as written."""

    id: str
    kind: str  # polarity | antonym | certainty | evidence | numeric | terminology
    rule: str
    severity: str  # error | warning | info
    claim_ids: tuple[str, str]
    topic: str
    explanation: str
    values: tuple[str, str] = ("", "")  # the normalized values that disagree
    related: int = 0  # further claim pairs of the same topic and documents folded into this one
    status: str = "new"
    reason: str = ""


@dataclass(slots=True)
class NonConflict:
    """A close call that was compared and deliberately not flagged."""

    claim_ids: tuple[str, str]
    topic: str
    reason: str
