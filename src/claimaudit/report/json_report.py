"""JSON report: the stable, documented contract (see README, "JSON report")."""

from __future__ import annotations

from claimaudit.report.jsontext import dumps_indented
from claimaudit.report.model import Report, claim_dict, conflict_dict

SCHEMA_VERSION = 1


def render(report: Report) -> str:
    data = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "claimaudit", "version": report.version},
        "summary": report.summary(),
        "sources": [
            {"path": s.path, "sha256": s.sha256, "encoding": s.encoding, "claims": s.claims} for s in report.sources
        ],
        "claims": [claim_dict(c) for c in report.claims],
        "conflicts": [conflict_dict(f) for f in report.findings],
        "not_flagged": [
            {"claim_ids": list(n.claim_ids), "topic": n.topic, "reason": n.reason} for n, _, _ in report.not_flagged
        ],
        "stale_decisions": list(report.stale_decisions),
        "warnings": list(report.warnings),
    }
    return dumps_indented(data) + "\n"
