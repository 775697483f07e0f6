"""Markup readers: views map back to the original text; markup is removed."""

from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st

from claimaudit.ingest.markup import (
    RawBlock,
    normalize_chars,
    parse_html,
    parse_markdown,
    parse_text,
    sub_view,
)
from claimaudit.records import TextView


def assert_maps_back(view: TextView, original: str) -> None:
    """Every view character comes from the original text it maps to."""
    for i, ch in enumerate(view.text):
        piece = original[view.to_original(i) : view.to_original_end(i + 1)]
        assert piece, (i, ch)
        if ch == " ":
            assert any(c.isspace() for c in normalize_chars(html.unescape(piece))), (i, piece)
        elif len(piece) == 1:
            assert normalize_chars(piece) == ch, (i, piece, ch)
        else:
            assert ch in normalize_chars(html.unescape(piece)), (i, piece, ch)


def summary(blocks: tuple[RawBlock, ...]) -> list[tuple[str, str]]:
    return [(b.kind, b.view.text) for b in blocks]


# ----------------------------------------------------------------- characters


def test_normalize_chars_maps_spaces_quotes_and_dashes() -> None:
    s = "a\u00a0b\u2009c\t\u2018x\u2019 \u201cy\u201d 1\u20132 \u2014 \u2212 5 \u2012 \u2026"
    assert normalize_chars(s) == "a b c 'x' \"y\" 1-2 - - 5 - \u2026"


@given(st.text())
def test_normalize_chars_keeps_length(s: str) -> None:
    assert len(normalize_chars(s)) == len(s)


def test_sub_view_maps_into_the_same_original() -> None:
    original = "<p>A &amp; B. Then C:</p>"
    view = parse_html(original).blocks[0].view
    part = sub_view(view, 2, 7)
    assert part.text == "& B. "[:5]
    assert original[part.to_original(0) : part.to_original_end(1)] == "&amp;"
    assert_maps_back(part, original)


# ----------------------------------------------------------------- HTML


def test_html_drops_scripts_styles_navigation_and_comments() -> None:
    original = (
        "<html><head><style>p { color: red }</style><script>var s = '<p>no</p>';</script></head><body>"
        "<nav><a href='/'>Home</a></nav><aside>Ad</aside><form><label>Email</label></form>"
        "<!-- a comment --><p>Kept text.</p><noscript>Enable JS</noscript><template><p>T</p></template>"
        "<footer>Footer</footer></body></html>"
    )
    assert summary(parse_html(original).blocks) == [("paragraph", "Kept text.")]


def test_html_inline_elements_do_not_split_paragraphs() -> None:
    original = "<p>Take <button>Buy</button>one <svg><text>x</text></svg>dose <script>t()</script>daily.</p>"
    assert summary(parse_html(original).blocks) == [("paragraph", "Take one dose daily.")]


def test_html_entities_are_atomic_segments() -> None:
    original = "<p>Tom &amp; Jerry&nbsp;&#8220;quoted&#x201D; caf&eacute; &copy 2020</p>"
    (block,) = parse_html(original).blocks
    assert block.view.text == 'Tom & Jerry "quoted" café © 2020'
    amp = block.view.text.index("&")
    assert original[block.view.to_original(amp) : block.view.to_original_end(amp + 1)] == "&amp;"
    copy = block.view.text.index("©")
    assert original[block.view.to_original(copy) : block.view.to_original_end(copy + 1)] == "&copy"
    assert_maps_back(block.view, original)


def test_html_block_kinds_levels_and_lists() -> None:
    original = (
        "<h2>Side <em>Effects</em></h2>\n<p>Common   effects\n  include:</p>"
        "<ul><li>Nausea<li>Head<b>ache</b><ol><li>mild</li></ol></li></ul>"
        "<div>One<br>Two</div><table><tr><td>Cell</td></tr></table>"
    )
    blocks = parse_html(original).blocks
    assert summary(blocks) == [
        ("heading", "Side Effects"),
        ("paragraph", "Common effects include:"),
        ("item", "Nausea"),
        ("item", "Headache"),
        ("item", "mild"),
        ("paragraph", "One"),
        ("paragraph", "Two"),
        ("paragraph", "Cell"),
    ]
    assert blocks[0].level == 2
    assert blocks[2].list_id == blocks[3].list_id != blocks[4].list_id
    for b in blocks:
        assert_maps_back(b.view, original)


def test_html_reports_directive_comments_with_offsets() -> None:
    original = "<p>A.</p><!-- claimaudit: ignore --><p>B.</p><!--claimaudit:ignore-start-->"
    marks = parse_html(original).directives
    assert [m.kind for m in marks] == ["ignore", "ignore-start"]
    assert original[marks[0].start : marks[0].end] == "<!-- claimaudit: ignore -->"
    assert original[marks[1].start : marks[1].end] == "<!--claimaudit:ignore-start-->"


def test_html_survives_bad_character_reference_and_line_breaks() -> None:
    original = "<p>A &#xyz; b</p>\r\n<p>Second\r\nline</p>\r<p>Third\rline &amp; more</p>\n<p>Fourth</p>"
    blocks = parse_html(original).blocks
    assert summary(blocks) == [
        ("paragraph", "A &#xyz; b"),
        ("paragraph", "Second line"),
        ("paragraph", "Third line & more"),
        ("paragraph", "Fourth"),
    ]
    for b in blocks:
        assert_maps_back(b.view, original)
    assert original[blocks[3].start :].startswith("Fourth")


# ----------------------------------------------------------------- Markdown

MARKDOWN = """---
title: Front matter
tags: [a, b]
---
# Title with *emphasis* #

Some **bold** and __strong__ text with [a link](https://example.org/a_(b)) and
![an image](img.png) plus `inline code`, snake_case, 5*3 and \\*stars\\*.

<!-- a comment -->
Intro sentence. The list follows:

- First *item*
- Second item
  continues here
  - nested [item](x)
1. numbered

Setext heading
--------------

```python
print("dropped")
```

> Quoted &amp; text

[ref]: https://example.org/ref
"""


def test_markdown_blocks_and_inline_markup() -> None:
    blocks = parse_markdown(MARKDOWN).blocks
    assert summary(blocks) == [
        ("heading", "Title with emphasis"),
        (
            "paragraph",
            "Some bold and strong text with a link and plus inline code, snake_case, 5*3 and *stars*.",
        ),
        ("paragraph", "Intro sentence. The list follows:"),
        ("item", "First item"),
        ("item", "Second item continues here"),
        ("item", "nested item"),
        ("item", "numbered"),
        ("heading", "Setext heading"),
        ("paragraph", "Quoted & text"),
    ]
    assert blocks[0].level == 1 and blocks[7].level == 2
    assert blocks[3].list_id == blocks[4].list_id == blocks[6].list_id != blocks[5].list_id
    for b in blocks:
        assert_maps_back(b.view, MARKDOWN)


def test_markdown_directives_in_comments() -> None:
    original = "Para.\n\n<!-- claimaudit: ignore -->\nNext.\n\n```\n<!-- claimaudit: ignore -->\n```\n"
    markup = parse_markdown(original)
    assert [m.kind for m in markup.directives] == ["ignore"]
    assert summary(markup.blocks) == [("paragraph", "Para."), ("paragraph", "Next.")]


# ----------------------------------------------------------------- plain text


def test_text_bullets_exclude_marker_and_continuations_join() -> None:
    original = (
        "Side effects include:\r\n"
        "  \u2022 Nausea\r\n"
        "- Vertigo that lasts\r\n"
        "  for hours\r\n"
        "1. First\r\n"
        "b) Second\r\n"
        "\u2014 Dash item\r\n"
        "A line without end\r\n"
        "that is wrapped.\r\n"
    )
    blocks = parse_text(original).blocks
    assert summary(blocks) == [
        ("paragraph", "Side effects include:"),
        ("item", "Nausea"),
        ("item", "Vertigo that lasts    for hours"),
        ("item", "First"),
        ("item", "Second"),
        ("item", "Dash item"),
        ("paragraph", "A line without end  that is wrapped."),
    ]
    assert len({b.list_id for b in blocks if b.kind == "item"}) == 1
    for b in blocks:
        assert len(b.view.segments) == 1
        assert_maps_back(b.view, original)
    assert original[blocks[1].start : blocks[1].start + 6] == "Nausea"


def test_text_separator_lines_end_blocks() -> None:
    original = "First Part\n* * *\nsecond part.\n-----\n"
    assert summary(parse_text(original).blocks) == [("heading", "First Part"), ("paragraph", "second part.")]


def test_text_headings() -> None:
    original = (
        "Ketamine for Pain: Is It Useful?\n\n"
        "How does it work?\n"
        "It blocks receptors. That is all.\n"
        "Treatment for acute pain\n"
        "Short paragraphs like this one also end with a period.\n"
        "Not a heading.\n"
        "Another line, with a comma,\n"
    )
    kinds = [(b.kind, b.view.text) for b in parse_text(original).blocks]
    assert kinds == [
        ("heading", "Ketamine for Pain: Is It Useful?"),
        ("heading", "How does it work?"),
        ("paragraph", "It blocks receptors. That is all."),
        ("heading", "Treatment for acute pain"),
        ("paragraph", "Short paragraphs like this one also end with a period."),
        ("paragraph", "Not a heading."),
        ("paragraph", "Another line, with a comma,"),
    ]


def test_text_directive_lines() -> None:
    original = "A.\n# claimaudit: ignore\nB.\n// claimaudit: ignore-start\nC.\n<!-- claimaudit: ignore-end -->\n"
    markup = parse_text(original)
    assert [m.kind for m in markup.directives] == ["ignore", "ignore-start", "ignore-end"]
    assert summary(markup.blocks) == [("paragraph", "A."), ("paragraph", "B."), ("paragraph", "C.")]
