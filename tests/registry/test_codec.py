"""The ledger codec's JSON copy: equal, independent of its source, and exact for non-JSON values."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from camwatch.registry.codec import json_copy

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_copy_is_equal_and_shares_no_container(value):
    copied = json_copy(value)
    assert copied == value

    # No dict or list of the copy is an object of the source (a shallow copy would share).
    def containers(v, out):
        if isinstance(v, (dict, list)):
            out.append(id(v))
            for item in v.values() if isinstance(v, dict) else v:
                containers(item, out)
        return out

    assert not set(containers(copied, [])) & set(containers(value, []))


def test_mutating_the_copy_leaves_the_source():
    source = {"type": "Point", "coordinates": [1.0, 2.0], "extra": {"tags": ["a"]}}
    copied = json_copy(source)
    copied["coordinates"][0] = 9.0
    copied["extra"]["tags"].append("b")
    assert source == {"type": "Point", "coordinates": [1.0, 2.0], "extra": {"tags": ["a"]}}


def test_other_values_are_deep_copied():
    inner = [1]
    value = {"when": date(2026, 1, 2), "pair": (inner, 2)}
    copied = json_copy(value)
    assert copied == value
    assert copied["pair"][0] is not inner
