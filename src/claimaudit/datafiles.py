"""Loading of YAML data files: duplicate keys rejected, every error located to file:line."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from claimaudit.errors import DataFileError


# libyaml's parser when PyYAML was built with it (about ten times faster on the engine's rule
# files); the pure-Python one otherwise. Both report the same marks and build the same objects.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """A safe loader that rejects duplicate mapping keys."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line
    return _SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_text(path: Path) -> str:
    """Read a user data file as UTF-8 text, as a one-line error when that fails."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataFileError("file not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"cannot read: {exc}", path=str(path)) from None


def package_text(name: str) -> str:
    """Text of a data file shipped in the package."""
    return resources.files("claimaudit.data").joinpath(name).read_text(encoding="utf-8")


def parse_yaml(text: str, name: str) -> Any:
    """Parse YAML text; a syntax error or a duplicate key becomes a DataFileError at file:line."""
    return _parse(text, name)[0]


def _parse(text: str, name: str) -> tuple[Any, yaml.Node | None]:
    """The document's data and its node (which knows where each part starts), in one pass."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "syntax error"
        if "duplicate key" not in problem:
            problem = f"invalid YAML: {problem}"
        raise DataFileError(problem, path=name, line=line) from None
    except yaml.YAMLError as exc:  # a character YAML does not allow: its message names the position
        position = getattr(exc, "position", None)
        line = text.count("\n", 0, position) + 1 if isinstance(position, int) else None
        raise DataFileError(f"invalid YAML: {str(exc).splitlines()[0]}", path=name, line=line) from None
    finally:
        loader.dispose()


def yaml_records(text: str, name: str) -> list[tuple[dict[str, Any], int]]:
    """A YAML list of mappings, each with the line it starts on."""
    data, node = _parse(text, name)
    if data is None:
        return []
    if not isinstance(data, list):
        raise DataFileError("expected a list of records", path=name, line=1)
    lines = [item.start_mark.line + 1 for item in node.value]
    out = []
    for record, line in zip(data, lines):
        if not isinstance(record, dict):
            raise DataFileError("expected a mapping", path=name, line=line)
        out.append((record, line))
    return out


def check_keys(
    record: dict[str, Any], *, required: set[str], optional: set[str], name: str, line: int
) -> None:
    """Reject missing and unknown keys, naming the valid ones."""
    missing = required - record.keys()
    if missing:
        raise DataFileError(f"missing key(s): {', '.join(sorted(missing))}", path=name, line=line)
    unknown = record.keys() - required - optional
    if unknown:
        valid = ", ".join(sorted(required | optional))
        raise DataFileError(
            f"unknown key(s): {', '.join(sorted(map(str, unknown)))} (valid: {valid})", path=name, line=line
        )
