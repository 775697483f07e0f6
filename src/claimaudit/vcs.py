"""Git: which files changed since the merge-base with a reference."""

from __future__ import annotations

import subprocess
from pathlib import Path

from claimaudit.errors import UsageError


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False)
    except FileNotFoundError:
        raise UsageError("--changed-since needs git, which is not installed") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"git {' '.join(args)} timed out") from None
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["failed"])[-1].removeprefix("fatal: ")
        if "not a git repository" in detail:
            raise UsageError("--changed-since needs a git work tree, and this is not one")
        raise UsageError(f"--changed-since: git {' '.join(args)}: {detail}")
    return done.stdout


def changed_files(ref: str, cwd: Path) -> set[Path]:
    """Absolute paths of files changed (committed, staged, or in the work tree) since merge-base(ref, HEAD)."""
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    base = _git(["merge-base", ref, "HEAD"], cwd).strip()
    names = _git(["diff", "--name-only", "-z", base], cwd).split("\0")
    names += _git(["ls-files", "--others", "--exclude-standard", "-z"], top).split("\0")
    return {(top / name).resolve() for name in names if name}
