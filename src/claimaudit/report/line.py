"""One ``path:line:col: severity rule kind: message`` line per open conflict (editor quickfix / grep format)."""

from __future__ import annotations

import unicodedata

from claimaudit.report.model import Finding, Report

SUPPRESSED = {"false_positive", "accepted"}  # decided: not listed
_BREAKS = set("\n\r\t\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029")


def one_line(text: str) -> str:
    """Text that stays on its line and cannot drive a terminal: line breaks and tabs become spaces,
    other control and bidi-formatting characters are shown as ``\\xNN`` / ``\\uNNNN`` escapes."""
    out = []
    for ch in text:
        if ch in _BREAKS:
            out.append(" ")
        elif unicodedata.category(ch) == "Cc" or "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069":
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def _path(source: str) -> str:
    return one_line(source.replace("\\", "/"))


def line(finding: Finding) -> str:
    c, first, second = finding.conflict, finding.first, finding.second
    message = f"{finding.message} (conflicts with {_path(second.source)}:{second.line})"
    return f"{_path(first.source)}:{first.line}:{first.column}: {c.severity} {c.rule} {c.kind}: {one_line(message)}"


def render(report: Report) -> str:
    return "".join(line(f) + "\n" for f in report.findings if f.conflict.status not in SUPPRESSED)
