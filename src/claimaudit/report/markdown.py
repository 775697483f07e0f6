"""Markdown report for editorial review (renders on GitHub and GitLab)."""

from __future__ import annotations

from itertools import groupby

from claimaudit.report.model import Report


def _md(text: str) -> str:
    """Escape what Markdown or HTML would interpret in a quote."""
    text = " ".join(text.split())
    for ch in "\\`*_[]<>|#":
        text = text.replace(ch, "\\" + ch)
    return text


def render(report: Report) -> str:
    s = report.summary()
    out = [
        "# claimaudit report",
        "",
        f"{s['documents']} documents, {s['claims']} claims, **{s['conflicts']} conflicts**.",
        "",
    ]
    if s["conflicts"]:
        out += ["| severity | count |", "| --- | --- |"]
        out += [f"| {k} | {n} |" for k, n in s["by_severity"].items()]
        out.append("")
    for topic, group in groupby(report.findings, key=lambda f: f.conflict.topic):
        out += [f"## {_md(topic)}", ""]
        for f in group:
            c = f.conflict
            out.append(f"### {c.severity}: {c.kind} ({c.rule} `{c.id}`, {c.status})")
            out += ["", _md(c.explanation), ""]
            for claim in (f.first, f.second):
                out.append(f"- `{claim.source}:{claim.line}` — {_md(claim.quote)}")
            if c.related:
                out.append(f"- and {c.related} similar pair{'s' if c.related != 1 else ''} in these documents")
            if c.reason:
                out.append(f"- decision: {_md(c.reason)}")
            out.append("")
    if report.not_flagged:
        out += ["## Not flagged", "", "Close calls that were compared and set aside, with the reason.", ""]
        out += ["| topic | claims | why not |", "| --- | --- | --- |"]
        for n, a, b in report.not_flagged:
            out.append(f"| {_md(n.topic)} | `{a.source}:{a.line}`, `{b.source}:{b.line}` | {_md(n.reason)} |")
        out.append("")
    if report.warnings:
        out += ["## Warnings", ""] + [f"- {_md(w)}" for w in report.warnings] + [""]
    return "\n".join(out).rstrip() + "\n"
