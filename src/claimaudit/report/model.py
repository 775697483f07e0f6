"""The report every writer renders: findings with both claims located, sorted deterministically."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from claimaudit import __version__
from claimaudit.audit import AuditResult, SourceSummary
from claimaudit.claimset import ClaimList
from claimaudit.compare.rules import RULES, SEVERITY_RANK
from claimaudit.records import Claim, Conflict, NonConflict


@dataclass(frozen=True, slots=True)
class Finding:
    """One conflict as writers see it."""

    conflict: Conflict
    first: Claim
    second: Claim

    @property
    def rule_name(self) -> str:
        return RULES[self.conflict.rule].name

    @property
    def message(self) -> str:
        c = self.conflict
        more = f" (+{c.related} similar pair{'s' if c.related != 1 else ''} in these documents)" if c.related else ""
        return f"{c.topic}: {c.explanation}{more}"


@dataclass(slots=True)
class Report:
    sources: list[SourceSummary]
    claims: Sequence[Claim]  # in report order (a ``ClaimList`` decodes each document on first use)
    findings: list[Finding]
    not_flagged: list[tuple[NonConflict, Claim, Claim]]
    warnings: list[str] = field(default_factory=list)
    stale_decisions: list[str] = field(default_factory=list)
    compared_groups: int = 0
    agreeing_groups: int = 0
    version: str = __version__

    def summary(self) -> dict[str, Any]:
        kinds = Counter(f.conflict.kind for f in self.findings)
        severities = Counter(f.conflict.severity for f in self.findings)
        statuses = Counter(f.conflict.status for f in self.findings)
        return {
            "documents": len(self.sources),
            "claims": len(self.claims),
            "conflicts": len(self.findings),
            "by_kind": dict(sorted(kinds.items())),
            "by_severity": {s: severities[s] for s in sorted(severities, key=lambda s: -SEVERITY_RANK[s])},
            "by_status": dict(sorted(statuses.items())),
            "compared_groups": self.compared_groups,
            "agreeing_groups": self.agreeing_groups,
            "not_flagged": len(self.not_flagged),
        }


def build_report(result: AuditResult) -> Report:
    """Join conflicts with their claims; sort by topic, then location."""
    claim = result.claim
    findings = [
        Finding(conflict, claim(conflict.claim_ids[0]), claim(conflict.claim_ids[1]))
        for conflict in result.findings.conflicts
    ]
    findings.sort(key=lambda f: (f.conflict.topic, -SEVERITY_RANK[f.conflict.severity], f.first.source, f.first.start, f.second.source, f.second.start, f.conflict.id))
    skipped = [(n, claim(n.claim_ids[0]), claim(n.claim_ids[1])) for n in result.findings.not_flagged]
    return Report(
        sources=sorted(result.sources, key=lambda s: s.path),
        claims=ClaimList(result.documents),
        findings=findings,
        not_flagged=skipped,
        warnings=list(result.warnings),
        compared_groups=result.findings.compared_groups,
        agreeing_groups=result.findings.agreeing_groups,
    )


def claim_dict(claim: Claim) -> dict[str, Any]:
    """A claim as a JSON-ready record (the documented contract)."""
    return {
        "id": claim.id,
        "source": claim.source,
        "start": claim.start,
        "end": claim.end,
        "line": claim.line,
        "column": claim.column,
        "end_line": claim.end_line,
        "end_column": claim.end_column,
        "text": claim.text,
        "quote": claim.quote,
        "subject": claim.subject,
        "subject_surface": claim.subject_surface,
        "aspect": claim.aspect,
        "predicate": claim.predicate,
        "object": claim.object,
        "scope": dict(sorted(claim.scope.items())),
        "polarity": claim.polarity,
        "certainty": claim.certainty,
        "evidence": claim.evidence,
        "quantities": [q.to_dict() for q in claim.quantities],
        "attribution": claim.attribution,
        "heading": claim.heading,
        "block": claim.block,
        "cues": [
            {"rule_id": c.rule_id, "category": c.category, "literal": c.literal, "start": c.start, "end": c.end}
            for c in claim.cues
        ],
        "terms": list(claim.terms),
    }


def location(claim: Claim) -> dict[str, Any]:
    return {
        "claim_id": claim.id,
        "path": claim.source,
        "line": claim.line,
        "column": claim.column,
        "end_line": claim.end_line,
        "end_column": claim.end_column,
        "quote": claim.quote,
    }


def conflict_dict(finding: Finding) -> dict[str, Any]:
    c = finding.conflict
    return {
        "id": c.id,
        "kind": c.kind,
        "rule": c.rule,
        "rule_name": finding.rule_name,
        "severity": c.severity,
        "status": c.status,
        "reason": c.reason,
        "topic": c.topic,
        "claim_ids": list(c.claim_ids),
        "explanation": c.explanation,
        "values": list(c.values),
        "related": c.related,
        "locations": [location(finding.first), location(finding.second)],
    }
