"""Markup removal: HTML, Markdown and plain text to raw blocks of normalized text.

Every block carries a :class:`~claimaudit.records.TextView` whose segments map
each view character back to an offset in the original document text.  View
text is normalized for matching only (:func:`normalize_chars`); the original
text is never changed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from types import MappingProxyType

from claimaudit.records import Segment, TextView

# --------------------------------------------------------------------------- characters

_SPACES = "\t\x0b\x0c\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u02bc"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"

_CHAR_TABLE = MappingProxyType(
    {
        **{ord(c): " " for c in _SPACES},
        **{ord(c): "'" for c in _SINGLE_QUOTES},
        **{ord(c): '"' for c in _DOUBLE_QUOTES},
        **{ord(c): "-" for c in _DASHES},
    }
)
_FLAT_TABLE = MappingProxyType({**_CHAR_TABLE, ord("\r"): " ", ord("\n"): " "})

def normalize_chars(s: str) -> str:
    """Normalize spaces, quotes and dashes for matching; the length never changes."""
    return s.translate(_CHAR_TABLE)


def flatten_lines(s: str) -> str:
    """Normalize characters and turn CR/LF into spaces, keeping the length."""
    return s.translate(_FLAT_TABLE)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class RawBlock:
    """A block as found in the markup, before furniture, headings and intros."""

    kind: str  # "heading" | "paragraph" | "item"
    view: TextView
    level: int = 0  # heading level 1-6; 0 when the format has none (plain text)
    list_id: int = -1  # items of one list share an id; -1 outside lists

    @property
    def start(self) -> int:
        """Original offset of the first view character."""
        return self.view.segments[0].orig_start


@dataclass(frozen=True, slots=True)
class DirectiveMark:
    """A ``claimaudit: ...`` directive found in a comment or on its own line."""

    kind: str  # as written after "claimaudit:", lower-cased ("ignore", "ignore-start", ...)
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Markup:
    """The raw blocks and directives of one document, in document order."""

    blocks: tuple[RawBlock, ...]
    directives: tuple[DirectiveMark, ...]


_DIRECTIVE_BODY = re.compile(r"^\s*claimaudit\s*:\s*([A-Za-z-]*)\s*$", re.IGNORECASE)


def directive_kind(comment_body: str) -> str | None:
    """The directive named in a comment body, or None when it is no directive."""
    m = _DIRECTIVE_BODY.match(comment_body)
    return m.group(1).lower() if m else None


# --------------------------------------------------------------------------- views


class ViewBuilder:
    """Accumulates the view of one block, collapsing whitespace runs to one space."""

    _COLLAPSIBLE = re.compile(r"\s{2,}|[^\S ]")  # whitespace other than a single plain space

    def __init__(self) -> None:
        self._chunks: list[str] = []
        self._segments: list[tuple[int, int, int, int]] = []  # Segment fields, built at the end
        self._length = 0
        self._space: tuple[int, int] | None = None  # pending whitespace (orig start, orig end)

    def text(self, s: str, orig_start: int) -> None:
        """Add original text mapped character by character."""
        norm = normalize_chars(s)
        pos = 0
        for m in self._COLLAPSIBLE.finditer(norm):
            self._plain(norm[pos : m.start()], orig_start + pos)
            self.space(orig_start + m.start(), orig_start + m.end())
            pos = m.end()
        self._plain(norm[pos:], orig_start + pos)

    def _plain(self, s: str, orig_start: int) -> None:
        """Add text whose only whitespace is single spaces."""
        if s == " ":
            self.space(orig_start, orig_start + 1)
            return
        if not s:
            return
        lead = 1 if s[0] == " " else 0
        trail = 1 if s[-1] == " " else 0
        if lead:
            self.space(orig_start, orig_start + 1)
        self._emit(s[lead : len(s) - trail], orig_start + lead, len(s) - lead - trail)
        if trail:
            self.space(orig_start + len(s) - 1, orig_start + len(s))

    def atom(self, s: str, orig_start: int, orig_len: int) -> None:
        """Add a replacement (an entity) that maps as one unit to ``orig_len`` characters."""
        norm = normalize_chars(s)
        if not norm:
            return
        if norm.isspace():
            self.space(orig_start, orig_start + orig_len)
        else:
            self._emit(norm, orig_start, orig_len)

    def space(self, orig_start: int, orig_end: int) -> None:
        """Add whitespace; runs collapse and leading/trailing space is dropped."""
        if not self._length:
            return
        if self._space is None:
            self._space = (orig_start, orig_end)
        elif self._space[1] == orig_start:
            self._space = (self._space[0], orig_end)

    def build(self) -> TextView | None:
        """The finished view, or None when the block has no visible text."""
        if not self._length:
            return None
        return TextView("".join(self._chunks), tuple(Segment(*fields) for fields in self._segments))

    def _emit(self, s: str, orig_start: int, orig_len: int) -> None:
        if self._space is not None:
            start, end = self._space
            self._space = None
            self._push(" ", start, end - start)
        self._push(s, orig_start, orig_len)

    def _push(self, s: str, orig_start: int, orig_len: int) -> None:
        n = len(s)
        if not self._extend_last(n, orig_start, orig_len):
            self._segments.append((self._length, orig_start, n, orig_len))
        self._chunks.append(s)
        self._length += n

    def _extend_last(self, n: int, orig_start: int, orig_len: int) -> bool:
        """Grow the last segment when new one-to-one text continues it in the original."""
        if not self._segments or n != orig_len:
            return False
        view_start, prev_orig, view_len, prev_len = self._segments[-1]
        if view_len != prev_len or prev_orig + prev_len != orig_start:
            return False
        self._segments[-1] = (view_start, prev_orig, view_len + n, prev_len + n)
        return True


def sub_view(view: TextView, start: int, end: int) -> TextView:
    """The part ``view.text[start:end]`` as a view of its own, mapping to the same offsets."""
    segments: list[Segment] = []
    for seg in view.segments:
        lo = max(start, seg.view_start)
        hi = min(end, seg.view_start + seg.view_len)
        if lo >= hi:
            continue
        if seg.view_len == seg.orig_len:
            segments.append(Segment(lo - start, seg.orig_start + lo - seg.view_start, hi - lo, hi - lo))
        else:
            segments.append(Segment(lo - start, seg.orig_start, hi - lo, seg.orig_len))
    if not segments:
        return TextView("", (Segment(0, view.to_original(start), 0, 0),))
    return TextView(view.text[start:end], tuple(segments))


# --------------------------------------------------------------------------- lines

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line without its line break; \\r\\n, \\n and lone \\r break lines."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _LINE_BREAK.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans


# --------------------------------------------------------------------------- plain text

_BULLET = re.compile(r"[ \t\xa0]*(?:[•●▪◦‣∙·*+–—-]|\d{1,3}[.)]|[a-z]\))[ \t\xa0]+(?=\S)")
_TEXT_DIRECTIVE = re.compile(
    r"^\s*(?:(?:#+|//)\s*|<!--\s*)?claimaudit\s*:\s*([A-Za-z-]*)\s*(?:-->)?\s*$", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?:;][\"')\]]*$")
_CONTINUATION_START = re.compile(r"[a-z]")
_HAS_WORD = re.compile(r"[^\W_]")
_HEADING_BAD_END = re.compile(r"[.!;:,]$")
_SMALL_WORDS = frozenset(
    "a an the and or nor but for of in on at to by with from as via vs per into onto over than "
    "about after before under is are was be its it's your you our their his her".split()
)
_WORD = re.compile(r"[^\W\d_][\w'&-]*")


def bullet_length(line: str) -> int:
    """Length of the bullet marker with its surrounding whitespace, 0 when not a bullet."""
    m = _BULLET.match(line)
    return m.end() if m else 0


def is_title_case(line: str) -> bool:
    """True when most words (small words aside) start with a capital letter."""
    words: list[str] = _WORD.findall(line)
    if not words or not words[0][0].isupper():
        return False
    counted = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not counted:
        return False
    return sum(w[0].isupper() for w in counted) / len(counted) >= 0.75


def is_heading_shaped(line: str) -> bool:
    """Short, no final punctuation, not a bullet: could be a heading."""
    s = line.strip()
    return (
        0 < len(s) <= 90
        and len(s.split()) <= 12
        and not _HEADING_BAD_END.search(s)
        and not bullet_length(s)
        and s[0].isalnum()
    )


def looks_like_heading(line: str) -> bool:
    """Heading-shaped and Title Case or a question."""
    s = line.strip()
    return is_heading_shaped(s) and (s.endswith("?") or is_title_case(s))


def is_continuation(previous: str, line: str) -> bool:
    """A hard-wrapped continuation: previous line lacks final punctuation, this one starts lower-case."""
    prev = previous.rstrip()
    return bool(prev) and not _SENTENCE_END.search(prev) and bool(_CONTINUATION_START.match(line.lstrip()))


@dataclass(slots=True)
class _TextBlock:
    kind: str
    start: int
    end: int
    last_line: str
    lines: int = 1


def parse_text(text: str) -> Markup:
    """Split plain text into blocks by lines; views are identity-mapped."""
    found: list[_TextBlock] = []
    directives: list[DirectiveMark] = []
    current: _TextBlock | None = None
    for start, end in line_spans(text):
        line = text[start:end]
        directive = _TEXT_DIRECTIVE.match(line)
        if directive or not _HAS_WORD.search(line):  # blank, or a separator such as "* * *"
            if directive:
                directives.append(DirectiveMark(directive.group(1).lower(), start, end))
            current = None
            continue
        marker = bullet_length(line)
        if not marker and current is not None and is_continuation(current.last_line, line):
            current.end, current.last_line, current.lines = _rstrip_end(text, start, end), line, current.lines + 1
            continue
        lead = marker or len(line) - len(line.lstrip())
        current = _TextBlock("item" if marker else "paragraph", start + lead, _rstrip_end(text, start, end), line)
        found.append(current)
    return Markup(_text_raw_blocks(text, found), tuple(directives))


def _rstrip_end(text: str, start: int, end: int) -> int:
    """End offset of ``text[start:end]`` without trailing whitespace."""
    return start + len(text[start:end].rstrip())


def _text_raw_blocks(text: str, found: list[_TextBlock]) -> tuple[RawBlock, ...]:
    """Decide headings and list ids for plain-text blocks."""
    blocks: list[RawBlock] = []
    list_id = -1
    for i, b in enumerate(found):
        view = TextView.identity(flatten_lines(text[b.start : b.end]), b.start)
        kind = b.kind
        if kind == "item":
            if i == 0 or found[i - 1].kind != "item":
                list_id += 1
            blocks.append(RawBlock("item", view, 0, list_id))
            continue
        if b.lines == 1 and _text_heading(view.text, found[i + 1] if i + 1 < len(found) else None, text):
            kind = "heading"
        blocks.append(RawBlock(kind, view))
    return tuple(blocks)


def _text_heading(line: str, following: _TextBlock | None, text: str) -> bool:
    """Title Case/question headings, or a sentence-case line standing before a longer paragraph."""
    if looks_like_heading(line):
        return True
    if not is_heading_shaped(line) or not line[0].isupper() or following is None or following.kind == "item":
        return False
    next_text = text[following.start : following.end]
    return len(next_text.split()) > len(line.split()) and bool(_SENTENCE_END.search(next_text.rstrip()))


# --------------------------------------------------------------------------- markdown

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)[ \t]*(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_THEMATIC = re.compile(r" {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_MD_BULLET = re.compile(r"([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?(?=\S)")
_QUOTE = re.compile(r"(?:[ \t]{0,3}>[ \t]?)+")
_LINK_DEFINITION = re.compile(r" {0,3}\[[^\]]+\]:[ \t]*\S+")
_TABLE_RULE = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_BR = re.compile(r"</?br\b", re.IGNORECASE)
_INLINE = re.compile(
    r"""
    (?P<code>(?P<ticks>`+)(?P<codetext>.+?)(?P=ticks))
    |(?P<image>!\[[^\]]*\](?:\((?:[^()]|\([^()]*\))*\)|\[[^\]]*\])?)
    |(?P<link>\[(?P<linktext>[^\]]+)\](?:\((?:[^()]|\([^()]*\))*\)|\[[^\]]*\]))
    |(?P<autolink><(?P<url>(?:https?|ftp|mailto):[^>\s]+)>)
    |(?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)
    |(?P<entity>&(?:\#[0-9]{1,7}|\#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)
    |(?P<escape>\\[!-/:-@\[-`{-~])
    |(?P<emph>\*+|_+|~~)
    """,
    re.VERBOSE,
)


def _blank_out(text: str, ranges: list[tuple[int, int]]) -> str:
    """Replace every character but line breaks inside ``ranges`` by a space."""
    if not ranges:
        return text
    parts: list[str] = []
    pos = 0
    for start, end in sorted(ranges):
        if start < pos:
            start = pos
        parts.append(text[pos:start])
        parts.append(re.sub(r"[^\r\n]", " ", text[start:end]))
        pos = max(pos, end)
    parts.append(text[pos:])
    return "".join(parts)


def _markdown_hidden(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Ranges of front matter and fenced code blocks."""
    hidden: list[tuple[int, int]] = []
    first = 0
    if spans and text[spans[0][0] : spans[0][1]].rstrip() == "---":
        for j in range(1, len(spans)):
            if text[spans[j][0] : spans[j][1]].rstrip() in ("---", "..."):
                hidden.append((spans[0][0], spans[j][1]))
                first = j + 1
                break
    fence: tuple[str, int] | None = None
    for start, end in spans[first:]:
        m = _FENCE.match(text, start, end)
        if fence is None:
            if m:
                fence = (m.group(1)[0], len(m.group(1)))
                hidden.append((start, end))
            continue
        hidden.append((start, end))
        if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= fence[1] and not text[m.end() : end].strip():
            fence = None
    return hidden


def _markdown_comments(text: str) -> tuple[list[tuple[int, int]], list[DirectiveMark]]:
    """Ranges of HTML comments and the directives among them."""
    ranges: list[tuple[int, int]] = []
    marks: list[DirectiveMark] = []
    for m in _COMMENT.finditer(text):
        ranges.append((m.start(), m.end()))
        kind = directive_kind(m.group(1))
        if kind is not None:
            marks.append(DirectiveMark(kind, m.start(), m.end()))
    return ranges, marks


def _inline(work: str, start: int, end: int, builder: ViewBuilder) -> None:
    """Add the span ``work[start:end]`` to ``builder`` without inline Markdown markup."""
    pos = start
    for m in _INLINE.finditer(work, start, end):
        if m.start() > pos:
            builder.text(work[pos : m.start()], pos)
        pos = m.end()
        group = m.lastgroup
        if group == "code":
            builder.text(m.group("codetext"), m.start("codetext"))
        elif group == "link":
            _inline(work, m.start("linktext"), m.end("linktext"), builder)
        elif group == "autolink":
            builder.text(m.group("url"), m.start("url"))
        elif group == "tag":
            if _BR.match(m.group()):
                builder.space(m.start(), m.end())
        elif group == "entity":
            decoded = html.unescape(m.group())
            if decoded == m.group():
                builder.text(decoded, m.start())
            else:
                builder.atom(decoded, m.start(), m.end() - m.start())
        elif group == "escape":
            builder.text(m.group()[1], m.start() + 1)
        elif group == "emph" and not _is_delimiter(work, m.start(), m.end(), start, end):
            builder.text(m.group(), m.start())
    if pos < end:
        builder.text(work[pos:end], pos)


def _is_delimiter(work: str, start: int, end: int, lo: int, hi: int) -> bool:
    """Whether a run of * _ ~~ is emphasis markup rather than a literal character."""
    before = work[start - 1] if start > lo else " "
    after = work[end] if end < hi else " "
    if before.isspace() and after.isspace():
        return False
    if work[start] == "_" and before.isalnum() and after.isalnum():
        return False
    return not (before.isdigit() and after.isdigit())


@dataclass(slots=True)
class _MdBlock:
    kind: str
    spans: list[tuple[int, int]]
    level: int = 0
    list_id: int = -1


class _MarkdownReader:
    """Line-by-line Markdown block reader over text with comments and code blanked out."""

    def __init__(self, work: str) -> None:
        self.work = work
        self.blocks: list[_MdBlock] = []
        self.open: _MdBlock | None = None
        self.blank_before = True
        self.lists: list[tuple[int, int]] = []  # (indent, list id), innermost last
        self.next_list = 0

    def read(self, spans: list[tuple[int, int]]) -> list[_MdBlock]:
        """Classify every line and return the blocks."""
        for start, end in spans:
            self._line(start, end)
        return self.blocks

    def _line(self, start: int, end: int) -> None:
        line = self.work[start:end]
        if not line.strip():
            self.open, self.blank_before = None, True
            return
        blank_before, self.blank_before = self.blank_before, False
        setext = _SETEXT.match(line)
        if setext and self.open is not None and self.open.kind == "paragraph":
            self.open.kind, self.open.level = "heading", 1 if setext.group(1)[0] == "=" else 2
            self.open = None
        elif _THEMATIC.match(line) or _TABLE_RULE.match(line) or _LINK_DEFINITION.match(line):
            self.open = None
        elif atx := _ATX.match(line):
            self.lists.clear()
            self._new("heading", start + atx.start(2), start + atx.end(2), level=len(atx.group(1)))
            self.open = None
        else:
            quote = _QUOTE.match(line)
            skip = quote.end() if quote else 0
            self._content(start + skip, end, line[skip:], blank_before)

    def _content(self, start: int, end: int, line: str, blank_before: bool) -> None:
        """A list item, table row or paragraph line (after any blockquote markers)."""
        bullet = _MD_BULLET.match(line)
        if bullet:
            self._item(len(bullet.group(1).expandtabs(4)), start + bullet.end(), end)
            return
        indent = len(line) - len(line.lstrip())
        if line.lstrip().startswith("|"):  # a table row: one block per row
            self.lists.clear()
            self._new("paragraph", start + indent, end)
            self.open = None
        elif self.open is not None:  # a continuation, lazy or not
            self.open.spans.append((start + indent, end))
        else:
            if not (self.lists and blank_before and indent >= 2):  # not a paragraph inside a list item
                self.lists.clear()
            self._new("paragraph", start + indent, end)

    def _item(self, indent: int, start: int, end: int) -> None:
        while self.lists and self.lists[-1][0] > indent + 1:
            self.lists.pop()
        if not self.lists or self.lists[-1][0] < indent - 1:
            self.lists.append((indent, self.next_list))
            self.next_list += 1
        self._new("item", start, end, list_id=self.lists[-1][1])

    def _new(self, kind: str, start: int, end: int, *, level: int = 0, list_id: int = -1) -> None:
        self.open = _MdBlock(kind, [(start, end)], level, list_id)
        self.blocks.append(self.open)


def parse_markdown(text: str) -> Markup:
    """Read Markdown into headings, paragraphs and list items with views mapped to ``text``."""
    spans = line_spans(text)
    work = _blank_out(text, _markdown_hidden(text, spans))
    comments, directives = _markdown_comments(work)
    work = _blank_out(work, comments)
    blocks: list[RawBlock] = []
    for b in _MarkdownReader(work).read(spans):
        builder = ViewBuilder()
        previous_end: int | None = None
        for start, end in b.spans:
            if previous_end is not None:
                builder.space(previous_end, start)
            _inline(work, start, end, builder)
            previous_end = end
        view = builder.build()
        if view is not None:
            blocks.append(RawBlock(b.kind, view, b.level, b.list_id))
    return Markup(tuple(blocks), tuple(directives))


# --------------------------------------------------------------------------- HTML

_SKIP_TAGS = frozenset(
    "script style nav footer form aside noscript template svg iframe button select object canvas".split()
)
_SKIP_BLOCK_TAGS = frozenset({"nav", "footer", "form", "aside"})  # the others may sit inside a paragraph
_HEADING_TAGS = MappingProxyType({f"h{n}": n for n in range(1, 7)} | {"title": 1})
_LIST_TAGS = frozenset({"ul", "ol", "menu"})
_BLOCK_TAGS = (
    frozenset(
        "p div li br tr td th section article blockquote header dd dt dl pre table thead tbody tfoot "
        "caption figure figcaption main address details summary hr body html head center fieldset".split()
    )
    | _LIST_TAGS
    | frozenset(_HEADING_TAGS)
)
_BREAK_TAGS = frozenset({"br", "hr"})
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())


class _HtmlReader(HTMLParser):
    """Collects blocks from HTML events, mapping text back through ``getpos()``."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self._text = text
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._stack: list[tuple[str, int]] = []  # open block, list and skipped elements with list ids
        self._skipping = 0
        self._next_list = 0
        self._builder = ViewBuilder()
        self.blocks: list[RawBlock] = []
        self.directives: list[DirectiveMark] = []

    def run(self) -> Markup:
        """Parse the whole text."""
        self.feed(self._text)
        while self.rawdata:  # the parser stops early after some malformed character references
            before = len(self.rawdata)
            self.feed("")
            if len(self.rawdata) == before:
                break
        self.close()
        self._flush()
        return Markup(tuple(self.blocks), tuple(self.directives))

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            if tag in _SKIP_BLOCK_TAGS:
                self._flush()
            self._stack.append((tag, -1))
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag in _VOID_TAGS:
                return
            self._open_block(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _BREAK_TAGS:
            self._flush()
        if tag not in _BLOCK_TAGS and tag not in _SKIP_TAGS:
            return
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                if tag in _BLOCK_TAGS or tag in _SKIP_BLOCK_TAGS:
                    self._flush()
                self._pop(i)
                return

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._builder.text(data, self._offset())

    def handle_entityref(self, name: str) -> None:
        self._reference(1 + len(name))

    def handle_charref(self, name: str) -> None:
        self._reference(2 + len(name))

    def handle_comment(self, data: str) -> None:
        kind = directive_kind(data)
        if kind is not None:
            start = self._offset()
            end = self._text.find("-->", start + 4)
            self.directives.append(DirectiveMark(kind, start, len(self._text) if end < 0 else end + 3))

    def _reference(self, length: int) -> None:
        if self._skipping:
            return
        start = self._offset()
        if self._text.startswith(";", start + length):
            length += 1
        raw = self._text[start : start + length]
        decoded = html.unescape(raw)
        if decoded == raw:
            self._builder.text(raw, start)
        else:
            self._builder.atom(decoded, start, length)

    def _open_block(self, tag: str) -> None:
        if tag == "li":
            self._close_open("li", stop=_LIST_TAGS)
        elif tag == "p":
            self._close_open("p", stop=_BLOCK_TAGS - {"p"})
        if tag in _LIST_TAGS:
            self._stack.append((tag, self._next_list))
            self._next_list += 1
        elif tag == "li":
            self._stack.append((tag, self._innermost_list()))
        else:
            self._stack.append((tag, -1))

    def _close_open(self, tag: str, stop: frozenset[str]) -> None:
        """Close an unterminated ``tag`` (HTML lets <li> and <p> end implicitly)."""
        for i in range(len(self._stack) - 1, -1, -1):
            name = self._stack[i][0]
            if name == tag:
                self._pop(i)
                return
            if name in stop:
                return

    def _pop(self, index: int) -> None:
        removed = self._stack[index:]
        del self._stack[index:]
        self._skipping -= sum(1 for name, _ in removed if name in _SKIP_TAGS)

    def _innermost_list(self) -> int:
        for name, list_id in reversed(self._stack):
            if name in _LIST_TAGS:
                return list_id
        return -1

    def _context(self) -> tuple[str, int, int]:
        """(kind, heading level, list id) of text at the current position."""
        for name, list_id in reversed(self._stack):
            if name in _HEADING_TAGS:
                return "heading", _HEADING_TAGS[name], -1
            if name == "li":
                return "item", 0, list_id
        return "paragraph", 0, -1

    def _flush(self) -> None:
        view = self._builder.build()
        self._builder = ViewBuilder()
        if view is not None:
            kind, level, list_id = self._context()
            self.blocks.append(RawBlock(kind, view, level, list_id))


def parse_html(text: str) -> Markup:
    """Read HTML into blocks, dropping scripts, styles, navigation and other non-content elements."""
    return _HtmlReader(text).run()


# --------------------------------------------------------------------------- dispatch

HTML_SUFFIXES = (".html", ".htm")
MARKDOWN_SUFFIXES = (".md", ".markdown")


def parse_markup(path: str, text: str) -> Markup:
    """Choose the reader by the file name's extension (plain text for anything unknown)."""
    suffix = path.rsplit("/", 1)[-1].rpartition(".")[2].lower()
    if f".{suffix}" in HTML_SUFFIXES:
        return parse_html(text)
    if f".{suffix}" in MARKDOWN_SUFFIXES:
        return parse_markdown(text)
    return parse_text(text)

