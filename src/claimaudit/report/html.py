"""Static, self-contained HTML report: totals, consistency map, conflicts, claims, close calls.

The page loads nothing from the network (a Content-Security-Policy forbids it) and needs no server:
filters are inline vanilla JavaScript that reads the URL hash (``#severity=error&document=a.txt``) and
shows or hides rows by their ``data-`` attributes. No JSON is embedded; every document string goes
through Jinja's autoescaping. The same report always renders to the same bytes.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import posixpath
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import groupby

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from claimaudit.compare.conflicts import COMPARED_ROLES, ROLE_NAMES, RULES
from claimaudit.normalize.quantities import describe_quantity
from claimaudit.normalize.certainty import GRADE_RANK, RANK
from claimaudit.records import Claim, Quantity
from claimaudit.report.model import Finding, Report

SEVERITIES = ("error", "warning", "info")
STATUSES = ("new", "confirmed", "false_positive", "accepted")
STATUS_LABELS = {"new": "undecided", "confirmed": "confirmed", "false_positive": "false positive", "accepted": "accepted"}
KINDS = tuple(sorted(dict.fromkeys(r.kind for r in RULES.values()), key=lambda k: k == "terminology"))
CERTAINTY_CUES = {"PROVEN", "PROBABLE", "POSSIBLE", "UNSETTLED", "UNKNOWN"}
EVIDENCE_CUES = {"EVIDENCE_STRONG", "EVIDENCE_MODERATE", "EVIDENCE_WEAK", "EVIDENCE_INSUFFICIENT"}
CONTEXT_GAP = 2  # a neighbouring claim counts as context when it ends at most this many lines away
CELL_ITEMS = 3  # values shown in one map cell before "+n more"
# Up to this many documents the map is a table with a column per document. Beyond, a row lists only the
# documents that state its topic: a column per document would make the page grow with topics x documents
# (4 GB at 10,000 documents), where the list grows with the claims.
MAP_COLUMNS = 20


@functools.cache
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("claimaudit", "report/templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


@functools.cache
def _asset(name: str) -> tuple[Markup, str]:
    """A static file of ours to inline (never document text), with its CSP hash."""
    env = _env()
    source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    source = source.strip("\n")
    digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
    return Markup(source), f"'sha256-{digest}'"


# --- view model -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Cell:
    doc: str
    main: str = ""  # the position: certainty range or intervals
    meta: list[str] = field(default_factory=list)  # predicates, negation, evidence grade
    tip: str = ""  # quotes, for the title attribute
    count: int = 0  # claims behind the cell
    conflicts: int = 0  # conflicts this document's claims take part in on the topic
    level: str = ""  # strongest certainty, for the tint


@dataclass(slots=True)
class Row:
    topic: str
    kind: str  # "statement" | "values"
    cells: list[Cell]
    conflicts: int


def _doc_labels(paths: list[str]) -> dict[str, str]:
    """Short column labels: the paths without their common folder."""
    if not paths:
        return {}
    common = posixpath.commonpath(paths) if len(paths) > 1 else posixpath.dirname(paths[0])
    if common in paths:  # a single file or one path inside another: keep the names
        common = posixpath.dirname(common)
    cut = len(common) + 1 if common else 0
    return {p: p[cut:] or p for p in paths}


def _range(values: list[str], rank: dict[str, int]) -> str:
    """The strongest and weakest of the values: "proven", or "possible–mixed"."""
    known = sorted({v for v in values if v in rank}, key=lambda v: -rank[v])
    if not known:
        return ""
    return known[0] if len(known) == 1 else f"{known[0]}–{known[-1]}"


def _quantity_topic(claim: Claim, q: Quantity) -> str:
    return f"{claim.subject} / {ROLE_NAMES.get(q.role, q.role)}"


def _tip(claims: list[Claim]) -> str:
    seen: dict[int, str] = {}
    for c in claims:
        seen.setdefault(c.start, f"line {c.line}: {' '.join(c.quote.split())}")
    return "\n".join(seen[k] for k in sorted(seen))


def _statement_cell(doc: str, claims: list[Claim], conflicts: int) -> Cell:
    meta: list[str] = []
    preds = []
    for c in claims:
        if c.predicate:
            preds.append(("not " if c.polarity == "negative" else "") + c.predicate)
        elif c.polarity == "negative":
            preds.append("negated")
    preds = list(dict.fromkeys(preds))
    meta += preds[:CELL_ITEMS]
    grade = _range([c.evidence for c in claims if c.evidence], GRADE_RANK)
    if grade:
        meta.append(f"{grade} evidence")
    strongest = max((c.certainty for c in claims if c.certainty in RANK), key=RANK.__getitem__, default="")
    return Cell(
        doc, _range([c.certainty for c in claims], RANK), meta, _tip(claims),
        len({c.start for c in claims}), conflicts, strongest,
    )


def _values_cell(doc: str, items: list[tuple[Claim, Quantity]], conflicts: int) -> Cell:
    values = list(dict.fromkeys(describe_quantity(q) for _, q in items))
    meta = [f"+{len(values) - CELL_ITEMS} more"] if len(values) > CELL_ITEMS else []
    claims = [c for c, _ in items]
    if any(c.polarity == "negative" for c in claims):
        meta.append("negated")
    return Cell(doc, "; ".join(values[:CELL_ITEMS]), meta, _tip(claims), len(items), conflicts)


def _consistency_map(report: Report, *, columns: bool = True) -> tuple[list[Row], int]:
    """Topics stated by at least two documents or involved in a conflict, by document: a cell for every
    document (``columns``) or only for those that state the topic.

    Statement rows are a claim's subject and aspect; value rows a subject and a compared quantity role,
    named as numeric conflicts name their topic ("ketamine / infusion length").
    """
    statements: dict[str, dict[str, list[Claim]]] = defaultdict(lambda: defaultdict(list))
    values: dict[str, dict[str, dict[tuple[int, int], tuple[Claim, Quantity]]]] = defaultdict(lambda: defaultdict(dict))
    for claim in report.claims:
        statements[claim.topic][claim.source].append(claim)
        for q in claim.quantities:
            if q.role in COMPARED_ROLES:  # a sentence has one claim per aspect: count each quantity once
                values[_quantity_topic(claim, q)][claim.source].setdefault((claim.start, q.start), (claim, q))
    per_topic: Counter[tuple[str, str]] = Counter()
    per_cell: Counter[tuple[str, str, str]] = Counter()
    for f in report.findings:
        c = f.conflict
        if c.kind == "terminology":
            continue
        kind = "values" if c.kind == "numeric" else "statement"
        per_topic[(kind, c.topic)] += 1
        for doc in {f.first.source, f.second.source}:
            per_cell[(kind, c.topic, doc)] += 1
    docs = [s.path for s in report.sources]
    order = {d: n for n, d in enumerate(docs)}

    def shown(by_doc: dict) -> list[str]:
        """Every document (a column each), or those that state the topic, in document order."""
        return docs if columns else sorted(by_doc, key=lambda d: order.get(d, len(order)))

    rows = []
    for topic, by_doc in statements.items():
        if len(by_doc) >= 2 or per_topic[("statement", topic)]:
            cells = [
                _statement_cell(d, by_doc[d], per_cell[("statement", topic, d)]) if d in by_doc else Cell(d)
                for d in shown(by_doc)
            ]
            rows.append(Row(topic, "statement", cells, per_topic[("statement", topic)]))
    for topic, by_doc in values.items():
        if len(by_doc) >= 2 or per_topic[("values", topic)]:
            cells = [
                _values_cell(d, [by_doc[d][k] for k in sorted(by_doc[d])], per_cell[("values", topic, d)])
                if d in by_doc else Cell(d)
                for d in shown(by_doc)
            ]
            rows.append(Row(topic, "values", cells, per_topic[("values", topic)]))
    rows.sort(key=lambda r: (r.topic, r.kind))
    return rows, len(statements) + len(values)


def _contexts(report: Report) -> dict[str, tuple[str, str]]:
    """For each claim the neighbouring sentences (other claims' quotes) under the same heading, when close."""
    out: dict[str, tuple[str, str]] = {}
    by_source: dict[str, dict[int, Claim]] = defaultdict(dict)
    for c in report.claims:
        by_source[c.source].setdefault(c.start, c)  # one sentence, one claim per aspect: read it once
    for sentences in by_source.values():
        ordered = [sentences[k] for k in sorted(sentences)]
        position = {c.start: i for i, c in enumerate(ordered)}
        for c in ordered:
            i = position[c.start]
            before = after = ""
            if i > 0:
                p = ordered[i - 1]
                if p.heading == c.heading and c.line - p.end_line <= CONTEXT_GAP:
                    before = p.quote
            if i + 1 < len(ordered):
                n = ordered[i + 1]
                if n.heading == c.heading and n.line - c.end_line <= CONTEXT_GAP:
                    after = n.quote
            out[f"{c.source}\x00{c.start}"] = (" ".join(before.split()), " ".join(after.split()))
    return out


def _marks(text: str, terms: list[str]) -> list[tuple[str, bool]]:
    """The text as (segment, highlighted) pairs, highlighting the terms case-insensitively."""
    spans: list[tuple[int, int]] = []
    lower = text.lower()
    for term in sorted({t.strip() for t in terms if t.strip()}, key=lambda t: (-len(t), t)):
        for m in re.finditer(re.escape(term.lower()), lower):
            if all(m.end() <= s or m.start() >= e for s, e in spans):
                spans.append((m.start(), m.end()))
                break
    spans.sort()
    out, pos = [], 0
    for s, e in spans:
        if s > pos:
            out.append((text[pos:s], False))
        out.append((text[s:e], True))
        pos = e
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def _highlight_terms(finding: Finding, claim: Claim, value: str) -> list[str]:
    c = finding.conflict
    if c.kind == "certainty":
        return [q.literal for q in claim.cues if q.category in CERTAINTY_CUES | EVIDENCE_CUES]
    if c.kind == "evidence":
        return [q.literal for q in claim.cues if q.category in EVIDENCE_CUES]
    if c.kind == "polarity":
        return [q.literal for q in claim.cues if q.category == "NEGATION"]
    if c.kind == "numeric":
        return [q.surface for q in claim.quantities if _quantity_topic(claim, q) == c.topic]
    if c.kind == "terminology":
        return list(c.values)
    return [w for w in value.split() if len(w) > 3]


def _side(finding: Finding, claim: Claim, value: str, contexts: dict[str, tuple[str, str]]) -> dict:
    before, after = contexts.get(f"{claim.source}\x00{claim.start}", ("", ""))
    quote = " ".join(claim.quote.split())
    lines = f"{claim.line}" if claim.end_line == claim.line else f"{claim.line}–{claim.end_line}"
    return {
        "claim": claim,
        "value": value,
        "lines": lines,
        "before": before,
        "after": after,
        "quote": _marks(quote, _highlight_terms(finding, claim, value)),
    }


def _finding_view(finding: Finding, contexts: dict[str, tuple[str, str]]) -> dict:
    c = finding.conflict
    return {
        "c": c,
        "rule_name": finding.rule_name,
        "status_label": STATUS_LABELS.get(c.status, c.status),
        "decided": "no" if c.status == "new" else "yes",
        "sides": [
            _side(finding, finding.first, c.values[0], contexts),
            _side(finding, finding.second, c.values[1], contexts),
        ],
    }


def _totals(report: Report) -> dict:
    s = report.summary()
    matrix = Counter((f.conflict.kind, f.conflict.severity) for f in report.findings)
    kinds = [k for k in KINDS if any(matrix[(k, sev)] for sev in SEVERITIES)]
    kinds += sorted({k for k, _ in matrix} - set(kinds))
    undecided = sum(1 for f in report.findings if f.conflict.status == "new")
    if report.compared_groups:
        share = f"{report.agreeing_groups / report.compared_groups:.0%}"
    else:
        share = "n/a"
    return {
        "s": s,
        "kinds": kinds,
        "matrix": {f"{k}|{sev}": n for (k, sev), n in matrix.items()},
        "severity_totals": {sev: sum(1 for f in report.findings if f.conflict.severity == sev) for sev in SEVERITIES},
        "kind_totals": {k: sum(1 for f in report.findings if f.conflict.kind == k) for k in kinds},
        "undecided": undecided,
        "decided": len(report.findings) - undecided,
        "share": share,
    }


def render(report: Report) -> str:
    contexts = _contexts(report)
    labels = _doc_labels([s.path for s in report.sources])
    per_doc = Counter()
    for f in report.findings:
        for doc in sorted({f.first.source, f.second.source}):
            per_doc[doc] += 1
    documents = [
        {"path": s.path, "label": labels.get(s.path, s.path), "claims": s.claims, "conflicts": per_doc[s.path]}
        for s in report.sources
    ]
    main = [f for f in report.findings if f.conflict.kind != "terminology"]
    groups = [
        (topic, [_finding_view(f, contexts) for f in items])
        for topic, items in groupby(main, key=lambda f: f.conflict.topic)
    ]
    terminology = [_finding_view(f, contexts) for f in report.findings if f.conflict.kind == "terminology"]
    claims = [
        {
            "c": c,
            "quantities": "; ".join(dict.fromkeys(describe_quantity(q) for q in c.quantities)),
            "quote": " ".join(c.quote.split()),
            "label": labels.get(c.source, c.source),
            "certainty_rank": RANK.get(c.certainty, -1),
            "evidence_rank": GRADE_RANK.get(c.evidence, -1),
        }
        for c in report.claims
    ]
    columns = len(report.sources) <= MAP_COLUMNS
    rows, topic_total = _consistency_map(report, columns=columns)
    in_conflict = {cid for f in report.findings for cid in f.conflict.claim_ids}
    css, css_hash = _asset("report.css")
    js, js_hash = _asset("report.js")
    return _env().get_template("report.html.j2").render(
        report=report,
        totals=_totals(report),
        documents=documents,
        labels=labels,
        rows=rows,
        map_columns=columns,
        topic_total=topic_total,
        in_conflict=in_conflict,
        groups=groups,
        terminology=terminology,
        claims=claims,
        aspects=sorted({c.aspect for c in report.claims}),
        kinds=KINDS,
        severities=SEVERITIES,
        statuses=STATUSES,
        status_labels=STATUS_LABELS,
        css=css,
        js=js,
        csp=f"default-src 'none'; style-src {css_hash}; script-src {js_hash}; img-src data:",
    )
