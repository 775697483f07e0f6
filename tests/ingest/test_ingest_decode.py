"""Decoding files: encodings, BOMs, binary files, line breaks, digests."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from claimaudit.ingest.decode import read_document
from claimaudit.ingest.structure import line_index, parse_blocks
from claimaudit.records import SourceDocument


def read(tmp_path: Path, data: bytes, name: str = "a.txt") -> tuple[SourceDocument | None, list[str]]:
    path = tmp_path / name
    path.write_bytes(data)
    return read_document(path, f"docs/{name}")


def test_utf8_without_bom(tmp_path: Path) -> None:
    doc, warnings = read(tmp_path, "caf\u00e9 \u201cok\u201d\n".encode())
    assert doc is not None and warnings == []
    assert (doc.text, doc.encoding, doc.path) == ("caf\u00e9 \u201cok\u201d\n", "utf-8", "docs/a.txt")


def test_utf8_bom_is_stripped_and_digest_covers_raw_bytes(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbfHello"
    doc, _ = read(tmp_path, raw)
    assert doc is not None
    assert (doc.text, doc.encoding) == ("Hello", "utf-8-sig")
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize(("encoding", "name"), [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")])
def test_utf16_with_bom(tmp_path: Path, encoding: str, name: str) -> None:
    text = "Caf\u00e9 \u2013 r\u00e9sum\u00e9\r\nline two"
    raw = ("\ufeff" + text).encode(encoding)
    assert b"\x00" in raw
    doc, warnings = read(tmp_path, raw)
    assert doc is not None and warnings == []
    assert (doc.text, doc.encoding) == (text, name)


def test_cp1252_fallback_warns(tmp_path: Path) -> None:
    doc, warnings = read(tmp_path, b"caf\xe9 \x93quoted\x94 \x81")
    assert doc is not None
    assert doc.text == "caf\u00e9 \u201cquoted\u201d \x81"
    assert doc.encoding == "windows-1252"
    assert warnings == ["decoded docs/a.txt as windows-1252"]
    assert doc.warnings == tuple(warnings)


def test_invalid_utf16_is_replaced_with_a_warning(tmp_path: Path) -> None:
    doc, warnings = read(tmp_path, b"\xff\xfeA\x00\x00\xd8")
    assert doc is not None and doc.text == "A\ufffd"
    assert len(warnings) == 1 and "invalid UTF-16-LE" in warnings[0]


def test_nul_bytes_mean_binary(tmp_path: Path) -> None:
    assert read(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") == (None, ["skipped docs/a.txt: binary file"])


def test_empty_file(tmp_path: Path) -> None:
    doc, warnings = read(tmp_path, b"")
    assert doc is not None and doc.text == "" and warnings == []
    assert parse_blocks(doc).blocks == []


def test_unreadable_path_is_skipped(tmp_path: Path) -> None:
    doc, warnings = read_document(tmp_path, "docs")
    assert doc is None and warnings == ["skipped docs: Is a directory"]


def test_crlf_and_lone_cr_are_kept_and_located(tmp_path: Path) -> None:
    doc, _ = read(tmp_path, b"Title Line\r\nFirst para.\rSecond para.\r\n")
    assert doc is not None and doc.text == "Title Line\r\nFirst para.\rSecond para.\r\n"
    blocks = parse_blocks(doc).blocks
    index = line_index(doc.text)
    assert [(b.text, index.line_col(b.view.to_original(0))) for b in blocks] == [
        ("Title Line", (1, 1)),
        ("First para.", (2, 1)),
        ("Second para.", (3, 1)),
    ]


def test_large_file_is_read_and_parsed(tmp_path: Path) -> None:
    line = "Ketamine is used for pain management in many settings, with mixed evidence.\r\n"
    long_paragraph = "Doses vary widely between clinics. " * 20_000 + "Effects include:\n"
    raw = (line * 10_000 + long_paragraph).encode() + "\u2022 item\n".encode() * 2_000
    doc, _ = read(tmp_path, raw)
    assert doc is not None and len(doc.text) > 1_400_000
    parsed = parse_blocks(doc)
    assert len(parsed.blocks) == 12_001
    assert parsed.blocks[-1].intro is not None and parsed.blocks[-1].intro.text == "Effects include:"
    assert line_index(doc.text).line_col(len(doc.text)) == (12_002, 1)
