"""Errors shown to the user as one line, with a stable code."""

from __future__ import annotations


class ClaimAuditError(Exception):
    """A user-facing error: bad input, bad configuration, bad usage. Exit status 2."""

    code = "E000"

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class InputError(ClaimAuditError):
    """A path that does not exist or cannot be read as a document."""

    code = "E100"


class DataFileError(ClaimAuditError):
    """A malformed vocabulary, cue lexicon, unit table or decisions file."""

    code = "E200"


class ConfigError(ClaimAuditError):
    """A malformed or unknown configuration key."""

    code = "E300"


class UsageError(ClaimAuditError):
    """A bad command-line argument."""

    code = "E400"


class FileSystemError(ClaimAuditError):
    """A file claimaudit must write or read that the system refuses: a folder in the way, no
    permission, a full or read-only disk."""

    code = "E500"

    @classmethod
    def from_os_error(cls, exc: OSError) -> FileSystemError:
        """The error for ``exc``, naming the file it is about (the target of a rename)."""
        where = exc.filename2 if exc.filename2 is not None else exc.filename
        return cls(exc.strerror or str(exc), path=None if where is None else str(where))
