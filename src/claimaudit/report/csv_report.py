"""Conflicts as CSV (pandas), one row per conflict, both claims located and quoted; decided ones included.
Texts a spreadsheet would run as formulas get a leading apostrophe (``formula_safe``)."""

from __future__ import annotations

import csv

import pandas as pd

from claimaudit.claim_files import formula_safe
from claimaudit.report.model import Finding, Report

COLUMNS = [
    "id", "rule", "kind", "severity", "status", "topic", "first_path", "first_line", "second_path", "second_line",
    "explanation", "first_quote", "second_quote", "related", "reason",
]


def row(finding: Finding) -> dict[str, object]:
    c, first, second = finding.conflict, finding.first, finding.second
    return {
        "id": c.id,
        "rule": c.rule,
        "kind": c.kind,
        "severity": c.severity,
        "status": c.status,
        "topic": c.topic,
        "first_path": first.source,
        "first_line": first.line,
        "second_path": second.source,
        "second_line": second.line,
        "explanation": c.explanation,
        "first_quote": first.quote,
        "second_quote": second.quote,
        "related": c.related,
        "reason": c.reason,
    }


def render(report: Report) -> str:
    rows = [{key: formula_safe(value) for key, value in row(f).items()} for f in report.findings]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    # Quote every text field: with "\n" as the line terminator the csv module would leave a lone "\r"
    # unquoted (Python < 3.12), and readers end the row there.
    return frame.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
