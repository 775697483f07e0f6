"""Settings: defaults, then ``[tool.claimaudit]`` (pyproject.toml) or ``claimaudit.toml``, then flags."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from claimaudit.cpus import usable_cpus
from claimaudit.errors import ConfigError

SEVERITIES = ("info", "warning", "error")
FAIL_ON = ("new", "unresolved", "any")
CONFIG_FILES = ("claimaudit.toml", "pyproject.toml")
# Keys that were renamed: old -> new. A config using the old name still works, with a warning.
RENAMED = {"fail-on": "fail_on", "fail-level": "fail_level", "vocab": "vocabulary", "format": "formats"}


@dataclass(frozen=True)
class Settings:
    """Every setting with its default. Paths are relative to ``base``."""

    base: Path = field(default_factory=Path.cwd)
    config_path: Path | None = None
    sources: tuple[str, ...] = ("sources",)
    include: tuple[str, ...] = ("**/*.txt", "**/*.md", "**/*.markdown", "**/*.html", "**/*.htm")
    exclude: tuple[str, ...] = ()
    vocabulary: str = "claims/vocabulary.yaml"
    decisions: str = "claims/decisions.yaml"
    claims_dir: str = "claims"
    reports_dir: str = "reports"
    formats: tuple[str, ...] = ("text",)
    fail_on: str = "new"
    fail_level: str = "info"
    model: str = ""
    jobs: int = 1
    cache: bool = True
    severity: dict[str, str] = field(default_factory=dict)  # rule code or name -> severity
    warnings: tuple[str, ...] = ()

    def path(self, value: str) -> Path:
        p = Path(value)
        return p if p.is_absolute() else self.base / p


_KEYS = {f.name for f in fields(Settings)} - {"base", "config_path", "warnings"}


def find_config(start: Path) -> Path | None:
    """The nearest claimaudit.toml, or pyproject.toml with a [tool.claimaudit] table, walking up."""
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name == "claimaudit.toml" or "claimaudit" in _read(candidate).get("tool", {}):
                return candidate
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=str(path)) from None


def _strings(value: Any, key: str, path: Path) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{key}: expected a string or a list of strings", path=str(path))


def _choice(value: Any, key: str, choices: tuple[str, ...], path: Path) -> str:
    if value not in choices:
        raise ConfigError(f"{key}: {value!r} is not one of {', '.join(choices)}", path=str(path))
    return value


def parse_table(table: dict[str, Any], path: Path, *, rules: dict[str, str], formats: tuple[str, ...]) -> Settings:
    """Validate a [tool.claimaudit] table. ``rules`` maps rule codes and names to codes."""
    warnings = []
    values: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = RENAMED.get(raw_key, raw_key)
        if key != raw_key:
            warnings.append(f"{path}: '{raw_key}' is now '{key}'")
        if key not in _KEYS:
            raise ConfigError(f"unknown key '{raw_key}' in [tool.claimaudit] (valid: {', '.join(sorted(_KEYS))})", path=str(path))
        values[key] = value
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in ("sources", "include", "exclude"):
            out[key] = _strings(value, key, path)
        elif key == "formats":
            out[key] = tuple(_choice(v, "formats", formats, path) for v in _strings(value, key, path))
        elif key in ("vocabulary", "decisions", "claims_dir", "reports_dir", "model"):
            if not isinstance(value, str):
                raise ConfigError(f"{key}: expected a string", path=str(path))
            out[key] = value
        elif key == "fail_on":
            out[key] = _choice(value, key, FAIL_ON, path)
        elif key == "fail_level":
            out[key] = _choice(value, key, SEVERITIES, path)
        elif key == "jobs":
            if value == "auto":
                value = usable_cpus()
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError('jobs: expected a whole number >= 1 or "auto"', path=str(path))
            out[key] = value
        elif key == "cache":
            if not isinstance(value, bool):
                raise ConfigError("cache: expected true or false", path=str(path))
            out[key] = value
        elif key == "severity":
            if not isinstance(value, dict):
                raise ConfigError("severity: expected a table of rule = severity", path=str(path))
            table_out = {}
            for rule, level in value.items():
                if rule not in rules:
                    raise ConfigError(f"severity: unknown rule '{rule}' (valid: {', '.join(sorted(set(rules.values())))})", path=str(path))
                table_out[rules[rule]] = _choice(level, f"severity.{rule}", SEVERITIES, path)
            out[key] = table_out
    return Settings(base=path.parent, config_path=path, warnings=tuple(warnings), **out)


def load_settings(
    *, explicit: Path | None, cwd: Path, rules: dict[str, str], formats: tuple[str, ...]
) -> Settings:
    """Settings from ``explicit`` (must exist) or the nearest config file; defaults otherwise."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError("configuration file not found", path=str(explicit))
        path = explicit
    else:
        path = find_config(cwd)
        if path is None:
            return Settings(base=cwd)
    data = _read(path)
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("claimaudit", {})
    else:
        table = data.get("tool", {}).get("claimaudit", data)
    if not isinstance(table, dict):
        raise ConfigError("[tool.claimaudit] must be a table", path=str(path))
    return parse_table(table, path, rules=rules, formats=formats)


def override(settings: Settings, **changes: Any) -> Settings:
    """Command-line values over the configuration; None means 'not given'."""
    return replace(settings, **{k: v for k, v in changes.items() if v is not None})
