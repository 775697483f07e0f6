"""JSON text as ``json.dumps(obj, ensure_ascii=False, indent=2)`` writes it, byte for byte, faster.

With ``indent``, the standard library encodes in pure Python, a generator per container and a
``yield`` per token: the JSON report of 10,000 documents (48,000 claims, 70 MB) took 3.6 s. This
writer walks the same values with one function per container and C-encoded strings, so reports
keep their exact bytes (a property test compares the two on random values).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

_encode_str = json.encoder.encode_basestring  # the C version where available; non-ASCII kept
_float = float.__repr__
_int = int.__repr__


def dumps_indented(obj: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=2)``."""
    out: list[str] = []
    _value(obj, "\n", out)
    return "".join(out)


def _value(obj: Any, newline: str, out: list[str]) -> None:
    if isinstance(obj, str):
        out.append(_encode_str(obj))
    elif obj is None:
        out.append("null")
    elif obj is True:
        out.append("true")
    elif obj is False:
        out.append("false")
    elif isinstance(obj, int):
        out.append(_int(obj))
    elif isinstance(obj, float):
        out.append(_scalar_float(obj))
    elif isinstance(obj, dict):
        _object(obj, newline, out)
    elif isinstance(obj, (list, tuple)):
        _array(obj, newline, out)
    else:
        raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def _scalar_float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return _float(value)


def _key(key: Any) -> str:
    """A key as the standard encoder converts it (strings, numbers, booleans, None)."""
    if isinstance(key, str):
        return key
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return _int(key)
    if isinstance(key, float):
        return _scalar_float(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _object(obj: dict, newline: str, out: list[str]) -> None:
    if not obj:
        out.append("{}")
        return
    keys = (_encode_str(k if type(k) is str else _key(k)) + ": " for k in obj)
    _members(zip(keys, obj.values()), "{", "}", newline, out)


def _array(items: list | tuple, newline: str, out: list[str]) -> None:
    if not items:
        out.append("[]")
        return
    _members((("", value) for value in items), "[", "]", newline, out)


def _members(members: Iterable[tuple[str, Any]], opening: str, closing: str, newline: str, out: list[str]) -> None:
    """One member per line, one level deeper than ``newline``: ``prefix`` (a key and ': ', or nothing)
    and the value."""
    inner = newline + "  "
    first = opening + inner
    separator = "," + inner
    append = out.append
    for prefix, value in members:
        append(first + prefix)
        first = separator
        if type(value) is str:
            append(_encode_str(value))
        elif type(value) is int:
            append(_int(value))
        else:
            _value(value, inner, out)
    append(newline + closing)
