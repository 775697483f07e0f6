"""Reading files into :class:`~claimaudit.records.SourceDocument`: encoding detection and binary files.

Offsets of a document point into its decoded text.  A byte-order mark is not
part of that text, so for a file with a BOM, offset 0 is the first character
after the BOM.  Line breaks (CRLF, LF, lone CR) are kept as they are.
"""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path
from types import MappingProxyType

from claimaudit.records import SourceDocument

# Byte-order marks, longest first: a UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# windows-1252 as browsers read it: bytes 0x80-0x9F that cp1252 leaves undefined keep their latin-1 value.
_CP1252_FROM_LATIN1 = MappingProxyType(
    {
        b: c
        for b, c in ((b, bytes([b]).decode("cp1252", errors="ignore")) for b in range(0x80, 0xA0))
        if c
    }
)


def decode_bytes(raw: bytes, rel: str) -> tuple[str, str, list[str]] | None:
    """(text, encoding name, warnings) for ``raw``, or None when it is a binary file."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _decode_with_bom(raw[len(bom) :], encoding, rel)
    if b"\x00" in raw:
        return None
    try:
        return raw.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        return decode_windows_1252(raw), "windows-1252", [f"decoded {rel} as windows-1252"]


def _decode_with_bom(body: bytes, encoding: str, rel: str) -> tuple[str, str, list[str]]:
    """Decode the bytes after a BOM; undecodable bytes become U+FFFD with a warning."""
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        return body.decode(codec), encoding, []
    except UnicodeDecodeError as exc:
        warning = f"{rel}: invalid {codec.upper()} at byte {exc.start}; undecodable bytes replaced"
        return body.decode(codec, errors="replace"), encoding, [warning]


def decode_windows_1252(raw: bytes) -> str:
    """Decode as windows-1252, never failing (undefined bytes map to the same code point)."""
    return raw.decode("latin-1").translate(_CP1252_FROM_LATIN1)


def read_document(path: Path | str, rel: str) -> tuple[SourceDocument | None, list[str]]:
    """Read and decode one file; None with a warning when it is binary or unreadable."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        return None, [f"skipped {rel}: {exc.strerror or exc}"]
    decoded = decode_bytes(raw, rel)
    if decoded is None:
        return None, [f"skipped {rel}: binary file"]
    text, encoding, warnings = decoded
    digest = hashlib.sha256(raw).hexdigest()
    return SourceDocument(rel, text, digest, encoding, tuple(warnings)), warnings
