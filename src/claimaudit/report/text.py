"""Terminal report: conflicts grouped by topic, both quotes with path:line."""

from __future__ import annotations

import textwrap
from itertools import groupby

from claimaudit.report.model import Report

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "dim": "\033[2m", "bold": "\033[1m"}
_RESET = "\033[0m"


def _paint(text: str, style: str, colour: bool) -> str:
    return f"{_COLOURS[style]}{text}{_RESET}" if colour else text


def _quote(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render(report: Report, *, colour: bool = False) -> str:
    s = report.summary()
    sev = ", ".join(f"{n} {k}" for k, n in s["by_severity"].items())
    lines = [
        _paint(
            f"claimaudit {report.version}: {s['documents']} documents, {s['claims']} claims, "
            f"{s['conflicts']} conflicts" + (f" ({sev})" if sev else ""),
            "bold",
            colour,
        ),
        "",
    ]
    for topic, group in groupby(report.findings, key=lambda f: f.conflict.topic):
        lines.append(_paint(topic, "bold", colour))
        for f in group:
            c = f.conflict
            status = f" [{c.status}]" if c.status != "new" else ""
            lines.append(f"  {_paint(c.severity, c.severity, colour)} {c.kind} {c.rule} {c.id}{status}")
            for part in textwrap.wrap(c.explanation, 96):
                lines.append(f"    {part}")
            for claim in (f.first, f.second):
                lines.append(f"    {_paint(f'{claim.source}:{claim.line}', 'dim', colour)}  {_quote(claim.quote)}")
            if c.related:
                lines.append(f"    (+{c.related} similar pair{'s' if c.related != 1 else ''} in these documents)")
            if c.reason:
                lines.append(f"    decision: {c.reason}")
        lines.append("")
    if report.not_flagged:
        lines.append(_paint(f"Not flagged: {len(report.not_flagged)} close calls compared and set aside", "bold", colour))
        for n, a, b in report.not_flagged:
            lines.append(f"  {n.topic}: {n.reason}")
            lines.append(f"    {a.source}:{a.line} vs {b.source}:{b.line}")
        lines.append("")
    for stale in report.stale_decisions:
        lines.append(f"stale decision: {stale} no longer matches a conflict (claimaudit decisions --prune)")
    if not report.findings:
        lines.append("No conflicts found.")
    return "\n".join(lines).rstrip() + "\n"
