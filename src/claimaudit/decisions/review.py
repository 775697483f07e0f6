"""Interactive review: each undecided conflict in context, one key per decision, saved at once."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import TextIO

from claimaudit.decisions.store import Decision, DecisionFile
from claimaudit.records import Claim
from claimaudit.report.model import Report

KEYS = {"c": "confirmed", "f": "false_positive", "a": "accepted"}
DEFAULT_REASONS = {
    "confirmed": "confirmed in review",
    "false_positive": "not a conflict (review)",
    "accepted": "accepted in review",
}
PROMPT = "[c]onfirm  [f]alse positive  [a]ccept  [s]kip  [q]uit > "


def _read_key(stream: TextIO) -> str:
    """One key from a terminal (no Enter needed), or the first letter of a line otherwise."""
    if stream.isatty():
        import termios
        import tty

        fd = stream.fileno()
        old = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd)
            ch = stream.read(1)
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, old)
        if ch in ("\x03", "\x04"):
            raise KeyboardInterrupt
        return ch.lower()
    line = stream.readline()
    if not line:
        raise EOFError
    return line.strip()[:1].lower()


def _window(body: str, start: int, end: int, width: int) -> str:
    """``body`` cut to about ``width`` characters around [start, end), with ellipses where cut."""
    if len(body) <= width:
        return body
    room = max(0, width - (end - start)) // 2
    lo, hi = max(0, start - room), min(len(body), end + room)
    return ("…" if lo else "") + body[lo:hi] + ("…" if hi < len(body) else "")


def context_lines(text: str, claim: Claim, *, around: int = 1, width: int = 160) -> list[str]:
    """The claim's lines with ``around`` lines either side, numbered; long lines are cut around the claim."""
    lines = text.splitlines()
    lo = max(1, claim.line - around)
    hi = min(len(lines), claim.end_line + around)
    out = []
    for n in range(lo, hi + 1):
        body = lines[n - 1]
        inside = claim.line <= n <= claim.end_line
        if inside:
            start = claim.column - 1 if n == claim.line else 0
            end = claim.end_column - 1 if n == claim.end_line else len(body)
            body = _window(body, start, end, max(width, end - start))
        else:
            body = _window(body, len(body) if n < claim.line else 0, len(body) if n < claim.line else 0, width)
        out.append(f"  {'>' if inside else ' '}{n:5} | {body}")
    return out


def review(
    report: Report,
    decisions: DecisionFile,
    *,
    reviewer: str,
    documents: dict[str, str],
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    today: Callable[[], dt.date] = dt.date.today,
) -> int:
    """Walk undecided conflicts; every decision is written to the decisions file before the next."""
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    pending = [f for f in report.findings if f.conflict.status == "new"]
    if not pending:
        print("No undecided conflicts.", file=out)
        return 0
    done = 0
    for n, finding in enumerate(pending, 1):
        c = finding.conflict
        print(f"\n[{n}/{len(pending)}] {c.severity} {c.kind} {c.rule} {c.id}  ({c.topic})", file=out)
        print(f"  {c.explanation}", file=out)
        for claim in (finding.first, finding.second):
            print(f"\n  {claim.source}:{claim.line}", file=out)
            for line in context_lines(documents.get(claim.source, ""), claim):
                print(line, file=out)
        print("", file=out)
        while True:
            print(PROMPT, end="", file=out, flush=True)
            try:
                key = _read_key(stdin)
            except (EOFError, KeyboardInterrupt):
                print(f"\nStopped; {done} decision(s) saved in {decisions.path}.", file=out)
                return 0
            if key in KEYS or key in ("s", "q"):
                break
        print(key, file=out)
        if key == "q":
            print(f"{done} decision(s) saved in {decisions.path}.", file=out)
            return 0
        if key == "s":
            continue
        status = KEYS[key]
        print(f"reason (Enter for '{DEFAULT_REASONS[status]}'): ", end="", file=out, flush=True)
        try:
            reason = stdin.readline().strip() or DEFAULT_REASONS[status]
        except KeyboardInterrupt:
            reason = DEFAULT_REASONS[status]
        decisions.record(Decision(c.id, status, reason, reviewer, today().isoformat()))
        decisions.save()
        done += 1
    print(f"\nReviewed all; {done} decision(s) saved in {decisions.path}.", file=out)
    return 0
