"""Ingest: find files, decode them and split them into structural blocks."""

from claimaudit.ingest.decode import read_document
from claimaudit.ingest.discover import DEFAULT_INCLUDE, discover, relative_path
from claimaudit.ingest.markup import normalize_chars
from claimaudit.ingest.structure import (
    Directive,
    DroppedBlock,
    FurnitureRule,
    LineIndex,
    ParsedDocument,
    line_index,
    load_furniture,
    parse_blocks,
    parse_furniture,
)

__all__ = [
    "DEFAULT_INCLUDE",
    "Directive",
    "DroppedBlock",
    "FurnitureRule",
    "LineIndex",
    "ParsedDocument",
    "discover",
    "line_index",
    "load_furniture",
    "normalize_chars",
    "parse_blocks",
    "parse_furniture",
    "read_document",
    "relative_path",
]
