"""Reviewer decisions in ``claims/decisions.yaml``: keyed by conflict fingerprint, written atomically."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from claimaudit.datafiles import parse_yaml, read_text
from claimaudit.errors import DataFileError
from claimaudit.fileio import atomic_write_text
from claimaudit.records import Conflict

STATUSES = ("confirmed", "false_positive", "accepted")
KEY_ORDER = ("status", "reason", "reviewer", "date", "expires")
HEADER = """\
# claimaudit decisions: one entry per reviewed conflict, keyed by its fingerprint.
# status: confirmed (a real conflict, still to fix) | false_positive (not a conflict) | accepted (known, tolerated)
# Written by `claimaudit decide` and `claimaudit review`; edit by hand if you like. Unknown keys are kept.
"""


@dataclass(slots=True)
class Decision:
    fingerprint: str
    status: str
    reason: str
    reviewer: str = ""
    date: str = ""
    expires: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def expired(self, today: dt.date) -> bool:
        return bool(self.expires) and dt.date.fromisoformat(self.expires) < today

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status, "reason": self.reason}
        if self.reviewer:
            out["reviewer"] = self.reviewer
        if self.date:
            out["date"] = self.date
        if self.expires:
            out["expires"] = self.expires
        for key in sorted(self.extra):
            out[key] = self.extra[key]
        return out


@dataclass(slots=True)
class DecisionFile:
    path: Path
    decisions: dict[str, Decision] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # unknown top-level keys, kept as they are

    def render(self) -> str:
        body: dict[str, Any] = {
            "decisions": {fp: self.decisions[fp].to_dict() for fp in sorted(self.decisions)}
        }
        for key in sorted(self.extra):
            body[key] = self.extra[key]
        dumped = yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
        return HEADER + dumped

    def save(self) -> None:
        atomic_write_text(self.path, self.render())

    def record(self, decision: Decision) -> None:
        old = self.decisions.get(decision.fingerprint)
        if old is not None:
            decision.extra = {**old.extra, **decision.extra}
        self.decisions[decision.fingerprint] = decision

    def apply(self, conflicts: Iterable[Conflict], *, today: dt.date) -> list[str]:
        """Set each conflict's status from its decision; returns the stale fingerprints."""
        seen = set()
        for conflict in conflicts:
            decision = self.decisions.get(conflict.id)
            if decision is None:
                continue
            seen.add(conflict.id)
            if decision.expired(today):
                conflict.status = "new"
                conflict.reason = f"decision expired on {decision.expires}: {decision.reason}"
            else:
                conflict.status = decision.status
                conflict.reason = decision.reason
        return sorted(set(self.decisions) - seen)


def _date(value: Any, key: str, fp: str, name: str, line: int) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise DataFileError(f"decision {fp}: {key} must be a date YYYY-MM-DD, not {value!r}", path=name, line=line) from None


def parse_decisions(text: str, path: Path) -> DecisionFile:
    """Parse and validate a decisions file; any mistake is a DataFileError at file:line."""
    name = str(path)
    data = parse_yaml(text, name)
    if data is None:
        return DecisionFile(path)
    if not isinstance(data, dict):
        raise DataFileError("expected a mapping with a 'decisions' key", path=name, line=1)
    lines: dict[str, int] = {}
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    for key_node, value_node in node.value:
        if key_node.value == "decisions" and isinstance(value_node, yaml.MappingNode):
            lines = {k.value: k.start_mark.line + 1 for k, _ in value_node.value}
    raw = data.get("decisions") or {}
    if not isinstance(raw, dict):
        raise DataFileError("'decisions' must be a mapping of fingerprint to decision", path=name, line=1)
    out = DecisionFile(path, extra={k: v for k, v in data.items() if k != "decisions"})
    for fp, body in raw.items():
        line = lines.get(str(fp), 0)
        if not isinstance(body, dict):
            raise DataFileError(f"decision {fp}: expected a mapping", path=name, line=line)
        status = body.get("status")
        if status not in STATUSES:
            raise DataFileError(
                f"decision {fp}: status must be one of {', '.join(STATUSES)}, not {status!r}", path=name, line=line
            )
        reason = body.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise DataFileError(f"decision {fp}: a reason is required", path=name, line=line)
        out.decisions[str(fp)] = Decision(
            fingerprint=str(fp),
            status=status,
            reason=reason,
            reviewer=str(body.get("reviewer") or ""),
            date=_date(body.get("date"), "date", fp, name, line),
            expires=_date(body.get("expires"), "expires", fp, name, line),
            extra={k: v for k, v in body.items() if k not in KEY_ORDER},
        )
    return out


def load_decisions(path: Path) -> DecisionFile:
    """The decisions at ``path``; an empty file object when it does not exist yet."""
    if not path.exists():
        return DecisionFile(path)
    return parse_decisions(read_text(path), path)
