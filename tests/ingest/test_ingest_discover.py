"""Discovering input files: walking, filtering, links, warnings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from claimaudit.errors import InputError
from claimaudit.ingest.discover import discover, discover_relative, glob_regex, relative_path


def touch(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("docs/b.md", "docs/a.txt", "docs/sub/c.html", "docs/sub/d.htm", "docs/e.markdown", "docs/x.pdf"):
        touch(tmp_path / name)
    touch(tmp_path / "docs/.hidden/h.txt")
    touch(tmp_path / "docs/.h.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def rels(files: list[Path], root: Path | None = None) -> list[str]:
    return [relative_path(f, root) for f in files]


def test_walks_recursively_sorted_with_default_globs(tree: Path) -> None:
    files, warnings = discover(["docs"])
    assert rels(files) == ["docs/a.txt", "docs/b.md", "docs/e.markdown", "docs/sub/c.html", "docs/sub/d.htm"]
    assert warnings == []


def test_explicit_file_taken_whatever_its_extension(tree: Path) -> None:
    files, _ = discover(["docs/x.pdf", "docs/a.txt", "docs"], include=("*.txt",))
    assert rels(files) == ["docs/a.txt", "docs/x.pdf"]


def test_include_and_exclude_globs(tree: Path) -> None:
    files, _ = discover(["docs"], include=("**/*.htm*",), exclude=("sub/d.*",))
    assert rels(files) == ["docs/sub/c.html"]
    files, _ = discover(["docs"], exclude=("docs/sub/**", "*.MD"))
    assert rels(files) == ["docs/a.txt", "docs/e.markdown"]


def test_missing_path_raises(tree: Path) -> None:
    with pytest.raises(InputError, match="path not found: nope.txt"):
        discover(["docs", "nope.txt"])


def test_broken_symlink_and_loops_warn(tree: Path) -> None:
    os.symlink("missing.txt", tree / "docs/broken.txt")
    os.symlink("..", tree / "docs/sub/up")
    os.symlink("self.txt", tree / "docs/self.txt")
    files, warnings = discover(["docs"])
    assert rels(files) == ["docs/a.txt", "docs/b.md", "docs/e.markdown", "docs/sub/c.html", "docs/sub/d.htm"]
    assert warnings == [
        "skipped docs/broken.txt: broken symbolic link",
        "skipped docs/self.txt: symbolic link loop",
        "skipped docs/sub/up: symbolic link loop",
    ]
    _, warnings = discover(["docs/broken.txt"])
    assert warnings == ["skipped docs/broken.txt: broken symbolic link"]


def test_linked_directory_is_followed_once(tree: Path) -> None:
    touch(tree / "shared/s.txt")
    os.symlink("../shared", tree / "docs/link")
    files, warnings = discover(["docs", "shared"])
    assert rels(files)[-3:] == ["docs/link/s.txt", "docs/sub/c.html", "docs/sub/d.htm"]
    assert "shared/s.txt" not in rels(files)
    assert warnings == []


def test_a_file_named_twice_is_read_once(tree: Path) -> None:
    os.symlink("a.txt", tree / "docs/z-alias.txt")
    os.link(tree / "docs/a.txt", tree / "docs/y-hardlink.txt")
    files, _ = discover(["docs", "docs/a.txt"])
    names = rels(files)
    assert "docs/a.txt" in names
    assert "docs/z-alias.txt" not in names and "docs/y-hardlink.txt" not in names  # the same file
    assert len(names) == len(set(names))


def test_special_files_are_skipped(tree: Path) -> None:
    os.mkfifo(tree / "docs/pipe.txt")
    files, warnings = discover(["docs"])
    assert "docs/pipe.txt" not in rels(files)
    assert warnings == ["skipped docs/pipe.txt: not a regular file"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_is_skipped(tree: Path) -> None:
    (tree / "docs/a.txt").chmod(0)
    files, warnings = discover(["docs"])
    assert "docs/a.txt" not in rels(files)
    assert warnings == ["skipped docs/a.txt: permission denied"]


def test_relative_path_inside_and_outside_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    assert relative_path(root / "a" / "b.txt", root) == "a/b.txt"
    assert relative_path(tmp_path / "other.txt", root) == (tmp_path / "other.txt").as_posix()
    assert relative_path(root / "x" / ".." / "c.md", root) == "c.md"


def test_sorting_uses_the_root(tree: Path) -> None:
    files, _ = discover([str(tree / "docs")], root=tree / "docs")
    assert rels(files, tree / "docs") == ["a.txt", "b.md", "e.markdown", "sub/c.html", "sub/d.htm"]


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("**/*.txt", "a.txt", True),
        ("**/*.txt", "x/y/a.txt", True),
        ("*.txt", "x/a.txt", False),
        ("sub/**", "sub/x/y.md", True),
        ("a?.[mh]d", "ab.md", True),
        ("a?.[!m]d", "ab.md", False),
    ],
)
def test_glob_regex(pattern: str, path: str, matches: bool) -> None:
    assert bool(glob_regex(pattern).fullmatch(path)) is matches


@pytest.mark.parametrize("arg", ["docs", "./docs/", "docs/../docs", "ABS", "docs/sub/c.html"])
def test_relative_paths_from_the_walk_are_those_of_relative_path(tree: Path, arg: str) -> None:
    (tree / "docs/linked").symlink_to(tree / "docs/sub")
    arg = str(tree / "docs") if arg == "ABS" else arg
    for root in (None, tree / "docs", tree / "elsewhere"):
        found, _ = discover_relative([arg], root=root)
        assert found, arg
        assert [rel for _, rel in found] == [relative_path(p, root) for p, _ in found]
        assert [rel for _, rel in found] == sorted(rel for _, rel in found)
