"""Structure: headings, list intros, furniture, directives, line index, furniture rules."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from claimaudit.errors import DataFileError
from claimaudit.ingest.decode import read_document
from claimaudit.ingest.markup import normalize_chars
from claimaudit.ingest.structure import (
    Directive,
    ParsedDocument,
    line_index,
    load_furniture,
    match_furniture,
    parse_blocks,
    parse_furniture,
)
from claimaudit.records import SourceDocument, TextView

SOURCES = Path(__file__).resolve().parents[2] / "sources"


def parse(text: str, path: str = "doc.txt") -> ParsedDocument:
    return parse_blocks(SourceDocument(path, text, "0" * 64, "utf-8"))


def texts(parsed: ParsedDocument) -> list[str]:
    return [b.text for b in parsed.blocks]


def assert_maps_back(view: TextView, original: str) -> None:
    """Every view character comes from the original text it maps to."""
    for i, ch in enumerate(view.text):
        piece = original[view.to_original(i) : view.to_original_end(i + 1)]
        if ch == " ":
            assert any(c.isspace() for c in normalize_chars(html.unescape(piece))), (i, piece)
        else:
            assert ch in normalize_chars(html.unescape(piece)), (i, piece, ch)


# ----------------------------------------------------------------- headings and intros

ARTICLE = """Ketamine for Pain: Does It Work?
By Jane Doe, MD

Chronic pain is common. It affects many people.
Possible side effects include:
  \u2022 Nausea
  \u2022 Dizziness

Dosage and Timing
Doses vary. Here are typical values:
  - 0.5 mg/kg per hour
Recovery
  - Rest
Leave a Reply
Great article!
"""


def test_headings_items_and_intros() -> None:
    parsed = parse(ARTICLE)
    got = [(b.kind, b.text, b.heading, b.intro.text if b.intro else None) for b in parsed.blocks]
    title, dosage = "Ketamine for Pain: Does It Work?", "Dosage and Timing"
    intro1, intro2 = "Possible side effects include:", "Here are typical values:"
    assert got == [
        ("heading", title, "", None),
        ("paragraph", "Chronic pain is common. It affects many people.", title, None),
        ("paragraph", intro1, title, None),
        ("item", "Nausea", title, intro1),
        ("item", "Dizziness", title, intro1),
        ("heading", dosage, title, None),
        ("paragraph", "Doses vary. Here are typical values:", dosage, None),
        ("item", "0.5 mg/kg per hour", dosage, intro2),
        ("heading", "Recovery", dosage, None),
        ("item", "Rest", "Recovery", None),
    ]
    items = [b for b in parsed.blocks if b.kind == "item"]
    assert items[0].intro is items[1].intro
    for b in parsed.blocks:
        assert_maps_back(b.view, ARTICLE)
        if b.intro is not None:
            assert_maps_back(b.intro, ARTICLE)
    assert {d.rule for d in parsed.dropped} == {"byline-name", "comment-section"}


def test_intro_is_last_sentence_and_skips_abbreviations() -> None:
    text = "Dr. Smith et al. reviewed it. Patients, e.g. Adults, reported:\n- Pain\n"
    item = parse(text).blocks[-1]
    assert item.intro is not None and item.intro.text == "Patients, e.g. Adults, reported:"


def test_no_intro_when_the_block_before_is_furniture() -> None:
    parsed = parse("Disclaimer: not advice.\n- Smith J. Title. J Pain. 2019;20(3):123-30.\n- A real item\n")
    assert [(b.text, b.intro) for b in parsed.blocks] == [("A real item", None)]


# ----------------------------------------------------------------- furniture

FURNITURE = [
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
    "Share Post On:",
    "Share this: Facebook Twitter",
    "Follow us on Instagram",
    "Recent Blogs",
    "Related Articles",
    "Also read:",
    "Read more: How sleep works",
    "Learn more about our services.",
    "Tags: health, pain",
    "By March 22, 2017Health",
    "By Jane Doe",
    "Updated on 3 May 2021",
    "Updated March 2025",
    "Last reviewed: June 2024",
    "Medically reviewed by Jane Doe, MD - Written by John Roe",
    "Gut Health Trust is a registered charity. This information is reviewed every two years by our nurses.",
    "This leaflet was last updated in March 2024.",
    "To schedule a consultation, give us a call at (877) 555-0123.",
    "Call 555-123-4567 today for a free consultation.",
    "Contact us to book your appointment.",
    "Disclaimer: This article is for information only.",
    "This content is for informational purposes only.",
    "\u00a9 2023 Example Health. All rights reserved.",
    "Subscribe to our newsletter for weekly tips.",
    "We use cookies to improve your experience.",
    "Back to top",
    "Advertisement",
    "Photo credit: Jane Doe",
    "Was this article helpful?",
    "5 min read",
    'Doe, Jane, et al. "A Study." Journal, vol. 3, 2018, https://doi.org/10.1000/x. Accessed 1 May 2023.',
    "Smith J, Roe K. Ketamine for pain. J Pain. 2019;20(3):123-30.",
    "Smith, J. (2019). A study of pain. Journal of Pain, 3(2), 1-9.",
]

CONTENT = [
    "By the end of 2019, ketamine was approved in 30 countries.",
    "By 2020 the number of clinics had doubled.",
    "Schedule an appointment with your doctor if symptoms persist.",
    "A 2019 review (Smith et al.) found modest benefits.",
    "Share decision-making with your care team.",
    "Sources of chronic pain include injury and disease.",
    "References to older studies are common in this field.",
    "Ketamine was approved on March 5, 1970, as an anesthetic.",
    "March 2024 guidelines recommend lower doses for older adults.",
    "Call your doctor if you feel dizzy.",
    "Comments from patients were mostly positive.",
    "This guide explains how the treatment is reviewed by your doctor every year.",
    "Learn more about how the drug works in the next section, where we cover dosing and timing in detail.",
]


@pytest.mark.parametrize("text", FURNITURE)
def test_furniture_rules_match(text: str) -> None:
    assert match_furniture(normalize_chars(text), load_furniture()) is not None


@pytest.mark.parametrize("text", CONTENT)
def test_furniture_rules_spare_content(text: str) -> None:
    assert match_furniture(text, load_furniture()) is None


def test_reference_section_runs_to_the_end_of_plain_text() -> None:
    parsed = parse("Claim one.\nReferences\nSmith J. A Title About Pain\nAnother Title Line\n")
    assert texts(parsed) == ["Claim one."]
    assert [d.rule for d in parsed.dropped] == ["references-section"] * 3


def test_reference_section_ends_at_next_heading_of_same_level_in_markdown() -> None:
    text = "# Title\n\n## Sources\n\n- Smith J. A title\n\n### Sub\n\nStill sources.\n\n## Dosing\n\nKept.\n"
    parsed = parse(text, "doc.md")
    assert texts(parsed) == ["Title", "Dosing", "Kept."]
    assert parsed.blocks[-1].heading == "Dosing"


def test_html_page_furniture_and_sections() -> None:
    page = (
        "<h1>Sleep &amp; Pain</h1><p class=byline>By Jane Doe</p><p>Poor sleep worsens pain.</p>"
        "<p>Common causes include:</p><ul><li>Stress</li><li>Noise</li></ul>"
        "<div class=share>Share this:</div><h2>References</h2><ol><li>Roe K. Sleep. 2020;3(1):1-9.</li></ol>"
        "<h3>More</h3><p>Still references.</p><h2>Summary</h2><p>Sleep matters.</p>"
    )
    parsed = parse(page, "page.htm")
    assert [(b.kind, b.text, b.heading) for b in parsed.blocks] == [
        ("heading", "Sleep & Pain", ""),
        ("paragraph", "Poor sleep worsens pain.", "Sleep & Pain"),
        ("paragraph", "Common causes include:", "Sleep & Pain"),
        ("item", "Stress", "Sleep & Pain"),
        ("item", "Noise", "Sleep & Pain"),
        ("heading", "Summary", "Sleep & Pain"),
        ("paragraph", "Sleep matters.", "Summary"),
    ]
    assert parsed.blocks[3].intro is not None and parsed.blocks[3].intro.text == "Common causes include:"
    for block in parsed.blocks:
        assert_maps_back(block.view, page)


def test_furniture_headings_do_not_become_headings() -> None:
    parsed = parse("Real Heading\nText one.\nTable of Contents\nText two.\n")
    assert [b.heading for b in parsed.blocks] == ["", "Real Heading", "Real Heading"]


# ----------------------------------------------------------------- directives


def test_ignore_directive_in_plain_text() -> None:
    parsed = parse("First.\n\nclaimaudit: ignore\nSecond.\nThird.\n")
    assert [(b.text, b.ignored) for b in parsed.blocks] == [("First.", False), ("Second.", True), ("Third.", False)]
    assert parsed.directives == [Directive("ignore", 8, 26, 3, 1)]


def test_ignore_region_in_markdown_and_html() -> None:
    md = "A.\n\n<!-- claimaudit: ignore-start -->\nB.\n\nC.\n<!-- claimaudit: ignore-end -->\n\nD.\n"
    parsed = parse(md, "doc.md")
    assert [(b.text, b.ignored) for b in parsed.blocks] == [("A.", False), ("B.", True), ("C.", True), ("D.", False)]
    assert [(d.kind, d.line, d.suppressed) for d in parsed.directives] == [("ignore-start", 3, 2), ("ignore-end", 7, 0)]
    page = "<p>A.</p>\n<!-- claimaudit: ignore -->\n<p>B.</p><p>C.</p>"
    parsed = parse(page, "page.html")
    assert [(b.text, b.ignored) for b in parsed.blocks] == [("A.", False), ("B.", True), ("C.", False)]
    assert parsed.directives[0].line == 2


def test_directive_problems_are_reported() -> None:
    text = "claimaudit: ignore-end\nA.\nclaimaudit: frobnicate\nclaimaudit: ignore-start\nB.\nclaimaudit: ignore\n"
    parsed = parse(text)
    assert parsed.warnings == [
        "doc.txt:1: ignore-end without ignore-start",
        "doc.txt:3: unknown directive 'claimaudit: frobnicate' (known: ignore, ignore-start, ignore-end)",
        "doc.txt:4: ignore-start without ignore-end; ignoring to the end of the file",
    ]
    assert [(b.text, b.ignored) for b in parsed.blocks] == [("A.", False), ("B.", True)]
    assert [(d.kind, d.suppressed) for d in parsed.directives] == [
        ("ignore-end", 0),
        ("ignore-start", 1),
        ("ignore", 0),
    ]


def test_directive_before_furniture_suppresses_nothing() -> None:
    parsed = parse("A.\nclaimaudit: ignore\nShare this:\nB.\n")
    assert [(b.text, b.ignored) for b in parsed.blocks] == [("A.", False), ("B.", False)]
    assert parsed.directives[0].suppressed == 0


# ----------------------------------------------------------------- line index


def test_line_index_with_crlf_cr_and_lf() -> None:
    text = "ab\r\ncd\ref\ngh"
    index = line_index(text)
    assert [index.line_col(text.index(c)) for c in "acegh"] == [(1, 1), (2, 1), (3, 1), (4, 1), (4, 2)]
    assert index.line_col(2) == (1, 3)  # the \r of \r\n
    assert index.line_col(3) == (1, 4)  # the \n of \r\n
    assert index.line_col(len(text)) == (4, 3)
    assert index.offset(3, 2) == text.index("f")
    with pytest.raises(ValueError):
        index.line_col(len(text) + 1)


def test_line_index_counts_characters_not_bytes() -> None:
    text = "caf\u00e9 \U0001f600 x\n"
    assert line_index(text).line_col(text.index("x")) == (1, 8)


# ----------------------------------------------------------------- furniture rule files


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("rules:\n  - {id: a, pattern: 'x', description: d, colour: red}\n", "rule 'a': unknown key 'colour'"),
        ("rules:\n  - {id: a, pattern: '(x', description: d}\n", "rule 'a': bad pattern: missing ), unterminated"),
        ("rules:\n  - {id: a, description: d}\n", "rule 'a': 'pattern' must be a non-empty string"),
        ("rules:\n  - {pattern: x, description: d}\n", "rule #1: 'id' must be a non-empty string"),
        ("rules:\n  - {id: a, pattern: x, description: d, scope: page}\n", "rule 'a': scope must be one of"),
        ("rules:\n  - {id: a, pattern: x, description: d}\n  - {id: a, pattern: y, description: d}\n", "duplicate"),
        ("rules: [1]\n", "rule #1: expected a mapping"),
        ("patterns: []\n", "exactly one key 'rules'"),
        ("rules: [\n", "invalid YAML"),
    ],
)
def test_bad_furniture_files_raise(yaml_text: str, message: str) -> None:
    with pytest.raises(DataFileError) as info:
        parse_furniture(yaml_text, "custom.yaml")
    assert str(info.value).startswith("custom.yaml:")
    assert message in str(info.value)


def test_packaged_furniture_rules_load() -> None:
    rules = load_furniture()
    assert len({r.id for r in rules}) == len(rules) >= 20
    assert all(r.description for r in rules)


def test_custom_furniture_rules_replace_the_packaged_ones() -> None:
    rules = parse_furniture("rules:\n  - {id: x, pattern: '^drop me', description: d}\n", "x.yaml")
    parsed = parse_blocks(SourceDocument("a.txt", "Drop me.\nLeave a Reply\n", "", "utf-8"), furniture=rules)
    assert texts(parsed) == ["Leave a Reply"]


# ----------------------------------------------------------------- real web articles


def test_sample_articles_lose_their_furniture() -> None:
    paths = sorted(SOURCES.glob("*.txt"))
    assert paths
    intros: list[str] = []
    for path in paths:
        doc, warnings = read_document(path, path.name)
        assert doc is not None and not warnings
        parsed = parse_blocks(doc)
        assert parsed.blocks
        for block in parsed.blocks:
            assert_maps_back(block.view, doc.text)
            if block.ignored:
                continue
            lowered = block.text.lower()
            for furniture in ("leave a reply", "doi.org", "accessed", "share post", "recent blogs", "disclaimer"):
                assert furniture not in lowered, (path.name, block.text)
            if block.intro is not None:
                intros.append(block.intro.text)
    assert any(intro.endswith(":") for intro in intros)
