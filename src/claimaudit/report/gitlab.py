"""GitLab Code Quality report (JSON array): one issue per open conflict, at the first claim."""

from __future__ import annotations

from typing import Any

from claimaudit.report.jsontext import dumps_indented
from claimaudit.report.model import Finding, Report

SEVERITIES = {"info": "info", "warning": "major", "error": "critical"}
SUPPRESSED = {"false_positive", "accepted"}  # decided: not reported


def _path(source: str) -> str:
    return source.replace("\\", "/")


def issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    c, first, second = finding.conflict, finding.first, finding.second
    return {
        "description": f"{finding.message} (conflicts with {_path(second.source)}:{second.line})",
        "check_name": c.rule,
        "fingerprint": fingerprint,
        "severity": SEVERITIES[c.severity],
        "location": {"path": _path(first.source), "lines": {"begin": first.line}},
    }


def unique_fingerprints(ids: list[str]) -> list[str]:
    """Each conflict id, made unique in report order: a repeat becomes ``{id}-2``, ``{id}-3``, ..."""
    taken = set(ids)
    seen: set[str] = set()
    out = []
    for fid in ids:
        candidate, n = fid, 1
        while candidate in seen or (candidate != fid and candidate in taken):
            n += 1
            candidate = f"{fid}-{n}"
        seen.add(candidate)
        out.append(candidate)
    return out


def render(report: Report) -> str:
    findings = [f for f in report.findings if f.conflict.status not in SUPPRESSED]
    fingerprints = unique_fingerprints([f.conflict.id for f in findings])
    issues = [issue(f, fp) for f, fp in zip(findings, fingerprints)]
    return dumps_indented(issues) + "\n"
