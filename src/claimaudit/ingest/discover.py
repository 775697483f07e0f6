"""Finding input files: walking directories safely and filtering them by glob patterns."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from claimaudit.errors import InputError

DEFAULT_INCLUDE = ("**/*.txt", "**/*.md", "**/*.markdown", "**/*.html", "**/*.htm")


def relative_path(p: Path | str, root: Path | None = None) -> str:
    """``p`` relative to ``root`` (default: the current directory) with forward slashes.

    A path outside ``root`` is given as its absolute POSIX path.
    """
    return _relative_to(os.path.abspath(p), os.path.abspath(os.getcwd() if root is None else root))


def _relative_to(absolute: str, base: str) -> str:
    """``relative_path`` of two normalized absolute paths (string operations only: discovery runs it
    once per file, with ``base`` computed once)."""
    if absolute == base:
        return "."
    prefix = base if base.endswith(os.sep) else base + os.sep
    if absolute.startswith(prefix):
        absolute = absolute[len(prefix) :]
    return absolute if os.sep == "/" else absolute.replace(os.sep, "/")


def glob_regex(pattern: str) -> re.Pattern[str]:
    """Compile a glob (``**`` spans directories, ``*`` and ``?`` do not) to a case-insensitive regex."""
    pattern = pattern.replace("\\", "/").removeprefix("./")
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        else:
            token, i = _glob_token(pattern, i)
            out.append(token)
    return re.compile("".join(out), re.IGNORECASE)


def _glob_token(pattern: str, i: int) -> tuple[str, int]:
    """Regex for the single glob element at ``i`` and the index after it."""
    c = pattern[i]
    if c == "*":
        return "[^/]*", i + 1
    if c == "?":
        return "[^/]", i + 1
    if c == "[":
        close = pattern.find("]", i + 2)
        if close > 0:
            body = pattern[i + 1 : close]
            body = "^" + body[1:] if body.startswith("!") else body
            return "[" + body.replace("\\", "\\\\") + "]", close + 1
    return re.escape(c), i + 1


@dataclass(frozen=True, slots=True)
class _Filter:
    """Include and exclude globs; a glob without '/' matches a file name in any directory."""

    include: tuple[re.Pattern[str], ...]
    exclude: tuple[re.Pattern[str], ...]
    include_names: tuple[bool, ...]
    exclude_names: tuple[bool, ...]

    @classmethod
    def build(cls, include: Sequence[str], exclude: Sequence[str]) -> _Filter:
        return cls(
            tuple(glob_regex(p) for p in include),
            tuple(glob_regex(p) for p in exclude),
            tuple("/" not in p for p in include),
            tuple("/" not in p for p in exclude),
        )

    @staticmethod
    def _any(patterns: Iterable[re.Pattern[str]], names: Iterable[bool], rels: Sequence[str]) -> bool:
        for pattern, by_name in zip(patterns, names):
            for rel in rels:
                if pattern.fullmatch(rel) or (by_name and pattern.fullmatch(rel.rsplit("/", 1)[-1])):
                    return True
        return False

    def excluded(self, *rels: str) -> bool:
        """Whether any of the given relative paths matches an exclude glob."""
        return self._any(self.exclude, self.exclude_names, rels)

    def included(self, rel: str) -> bool:
        """Whether the path relative to the walked directory matches an include glob."""
        return self._any(self.include, self.include_names, (rel,))


@dataclass(slots=True)
class _Walk:
    """State of one discovery: files found, warnings, directories already walked."""

    root: Path
    filter: _Filter
    # (path relative to the root, path, (device, inode)); paths are strings: a Path per file costs
    # more than the rest of the walk
    files: list[tuple[str, str, tuple[int, int]]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    walked: set[tuple[int, int]] = field(default_factory=set)
    base: str = ""  # the root as a normalized absolute path

    def __post_init__(self) -> None:
        self.base = os.path.abspath(self.root)

    def rel(self, p: Path | str) -> str:
        return _relative_to(os.path.abspath(p), self.base)

    def skip(self, p: Path | str, reason: str) -> None:
        self.warnings.append(f"skipped {self.rel(p)}: {reason}")

    def directory(self, top: Path) -> None:
        """Walk ``top`` depth-first in name order, following directory links but never into a loop."""
        key = _key(os.stat(top))
        if key in self.walked:
            return
        self.walked.add(key)
        stack: list[tuple[str, str, frozenset[tuple[int, int]]]] = [(os.fspath(top), "", frozenset({key}))]
        while stack:
            current, rel, ancestors = stack.pop()
            children = self._children(current, rel, ancestors)
            stack.extend(reversed(children))

    def _children(
        self, current: str, rel: str, ancestors: frozenset[tuple[int, int]]
    ) -> list[tuple[str, str, frozenset[tuple[int, int]]]]:
        """Take the files in ``current``; return its subdirectories to walk."""
        try:
            with os.scandir(current) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self.skip(current, (exc.strerror or str(exc)).lower())
            return []
        subdirs: list[tuple[str, str, frozenset[tuple[int, int]]]] = []
        # names are single components: the children's absolute paths need no normalizing
        current_abs = os.path.join(os.path.abspath(current), "")
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path, child_rel = entry.path, f"{rel}{entry.name}"
            info = self.probe(path)
            if info is None:
                continue
            if stat.S_ISDIR(info.st_mode):
                key = _key(info)
                if key in ancestors:
                    self.skip(path, "symbolic link loop")
                elif key not in self.walked and not self.filter.excluded(
                    child_rel, _relative_to(current_abs + entry.name, self.base)
                ):
                    self.walked.add(key)
                    subdirs.append((path, child_rel + "/", ancestors | {key}))
            elif self.filter.included(child_rel):
                root_rel = _relative_to(current_abs + entry.name, self.base)
                if not self.filter.excluded(child_rel, root_rel):
                    self.file(path, info, root_rel)
        return subdirs

    def file(self, path: Path | str, info: os.stat_result, root_rel: str | None = None) -> None:
        """Take a file if it is a readable regular file (``root_rel``: its path relative to the root)."""
        if not stat.S_ISREG(info.st_mode):
            self.skip(path, "not a regular file")
        elif not os.access(path, os.R_OK):
            self.skip(path, "permission denied")
        else:
            self.files.append((self.rel(path) if root_rel is None else root_rel, os.fspath(path), _key(info)))

    def probe(self, path: Path | str) -> os.stat_result | None:
        """``stat`` following links, with a warning for broken or looping links."""
        try:
            return os.stat(path)
        except FileNotFoundError:
            self.skip(path, "broken symbolic link" if os.path.islink(path) else "file vanished")
        except OSError as exc:
            self.skip(path, "symbolic link loop" if exc.errno == errno.ELOOP else (exc.strerror or str(exc)).lower())
        return None


def _key(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


def discover(
    paths: list[str],
    *,
    include: tuple[str, ...] = DEFAULT_INCLUDE,
    exclude: tuple[str, ...] = (),
    root: Path | None = None,
) -> tuple[list[Path], list[str]]:
    """Files to read, sorted by their path relative to ``root``, and warnings for skipped ones.

    Directories are walked recursively (hidden entries skipped, linked directories
    followed once, loops reported); globs match the path relative to the walked
    directory.  A file named explicitly is taken whatever its name.
    """
    found, warnings = discover_relative(paths, include=include, exclude=exclude, root=root)
    return [Path(path) for path, _ in found], warnings


def discover_relative(
    paths: list[str],
    *,
    include: tuple[str, ...] = DEFAULT_INCLUDE,
    exclude: tuple[str, ...] = (),
    root: Path | None = None,
) -> tuple[list[tuple[str, str]], list[str]]:
    """``discover``, with each file's path (as a string: the path given, joined with the names
    found under it) and its path relative to ``root`` (as ``relative_path`` gives it)."""
    walk = _Walk(Path.cwd() if root is None else root, _Filter.build(include, exclude))
    for arg in paths:
        path = Path(arg)
        if not os.path.lexists(path):
            raise InputError(f"path not found: {arg}")
        info = walk.probe(path)
        if info is None:
            continue
        if stat.S_ISDIR(info.st_mode):
            walk.directory(path)
        else:
            walk.file(path, info)
    return _unique_sorted(walk.files), walk.warnings


def _unique_sorted(files: list[tuple[str, str, tuple[int, int]]]) -> list[tuple[str, str]]:
    """Sort by relative POSIX path and keep the first of paths naming the same file (device and
    inode, from the ``stat`` already taken: links and repeated arguments are read once)."""
    seen: set[tuple[int, int]] = set()
    result: list[tuple[str, str]] = []
    for rel, path, key in sorted(files):
        if key not in seen:
            seen.add(key)
            result.append((path, rel))
    return result
