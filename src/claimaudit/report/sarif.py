"""SARIF 2.1.0 log for code-scanning dashboards: every rule declared, one result per conflict."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from claimaudit.compare.rules import RULES
from claimaudit.records import Claim
from claimaudit.report.jsontext import dumps_indented
from claimaudit.report.model import Finding, Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "claimauditConflict/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SUPPRESSED = {"false_positive", "accepted"}  # decided "not a conflict" / "known and tolerated"
SRCROOT = "%SRCROOT%"
RELATED_ID = 1

_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:/")


def plain_text(text: str) -> str:
    """A SARIF plain-text message string whose content is literal.

    SARIF 2.1.0 §3.11.5 reserves ``{``/``}`` for placeholders (a literal brace is doubled) and §3.11.6
    reads ``[text](target)`` as an embedded link; ``\\``, ``[`` and ``]`` are the escapable link
    characters. Document text quoted in a message must never turn into a link or a placeholder.
    """
    out = []
    for ch in text:
        if ch in "\\[]":
            out.append("\\" + ch)
        elif ch in "{}":
            out.append(ch * 2)
        else:
            out.append(ch)
    return "".join(out)


def artifact_location(source: str) -> dict[str, str]:
    """A relative source against %SRCROOT%; an absolute one as a file: URI. Percent-encoded."""
    path = source.replace("\\", "/")
    if _WINDOWS_DRIVE.match(path):
        return {"uri": "file:///" + path[:2] + quote(path[2:], safe="/")}
    if path.startswith("//"):  # UNC: //server/share/...
        return {"uri": "file:" + quote(path, safe="/")}
    if path.startswith("/"):
        return {"uri": "file://" + quote(path, safe="/")}
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def physical_location(claim: Claim) -> dict[str, Any]:
    return {
        "artifactLocation": artifact_location(claim.source),
        "region": {
            "startLine": claim.line,
            "startColumn": claim.column,
            "endLine": claim.end_line,
            "endColumn": claim.end_column,  # exclusive, as the claim's
            "snippet": {"text": claim.text},  # SARIF: the region's own text
        },
    }


def rule_descriptor(code: str) -> dict[str, Any]:
    rule = RULES[code]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": plain_text(rule.summary)},
        "fullDescription": {
            "text": plain_text(f"{rule.summary} Kind: {rule.kind}. Default severity: {rule.severity}.")
        },
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.kind]},
    }


def result(finding: Finding, rule_index: int) -> dict[str, Any]:
    c = finding.conflict
    out: dict[str, Any] = {
        "ruleId": c.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[c.severity],
        "message": {"text": plain_text(finding.message)},
        "locations": [{"physicalLocation": physical_location(finding.first)}],
        "relatedLocations": [
            {
                "id": RELATED_ID,
                "physicalLocation": physical_location(finding.second),
                "message": {"text": "conflicting claim"},
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: c.id},
        "properties": {
            "kind": c.kind,
            "topic": c.topic,
            "status": c.status,
            "claim_ids": list(c.claim_ids),
            "values": list(c.values),
        },
    }
    if c.status in SUPPRESSED:
        suppression: dict[str, Any] = {"kind": "external", "status": "accepted"}
        if c.reason:
            suppression["justification"] = c.reason
        out["suppressions"] = [suppression]
    return out


def render(report: Report) -> str:
    codes = sorted(RULES)
    index = {code: i for i, code in enumerate(codes)}
    log = {
        "version": "2.1.0",  # SARIF §3.13.2: version SHOULD come first
        "$schema": SCHEMA,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "claimaudit",
                        "version": report.version,
                        "rules": [rule_descriptor(code) for code in codes],
                    }
                },
                # claim columns count characters of the decoded text, not UTF-16 code units
                "columnKind": "unicodeCodePoints",
                "results": [result(f, index[f.conflict.rule]) for f in report.findings],
            }
        ],
    }
    return dumps_indented(log) + "\n"
