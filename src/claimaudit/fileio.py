"""Atomic writes: a temporary file in the same folder, then a rename."""

from __future__ import annotations

import os
import secrets
import stat
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

WRITE_BUFFER = 1 << 20  # files go to and come from the system by the MiB, not by 8 KB (3x faster for a 75 MB report)


def atomic_write_text(path: Path, text: str, *, durable: bool = True) -> None:
    """Write ``text`` (UTF-8, LF) to ``path`` so that readers see the old file or the new one, never half."""
    atomic_write_bytes(path, text.encode("utf-8"), durable=durable)


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk (unless not ``durable``:
    a cache checks what it reads and can lose a file to a power cut), then rename it over ``path``."""
    atomic_write_chunks(path, [data], durable=durable)


def atomic_write_chunks(
    path: Path, chunks: Iterable[bytes | memoryview], *, durable: bool = True, retired: Retired | None = None
) -> None:
    """``atomic_write_bytes`` of the chunks one after the other (never joined in memory).

    The file keeps the permissions of the one it replaces; a new file gets those the umask gives (as
    with ``open``), never the owner-only mode of a ``tempfile`` (a report a web server or a colleague
    must read). ``retired``: the replaced file is removed there, in the background."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temporary(path)
    try:
        with os.fdopen(fd, "wb", buffering=WRITE_BUFFER) as handle:
            handle.writelines(chunks)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        old = retired.keep(path) if retired is not None else None
        try:
            os.replace(tmp, path)
        finally:
            if old is not None:
                retired.remove(old)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Retired:
    """Removes the files a run's outputs replace in background threads.

    Removing a large file frees its blocks, which some file systems do slowly (0.1-0.15 s for a 75 MB
    report on ext4 mounted with ``discard``, as here), and a rename over a file removes it there and
    then. With a ``Retired``, ``atomic_write_chunks`` first gives the file it replaces a second, hidden
    name (a hard link: no copy), so that the rename only unlinks a name; the hidden name is removed in
    a thread while the run renders its next output. Use as a context manager: leaving waits for the
    removals, so no hidden file outlives the run. Where hard links fail, the rename removes the file
    as usual."""

    def __init__(self) -> None:
        self._threads: list[threading.Thread] = []

    def keep(self, path: Path) -> Path | None:
        """A second name for the file at ``path``, or None (no such file, or no hard links here)."""
        try:
            if not stat.S_ISREG(path.lstat().st_mode):
                return None
            old = path.parent / f".{path.name}.{secrets.token_hex(4)}.old"
            os.link(path, old)
        except OSError:
            return None
        return old

    def remove(self, old: Path) -> None:
        thread = threading.Thread(target=_remove, args=(old,), name="claimaudit-remove", daemon=True)
        thread.start()
        self._threads.append(thread)

    def __enter__(self) -> Retired:
        return self

    def __exit__(self, *exc: object) -> None:
        for thread in self._threads:
            thread.join()
        self._threads.clear()


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass  # a hidden second name of an old output, in the output's folder: nothing of the user's


def write_if_changed(path: Path, chunks: Sequence[bytes | memoryview], *, retired: Retired | None = None) -> bool:
    """``atomic_write_chunks`` unless ``path`` already holds exactly these bytes; whether it wrote.

    An unchanged report keeps its time stamps (build tools and file watchers see no change) and costs
    a read instead of a write."""
    if _holds(path, chunks):
        return False
    atomic_write_chunks(path, chunks, retired=retired)
    return True


def _holds(path: Path, chunks: Sequence[bytes | memoryview]) -> bool:
    """Whether the regular file ``path`` holds the chunks' bytes, one after the other."""
    try:
        if not stat.S_ISREG((info := path.stat()).st_mode) or info.st_size != sum(len(c) for c in chunks):
            return False
        with path.open("rb", buffering=WRITE_BUFFER) as handle:  # a memoryview compares item by item: as bytes, it is a memcmp
            return all(handle.read(len(c)) == (c if isinstance(c, bytes) else bytes(c)) for c in chunks)
    except OSError:
        return False  # unreadable: written as before (and its error, if any, reported then)


def _temporary(path: Path) -> tuple[int, Path]:
    """A new, empty file beside ``path`` (open for writing) with the mode ``path`` has or would get."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = None  # a new file: 0o666 less the umask, applied by the system
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
        if mode is not None:
            try:
                os.chmod(tmp, mode)
            except BaseException:
                os.close(fd)
                tmp.unlink(missing_ok=True)
                raise
        return fd, tmp
