"""JSON report: the stable, documented contract (see README, "JSON report")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from claimaudit.records import Claim
from claimaudit.report.jsontext import EncodedArray, dumps_elements, dumps_indented, encode_indented
from claimaudit.report.model import Report, claim_dict, conflict_dict

SCHEMA_VERSION = 1
CLAIMS_DEPTH = 2  # the claims' depth in the report: the top object's "claims" array holds them


def render(report: Report) -> str:
    return dumps_indented(_data(report, [claim_dict(c) for c in report.claims])) + "\n"


def render_encoded(report: Report, claims: Sequence[bytes | memoryview]) -> list[bytes | memoryview]:
    """The report's UTF-8 bytes, as chunks, with its claims given as encoded elements (each chunk from
    ``claim_elements``, in the order of ``report.claims``)."""
    return [*encode_indented(_data(report, EncodedArray(claims, CLAIMS_DEPTH))), b"\n"]


def claim_elements(claims: Sequence[Claim]) -> str:
    """Claims as elements of the report's claims array, as ``render`` writes them there."""
    return dumps_elements((claim_dict(c) for c in claims), CLAIMS_DEPTH)


def _data(report: Report, claims: Any) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "claimaudit", "version": report.version},
        "summary": report.summary(),
        "sources": [
            {"path": s.path, "sha256": s.sha256, "encoding": s.encoding, "claims": s.claims} for s in report.sources
        ],
        "claims": claims,
        "conflicts": [conflict_dict(f) for f in report.findings],
        "not_flagged": [
            {"claim_ids": list(n.claim_ids), "topic": n.topic, "reason": n.reason} for n, _, _ in report.not_flagged
        ],
        "stale_decisions": list(report.stale_decisions),
        "warnings": list(report.warnings),
    }
