"""The fast indented JSON writer gives json.dumps's bytes exactly."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimaudit.report.jsontext import dumps_indented

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text()
keys = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.tuples(inner, inner) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(values)
def test_same_text_as_json_dumps(value) -> None:
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_escapes_and_non_ascii_as_json_dumps() -> None:
    value = {"quote": 'a "b" \\ c\n\t\u2028 é 😀 \x00', "empty": [{}, [], ""], "n": [-0.0, 1e300, 3, True, None]}
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_unserializable_values_are_refused() -> None:
    with pytest.raises(TypeError):
        dumps_indented({"x": object()})
    with pytest.raises(TypeError):
        dumps_indented({(1, 2): "tuple key"})


def test_records_of_one_shape_at_several_depths() -> None:
    record = {"id": "C1", "n": 2, "x": 0.5, "cues": [{"id": "a", "start": 1}], "scope": {}}
    value = {"claims": [record, dict(record, id="C2"), {"nested": [record]}], "one": record, "keys": {1: record, "1": 2}}
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_equal_keys_of_other_types_are_written_as_their_own():
    value = [{0: None}, {False: None}, {0.0: 1}, {1: 2}, {True: 2}, {"0": 3}]
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)
