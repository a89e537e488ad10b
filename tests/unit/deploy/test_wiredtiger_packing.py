"""The local SecantusDB's WiredTiger packing gives exactly the bytes and values
WiredTiger's own does, for every format SecantusDB's tables use: a byte of difference
would reorder or corrupt its indexes."""

from __future__ import annotations

import importlib
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from wiredtiger import swig_wiredtiger

from deploy.local import wiredtiger_packing

# WiredTiger's own functions, in the module its cursors import them from.
packing = importlib.import_module("packing")
assert wiredtiger_packing.install()
fast_pack, fast_unpack = swig_wiredtiger.pack, swig_wiredtiger.unpack
assert fast_pack is not packing.pack

FORMATS = ["S", "SS", "SSS", "SSSu", "SSu", "SSq", "q", "u", "uq", "qu", "uu"]
# Every width WiredTiger's integer encoding has, and the edges between them.
EDGES = [0, 1, 63, 64, 8255, 8256, 8257, 2**32, 2**63 - 1, -1, -64, -65, -8256, -8257, -(2**63)]
integers = st.one_of(st.sampled_from(EDGES), st.integers(-(2**63), 2**63 - 1))
texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
columns = {"S": texts, "u": st.binary(max_size=300), "q": integers}


@st.composite
def rows(draw: Any) -> tuple[str, tuple[Any, ...]]:
    fmt = draw(st.sampled_from(FORMATS))
    return fmt, tuple(draw(columns[c]) for c in fmt)


@given(rows())
def test_packs_every_row_as_wiredtiger_does_and_reads_it_back(
    row: tuple[str, tuple[Any, ...]],
) -> None:
    fmt, values = row
    packed = fast_pack(fmt, *values)
    assert packed == packing.pack(fmt, *values)
    assert fast_unpack(fmt, packed) == packing.unpack(fmt, packed)


@given(st.lists(integers, min_size=2, max_size=2))
def test_packed_integers_sort_as_the_integers_do(pair: list[int]) -> None:
    a, b = pair
    assert (fast_pack("q", a) < fast_pack("q", b)) == (a < b)


def test_strings_stop_at_a_nul_as_wiredtiger_stops_them() -> None:
    assert fast_pack("SS", "ab\0cd", "ค่า") == packing.pack("SS", "ab\0cd", "ค่า")
    assert fast_unpack("SS", fast_pack("SS", "ab\0cd", "ค่า")) == ["ab", "ค่า"]


def test_other_formats_and_types_are_left_to_wiredtiger() -> None:
    assert fast_pack("iS", 7, "x") == packing.pack("iS", 7, "x")
    assert fast_pack("u", "text") == packing.pack("u", "text")
    assert fast_unpack("Q", packing.pack("Q", 5)) == [5]
