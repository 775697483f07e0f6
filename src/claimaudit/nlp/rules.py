"""Cue rules: records with a closed set of categories and directions, validated on load."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from claimaudit.datafiles import check_keys, package_text, yaml_records
from claimaudit.errors import DataFileError

CATEGORIES = (
    "NEGATION",
    "PSEUDO",
    "TERMINATE",
    "PROVEN",
    "PROBABLE",
    "POSSIBLE",
    "UNSETTLED",
    "UNKNOWN",
    "EVIDENCE_STRONG",
    "EVIDENCE_MODERATE",
    "EVIDENCE_WEAK",
    "EVIDENCE_INSUFFICIENT",
)
DIRECTIONS = ("FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO")


@dataclass(frozen=True, slots=True)
class CueRule:
    """One cue: a literal (phrase match) or a token pattern, with its category and direction."""

    id: str
    literal: str
    category: str
    direction: str
    pattern: tuple | str | None = None
    line: int = 0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "literal": self.literal,
            "category": self.category,
            "direction": self.direction,
        }
        if self.pattern is not None:
            out["pattern"] = list(self.pattern) if isinstance(self.pattern, tuple) else self.pattern
        return out


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    return value


def thaw(value: Any) -> Any:
    """Turn a frozen pattern back into the lists and dicts spaCy expects."""
    if isinstance(value, tuple):
        if value and all(isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) for v in value):
            return {k: thaw(v) for k, v in value}
        return [thaw(v) for v in value]
    return value


def rule_from_dict(record: dict[str, Any], *, name: str, line: int = 0) -> CueRule:
    """Build a rule from its record, rejecting unknown keys and values outside the closed sets."""
    check_keys(
        record, required={"id", "literal", "category", "direction"}, optional={"pattern"}, name=name, line=line
    )
    category, direction = record["category"], record["direction"]
    if category not in CATEGORIES:
        raise DataFileError(
            f"rule {record['id']}: unknown category {category!r} (valid: {', '.join(CATEGORIES)})",
            path=name,
            line=line,
        )
    if direction not in DIRECTIONS:
        raise DataFileError(
            f"rule {record['id']}: unknown direction {direction!r} (valid: {', '.join(DIRECTIONS)})",
            path=name,
            line=line,
        )
    pattern = record.get("pattern")
    if pattern is not None and not isinstance(pattern, (list, str)):
        raise DataFileError(f"rule {record['id']}: pattern must be a list or a string", path=name, line=line)
    if not str(record["literal"]).strip():
        raise DataFileError(f"rule {record['id']}: empty literal", path=name, line=line)
    return CueRule(
        id=str(record["id"]),
        literal=str(record["literal"]),
        category=category,
        direction=direction,
        pattern=_freeze(pattern) if isinstance(pattern, list) else pattern,
        line=line,
    )


def parse_rules(text: str, name: str) -> tuple[CueRule, ...]:
    """Parse a cue file; duplicate ids are an error."""
    rules: list[CueRule] = []
    seen: dict[str, int] = {}
    for record, line in yaml_records(text, name):
        rule = rule_from_dict(record, name=name, line=line)
        if rule.id in seen:
            raise DataFileError(f"duplicate rule id {rule.id!r} (first at line {seen[rule.id]})", path=name, line=line)
        seen[rule.id] = line
        rules.append(rule)
    return tuple(rules)


@cache
def default_rules() -> tuple[CueRule, ...]:
    """The cue rules shipped with the package."""
    return parse_rules(package_text("cues.yaml"), "cues.yaml")
