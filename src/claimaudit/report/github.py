"""GitHub Actions workflow commands: one ::error/::warning/::notice annotation line per open conflict."""

from __future__ import annotations

import unicodedata

from claimaudit.report.model import Finding, Report

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
SUPPRESSED = {"false_positive", "accepted"}  # decided: not emitted


def _hidden(ch: str) -> bool:
    """A control character other than a line break or tab (a terminal escape in the job log), or a bidi override."""
    if ch in "\r\n\t":
        return False
    return unicodedata.category(ch) == "Cc" or "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069"


def _visible(text: str) -> str:
    """Hidden characters shown as ``\\xNN`` / ``\\uNNNN``; line breaks stay (``escape_data`` encodes them)."""
    return "".join((f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}") if _hidden(ch) else ch for ch in text)


def escape_data(text: str) -> str:
    """The message after ``::`` (the runner's escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A ``key=value`` property (the runner's escapeProperty)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _path(source: str) -> str:
    return source.replace("\\", "/")


def annotation(finding: Finding) -> str:
    c, first, second = finding.conflict, finding.first, finding.second
    props = [("file", _path(first.source)), ("line", str(first.line))]
    if first.end_line == first.line:
        # GitHub accepts columns only for a one-line annotation
        props += [("col", str(first.column)), ("endLine", str(first.end_line)), ("endColumn", str(first.end_column))]
    else:
        props.append(("endLine", str(first.end_line)))
    props.append(("title", f"{c.rule} {c.kind}"))
    head = ",".join(f"{key}={escape_property(_visible(value))}" for key, value in props)
    message = f"{finding.message} (conflicts with {_path(second.source)}:{second.line})"
    return f"::{COMMANDS[c.severity]} {head}::{escape_data(_visible(message))}"


def render(report: Report) -> str:
    lines = [annotation(f) for f in report.findings if f.conflict.status not in SUPPRESSED]
    return "".join(line + "\n" for line in lines)
