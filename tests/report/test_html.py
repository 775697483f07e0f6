"""The HTML report: escaped, self-contained, deterministic, with the data attributes its filters use."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

from claimaudit.audit import SourceSummary
from claimaudit.compare.rules import SEVERITY_RANK
from claimaudit.records import Claim, Conflict, Cue, NonConflict, Quantity
from claimaudit.report.html import render
from claimaudit.report.model import Finding, Report

A, B, C = "docs/a.txt", "docs/b.txt", "docs/c.txt"
EVIL = "Ketamine is harmful <script>alert('x')</script> and <b>bold</b>."


def claim(cid: str, source: str, line: int, quote: str, aspect: str, **kw) -> Claim:
    start = line * 100
    return Claim(
        id=cid, source=source, start=start, end=start + len(quote), line=line, column=1, end_line=line,
        end_column=len(quote), text=quote, quote=quote, subject="ketamine", subject_surface="Ketamine",
        aspect=aspect, **kw,
    )


def quantity(surface: str, low: float, high: float, unit: str, comparator: str = "=") -> Quantity:
    factor = 60.0 if unit == "hour" else 1.0
    return Quantity(
        surface=surface, start=0, end=len(surface), low=low, high=high, unit=unit, dimension="time",
        base_unit="minute", base_low=low * factor, base_high=high * factor, comparator=comparator,
        role="infusion_duration",
    )


def sample_report() -> Report:
    """Three documents; c.txt is the outlier. Topics: safety (3 docs, conflicts), efficacy (a, b),
    duration (a, c), mechanism (b, c), infusion length (values, a and c, numeric conflict); approval only
    in c (not shown)."""
    claims = [
        claim("a1", A, 3, "Ketamine infusions are proven to be safe for chronic pain.", "safety",
              certainty="proven", predicate="safe", heading="Safety",
              cues=[Cue("proven.proven", "PROVEN", "proven", 320, 326)]),
        claim("a2", A, 4, "Ketamine infusions last 4 hours.", "duration", heading="Safety",
              quantities=[quantity("4 hours", 4, 4, "hour")]),
        claim("a3", A, 9, "Ketamine is an effective treatment for chronic pain.", "efficacy", predicate="effective"),
        claim("b1", B, 5, "Evidence on the safety of ketamine is mixed.", "safety", certainty="mixed",
              evidence="insufficient", cues=[Cue("unsettled.mixed", "UNSETTLED", "mixed", 540, 545)]),
        claim("b2", B, 7, "Ketamine does not work for chronic pain.", "efficacy", predicate="effective",
              polarity="negative", cues=[Cue("negation.not", "NEGATION", "not", 713, 716)]),
        claim("b3", B, 8, "Ketamine blocks NDMA receptors.", "mechanism", predicate="decrease"),
        claim("c1", C, 2, EVIL, "safety", predicate="harmful", heading="<i>Risks</i>"),
        claim("c2", C, 6, "Ketamine infusions last 40 to 60 minutes.", "duration",
              quantities=[quantity("40 to 60 minutes", 40, 60, "minute", "range")]),
        claim("c3", C, 8, "Ketamine blocks NMDA receptors.", "mechanism", predicate="decrease"),
        claim("c4", C, 12, "Ketamine is approved as an anesthetic.", "approval", predicate="approve"),
    ]
    claims.sort(key=lambda c: (c.source, c.start, c.aspect, c.id))
    by_id = {c.id: c for c in claims}
    conflicts = [
        Conflict("F000000000001", "numeric", "CA401", "warning", ("a2", "c2"), "ketamine / infusion length",
                 "infusion length: '4 hours' vs '40 to 60 minutes': disjoint", ("4 hour", "40–60 minute"),
                 status="false_positive", reason="c.txt means the <em>first</em> infusion"),
        Conflict("F000000000002", "antonym", "CA202", "error", ("a1", "c1"), "ketamine / safety",
                 "'safe' (safe) vs 'harmful' (harmful)", ("safe", "harmful"), related=2, status="confirmed"),
        Conflict("F000000000003", "certainty", "CA301", "warning", ("a1", "b1"), "ketamine / safety",
                 "'proven' (certainty: proven) vs 'mixed' (certainty: mixed)", ("proven", "mixed")),
        Conflict("F000000000004", "terminology", "CA101", "info", ("b3", "c3"), "NMDA / spelling",
                 "'NDMA' looks like a misspelling of 'NMDA' (NMDA)", ("NDMA", "NMDA")),
    ]
    findings = [Finding(c, by_id[c.claim_ids[0]], by_id[c.claim_ids[1]]) for c in conflicts]
    findings.sort(key=lambda f: (f.conflict.topic, -SEVERITY_RANK[f.conflict.severity], f.first.source, f.first.start))
    sources = [SourceSummary(p, "0" * 64, "utf-8", sum(c.source == p for c in claims)) for p in (A, B, C)]
    not_flagged = [(NonConflict(("a3", "b2"), "ketamine / efficacy", "polarity: different condition: x vs y"),
                    by_id["a3"], by_id["b2"])]
    return Report(sources, claims, findings, not_flagged, warnings=["docs/c.txt: decoded as <cp1252>"],
                  compared_groups=2, agreeing_groups=1, version="0.1.0")


class Collect(HTMLParser):
    """Tags with their attributes, and the text outside <script> and <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self._raw = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._raw += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._raw -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._raw:
            self.text.append(data)


def parse(page: str) -> Collect:
    p = Collect()
    p.feed(page)
    return p


def test_document_text_is_escaped() -> None:
    page = render(sample_report())
    assert "<script>alert" not in page
    assert "<b>bold</b>" not in page and "<i>Risks</i>" not in page and "<em>first</em>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    parsed = parse(page)
    assert [t for t, _ in parsed.tags if t == "script"] == ["script"]  # only the page's own script
    assert not [t for t, _ in parsed.tags if t in ("b", "i", "em")]
    assert "<script>alert('x')</script>" in "".join(parsed.text)  # shown as text


def test_no_external_resources() -> None:
    page = render(sample_report())
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "http://" not in page and "https://" not in page
    assert "@import" not in page and "url(" not in page
    tags = parse(page).tags
    assert not [a for t, a in tags if t in ("img", "iframe", "object", "embed") or (t == "script" and "src" in a)]
    assert [a["href"] for t, a in tags if t == "link"] == ["data:,"]
    csp = next(a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert csp.startswith("default-src 'none'")


def test_inline_style_and_script_match_the_csp_hashes() -> None:
    page = render(sample_report())
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1).replace("&#39;", "'")
    for tag in ("style", "script"):
        body = re.search(rf"<{tag}>(.*?)</{tag}>", page, re.S).group(1)
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{tag}-src 'sha256-{digest}'" in csp


def test_totals() -> None:
    page = render(sample_report())
    text = " ".join(" ".join(parse(page).text).split())
    assert "3 documents" in text
    assert "10 claims" in text
    assert "4 conflicts" in text
    assert "2 undecided" in text and "2 decided" in text
    assert "50% of compared value groups agree" in text and "1 of 2 groups" in text
    matrix = page[page.index('class="matrix"') : page.index("</table>", page.index('class="matrix"'))]
    for kind in ("antonym", "certainty", "numeric", "terminology"):
        assert f'href="#kind={kind}"' in matrix
    assert 'href="#kind=antonym&amp;severity=error">1<' in matrix
    assert "polarity" not in matrix  # kinds without conflicts are left out


def test_agreement_is_na_without_compared_groups() -> None:
    report = sample_report()
    report.compared_groups = report.agreeing_groups = 0
    assert "n/a" in " ".join(parse(render(report)).text)


def test_map_rows_are_the_qualifying_topics() -> None:
    page = render(sample_report())
    rows = [a for t, a in parse(page).tags if t == "tr" and "data-topic" in a]
    assert [(r["data-topic"], r["data-row-kind"]) for r in rows] == [
        ("ketamine / duration", "statement"),
        ("ketamine / efficacy", "statement"),
        ("ketamine / infusion length", "values"),
        ("ketamine / mechanism", "statement"),
        ("ketamine / safety", "statement"),
    ]
    assert "stated by at least two documents or involved in a conflict" in page
    assert "(5 of 6 topics)" in page


def test_map_cells_show_positions_and_mark_conflicts() -> None:
    page = render(sample_report())
    safety = page[page.index('data-topic="ketamine / safety"') :]
    safety = safety[: safety.index("</tr>")]
    cells = re.findall(r'<td class="([^"]*)" data-doc="([^"]*)"', safety)
    assert cells == [
        ("cell lvl-proven conflicted", A),
        ("cell lvl-mixed conflicted", B),
        ("cell lvl-probable conflicted", C),
    ]
    assert safety.count("⚠") >= 4  # row flag and one marker per conflicted cell, not colour alone
    assert "insufficient evidence" in safety
    assert "title=\"line 2: Ketamine is harmful &lt;script&gt;" in safety
    values = page[page.index('data-topic="ketamine / infusion length"') :]
    values = values[: values.index("</tr>")]
    assert "4 hour" in values and "40–60 minute" in values
    efficacy = page[page.index('data-topic="ketamine / efficacy"') :]
    efficacy = efficacy[: efficacy.index("</tr>")]
    assert "not effective" in efficacy and "conflicted" not in efficacy
    assert 'class="cell empty"' in efficacy  # c.txt says nothing about efficacy


def test_beyond_map_columns_a_row_lists_only_the_documents_that_state_it() -> None:
    from claimaudit.report.html import MAP_COLUMNS

    report = sample_report()
    quiet = [SourceSummary(f"docs/quiet{n:02d}.txt", "0" * 64, "utf-8", 0) for n in range(MAP_COLUMNS)]
    report.sources = sorted([*report.sources, *quiet], key=lambda s: s.path)
    page = render(report)
    section = page[page.index('id="map"') : page.index('id="conflicts"')]
    assert "quiet" not in section and "empty" not in section  # no column, no cell for a silent document
    safety = section[section.index('data-topic="ketamine / safety"') :]
    safety = safety[: safety.index("</tr>")]
    cells = re.findall(r'<div class="([^"]*)" data-doc="([^"]*)"', safety)
    assert cells == [("cell lvl-proven conflicted", A), ("cell lvl-mixed conflicted", B), ("cell lvl-probable conflicted", C)]
    assert '<a class="doc" href="#document=docs/a.txt">a.txt</a>' in safety and "insufficient evidence" in safety
    efficacy = section[section.index('data-topic="ketamine / efficacy"') :]
    assert len(re.findall(r'<div class="cell', efficacy[: efficacy.index("</tr>")])) == 2  # a.txt and b.txt only
    assert "followed by the documents that state it" in section
    assert len(re.findall(r'data-topic="', section)) == 5  # the same rows as with a column per document


def test_conflicts_carry_filter_attributes_and_details() -> None:
    page = render(sample_report())
    arts = [a for t, a in parse(page).tags if t == "article"]
    assert [(a["data-kind"], a["data-severity"], a["data-status"], a["data-doc-a"], a["data-doc-b"]) for a in arts] == [
        ("numeric", "warning", "false_positive", A, C),
        ("antonym", "error", "confirmed", A, C),
        ("certainty", "warning", "new", A, B),
        ("terminology", "info", "new", B, C),
    ]
    assert all("finding" in a["class"].split() for a in arts)
    groups = [a["data-group"] for t, a in parse(page).tags if "data-group" in a]
    assert groups == ["ketamine / infusion length", "ketamine / safety"]  # terminology has its own section
    assert "docs/a.txt:3" in page and "docs/c.txt:6" in page
    assert "CA202" in page and "antonym.opposite-predicate" in page
    assert "c.txt means the &lt;em&gt;first&lt;/em&gt; infusion" in page  # decision reason
    assert "+2 similar pairs" in page
    # the neighbouring sentence under the same heading is shown as context
    first = page[page.index('id="conflict-F000000000001"') :]
    first = first[: first.index("</article>")]
    assert "Ketamine infusions are proven to be safe for chronic pain." in first
    assert "<mark>4 hours</mark>" in first


def test_claims_table_and_not_flagged() -> None:
    page = render(sample_report())
    tags = parse(page).tags
    rows = [a for t, a in tags if t == "tr" and "data-aspect" in a]
    assert len(rows) == 10
    assert {(a["data-doc"], a["data-aspect"]) for a in rows} >= {(A, "safety"), (C, "approval")}
    labels = {a["for"] for t, a in tags if t == "label"}
    assert {"f-kind", "f-severity", "f-status", "f-document", "c-text", "c-aspect", "c-document"} <= labels
    nf = page[page.index('id="not-flagged"') :]
    assert "polarity: different condition: x vs y" in nf and "docs/a.txt:9" in nf and "docs/b.txt:7" in nf
    term = page[page.index('id="terminology"') : page.index('id="claims"')]
    assert "NDMA" in term and "F000000000004" in term


def test_deterministic() -> None:
    first = render(sample_report())
    assert render(sample_report()) == first
    report = sample_report()
    report.claims = list(reversed(report.claims))  # not the writer's job to re-sort claims, but no crash
    assert render(report)


def test_empty_report() -> None:
    page = render(Report([], [], [], [], version="0.1.0"))
    assert "No conflicts found." in page and "n/a" in page
