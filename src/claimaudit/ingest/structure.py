"""Document structure: blocks with headings and list intros, page furniture dropped, directives applied."""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any


from claimaudit.datafiles import parse_yaml
from claimaudit.errors import DataFileError
from claimaudit.ingest.markup import DirectiveMark, Markup, RawBlock, parse_markup, sub_view
from claimaudit.ingest.prefilter import Literals, fold, may_match, required_literals
from claimaudit.records import Block, SourceDocument, TextView

DIRECTIVE_KINDS = ("ignore", "ignore-start", "ignore-end")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Directive:
    """A ``claimaudit: ignore`` directive and how many kept blocks it suppressed."""

    kind: str  # "ignore" | "ignore-start" | "ignore-end"
    start: int  # offsets of the directive (comment or line) in the original text
    end: int
    line: int  # 1-based line of ``start``
    suppressed: int = 0  # kept (non-furniture) blocks it marked ignored; always 0 for ignore-end


@dataclass(frozen=True, slots=True)
class DroppedBlock:
    """A block removed as page furniture, with the rule that removed it."""

    block: Block
    rule: str


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """The blocks of one document in order, ignored ones included and flagged."""

    blocks: list[Block]
    directives: list[Directive]
    dropped: list[DroppedBlock] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- line index


@dataclass(frozen=True, slots=True)
class LineIndex:
    """Offsets to 1-based (line, column); \\r\\n, \\n and lone \\r end lines."""

    starts: tuple[int, ...]
    length: int

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of ``offset``."""
        if not 0 <= offset <= self.length:
            raise ValueError(f"offset {offset} outside text of length {self.length}")
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def offset(self, line: int, col: int) -> int:
        """Offset of 1-based ``line`` and ``col`` (the inverse of :meth:`line_col`)."""
        if not 1 <= line <= len(self.starts):
            raise ValueError(f"line {line} outside 1..{len(self.starts)}")
        return min(self.starts[line - 1] + col - 1, self.length)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def line_index(text: str) -> LineIndex:
    """Build a :class:`LineIndex` for ``text`` in one pass."""
    return LineIndex((0, *(m.end() for m in _LINE_BREAK.finditer(text))), len(text))


# --------------------------------------------------------------------------- furniture rules

_RULE_KEYS = frozenset({"id", "pattern", "description", "scope"})
_REQUIRED_KEYS = ("id", "pattern", "description")
_SCOPES = ("block", "section")


@dataclass(frozen=True, slots=True)
class FurnitureRule:
    """A page-furniture pattern; ``section`` rules also drop what follows up to the next heading."""

    id: str
    pattern: re.Pattern[str]
    description: str
    scope: str = "block"  # "block" | "section"
    literals: Literals | None = field(default=None, compare=False)  # one of them is in every match

    def __post_init__(self) -> None:
        object.__setattr__(self, "literals", required_literals(self.pattern))


def parse_furniture(text: str, source: str) -> tuple[FurnitureRule, ...]:
    """Validate and compile furniture rules from YAML text; ``source`` names the file in errors."""
    data = parse_yaml(text, source)
    if not isinstance(data, dict) or set(data) != {"rules"} or not isinstance(data["rules"], list):
        raise DataFileError("expected a mapping with exactly one key 'rules' holding a list", path=source)
    rules: list[FurnitureRule] = []
    seen: set[str] = set()
    for number, entry in enumerate(data["rules"], start=1):
        rule = _furniture_rule(entry, number, source)
        if rule.id in seen:
            raise DataFileError(f"rule '{rule.id}': duplicate id", path=source)
        seen.add(rule.id)
        rules.append(rule)
    return tuple(rules)


def _furniture_rule(entry: Any, number: int, source: str) -> FurnitureRule:
    """One validated rule; errors name the rule id (or its position when the id is missing)."""
    if not isinstance(entry, dict):
        raise DataFileError(f"rule #{number}: expected a mapping", path=source)
    name = f"rule '{entry['id']}'" if isinstance(entry.get("id"), str) else f"rule #{number}"
    unknown = sorted(str(k) for k in set(entry) - _RULE_KEYS)
    if unknown:
        raise DataFileError(f"{name}: unknown key {', '.join(repr(k) for k in unknown)}", path=source)
    for key in _REQUIRED_KEYS:
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise DataFileError(f"{name}: '{key}' must be a non-empty string", path=source)
    scope = entry.get("scope", "block")
    if scope not in _SCOPES:
        raise DataFileError(f"{name}: scope must be one of {', '.join(_SCOPES)}, not {scope!r}", path=source)
    try:
        pattern = re.compile(entry["pattern"], re.IGNORECASE)
    except re.error as exc:
        raise DataFileError(f"{name}: bad pattern: {exc}", path=source) from exc
    return FurnitureRule(entry["id"], pattern, entry["description"].strip(), scope)


@functools.cache
def load_furniture() -> tuple[FurnitureRule, ...]:
    """The packaged furniture rules (``claimaudit/data/furniture.yaml``), read once."""
    resource = resources.files("claimaudit").joinpath("data", "furniture.yaml")
    try:
        text = resource.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(f"cannot read: {exc}", path=str(resource)) from exc
    return parse_furniture(text, str(resource))


def match_furniture(text: str, rules: Sequence[FurnitureRule]) -> FurnitureRule | None:
    """The first rule whose pattern is found in ``text`` (rules whose required words are absent are
    not searched)."""
    folded = fold(text)
    return next((r for r in rules if may_match(r.literals, folded) and r.pattern.search(text)), None)


def _furniture(raws: Sequence[RawBlock], rules: Sequence[FurnitureRule]) -> list[str | None]:
    """Rule id that drops each block, or None when it is kept."""
    has_levels = any(b.level for b in raws)
    section: tuple[str, int] | None = None  # (rule id, heading level that ends the section)
    drops: list[str | None] = []
    for b in raws:
        if section is not None:
            if b.kind == "heading" and 0 < b.level <= section[1]:
                section = None
            else:
                drops.append(section[0])
                continue
        rule = match_furniture(b.view.text, rules)
        if rule is not None and rule.scope == "section":
            level = (b.level if b.kind == "heading" and b.level else 6) if has_levels else 0
            section = (rule.id, level)
        drops.append(rule.id if rule else None)
    return drops


# --------------------------------------------------------------------------- headings and intros

_SENTENCE_BREAK = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|vs|dr|mr|mrs|ms|prof|st|no|fig|approx|al|inc|ltd|jr|sr)\.$", re.I)
_INITIAL = re.compile(r"(?:^|\s)[A-Z]\.$")


def last_sentence_start(text: str) -> int:
    """Start of the last sentence of ``text`` (a simple splitter that skips common abbreviations)."""
    start = 0
    for m in _SENTENCE_BREAK.finditer(text):
        before = text[max(0, m.start() - 8) : m.start() + 1]
        if not (_ABBREVIATION.search(before) or _INITIAL.search(before)):
            start = m.end()
    return start


def last_sentence(view: TextView) -> TextView:
    """The last sentence of a block as a view of its own."""
    return sub_view(view, last_sentence_start(view.text), len(view.text))


def _headings(raws: Sequence[RawBlock], drops: Sequence[str | None]) -> list[str]:
    """Text of the nearest kept heading above each block."""
    current = ""
    out: list[str] = []
    for b, drop in zip(raws, drops):
        out.append(current)
        if b.kind == "heading" and drop is None:
            current = b.view.text
    return out


def _intros(raws: Sequence[RawBlock], drops: Sequence[str | None]) -> list[TextView | None]:
    """For each item, the last sentence of the block right before its list's first item."""
    keys = _list_keys(raws)
    intros: list[TextView | None] = [None] * len(raws)
    by_list: dict[tuple[int, int], TextView | None] = {}
    for i, key in enumerate(keys):
        if key is None:
            continue
        if key not in by_list:
            by_list[key] = _intro_before(raws, drops, keys, i)
        intros[i] = by_list[key]
    return intros


def _list_keys(raws: Sequence[RawBlock]) -> list[tuple[int, int] | None]:
    """List key of each item (None for other blocks): its list id, or its run when it has none."""
    keys: list[tuple[int, int] | None] = []
    for i, b in enumerate(raws):
        if b.kind != "item":
            keys.append(None)
        elif b.list_id >= 0:
            keys.append((0, b.list_id))
        elif i > 0 and raws[i - 1].kind == "item" and raws[i - 1].list_id < 0:
            keys.append(keys[i - 1])
        else:
            keys.append((1, i))
    return keys


def _intro_before(
    raws: Sequence[RawBlock], drops: Sequence[str | None], keys: Sequence[tuple[int, int] | None], i: int
) -> TextView | None:
    """The intro of item ``i``'s list, from the block before it: a kept paragraph or a parent item."""
    if i == 0 or drops[i - 1] is not None:
        return None
    prev = raws[i - 1]
    if prev.kind == "heading" or keys[i - 1] == keys[i]:
        return None
    return last_sentence(prev.view)


# --------------------------------------------------------------------------- directives


@dataclass(slots=True)
class _DirectiveState:
    """Working state while applying directives to blocks in document order."""

    starts: list[int]  # original start offset of each block, ascending
    drops: Sequence[str | None]
    path: str
    ignored: list[bool] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    opened: tuple[DirectiveMark, int] | None = None  # an ignore-start waiting for its end, with its line

    def apply(self, mark: DirectiveMark, line: int) -> None:
        """Act on one directive."""
        if mark.kind == "ignore":
            first = bisect_left(self.starts, mark.end)
            self._record(mark, line, self._mark(first, min(first + 1, len(self.starts))))
        elif mark.kind == "ignore-start" and self.opened is None:
            self.opened = (mark, line)
        elif mark.kind == "ignore-start":
            self._warn(line, "ignore-start inside an ignore-start region; ignored")
            self._record(mark, line, 0)
        elif mark.kind == "ignore-end":
            if self.opened is None:
                self._warn(line, "ignore-end without ignore-start")
            else:
                self.close_region(mark.start)
            self._record(mark, line, 0)
        else:
            self._warn(line, f"unknown directive 'claimaudit: {mark.kind}' (known: {', '.join(DIRECTIVE_KINDS)})")

    def finish(self, end_offset: int) -> None:
        """Close a region left open at the end of the file; order directives by position."""
        if self.opened is not None:
            self._warn(self.opened[1], "ignore-start without ignore-end; ignoring to the end of the file")
            self.close_region(end_offset)
        self.directives.sort(key=lambda d: d.start)

    def close_region(self, stop_offset: int) -> None:
        """Flag the blocks from the open ignore-start up to ``stop_offset``."""
        assert self.opened is not None
        mark, line = self.opened
        self.opened = None
        self._record(mark, line, self._mark(bisect_left(self.starts, mark.end), bisect_left(self.starts, stop_offset)))

    def _mark(self, first: int, stop: int) -> int:
        """Flag blocks ``first..stop-1`` ignored; return how many of them are kept."""
        for i in range(first, stop):
            self.ignored[i] = True
        return sum(1 for i in range(first, stop) if self.drops[i] is None)

    def _record(self, mark: DirectiveMark, line: int, suppressed: int) -> None:
        self.directives.append(Directive(mark.kind, mark.start, mark.end, line, suppressed))

    def _warn(self, line: int, message: str) -> None:
        self.warnings.append(f"{self.path}:{line}: {message}")


def _apply_directives(doc: SourceDocument, markup: Markup, drops: Sequence[str | None]) -> _DirectiveState:
    """Flag blocks named by ignore directives and record each directive's effect."""
    starts = [b.start for b in markup.blocks]
    state = _DirectiveState(starts, drops, doc.path, [False] * len(starts))
    if not markup.directives:
        return state
    index = line_index(doc.text)
    for mark in sorted(markup.directives, key=lambda m: m.start):
        state.apply(mark, index.line_col(mark.start)[0])
    state.finish(len(doc.text) + 1)
    return state


# --------------------------------------------------------------------------- entry point


def parse_blocks(doc: SourceDocument, *, furniture: Sequence[FurnitureRule] | None = None) -> ParsedDocument:
    """Split a document into blocks (by its extension), drop furniture and apply directives."""
    rules = load_furniture() if furniture is None else furniture
    markup = parse_markup(doc.path, doc.text)
    raws = markup.blocks
    drops = _furniture(raws, rules)
    headings = _headings(raws, drops)
    intros = _intros(raws, drops)
    state = _apply_directives(doc, markup, drops)
    kept: list[Block] = []
    dropped: list[DroppedBlock] = []
    for i, raw in enumerate(raws):
        block = Block(raw.kind, raw.view, headings[i], intros[i], state.ignored[i])
        if drops[i] is None:
            kept.append(block)
        else:
            dropped.append(DroppedBlock(block, drops[i] or ""))
    return ParsedDocument(kept, state.directives, dropped, state.warnings)
