"""Lists of ids are sent in slices, none lost, none repeated, order kept."""

from __future__ import annotations

import pytest

from shared.infra.by_ids import SLICE, slices


def test_a_long_list_is_cut_into_slices_of_the_size_and_a_remainder() -> None:
    values = list(range(2 * SLICE + 5))
    parts = list(slices(values))
    assert [len(p) for p in parts] == [SLICE, SLICE, 5]
    assert [v for p in parts for v in p] == values


def test_a_short_list_is_one_slice_and_an_empty_one_is_none() -> None:
    assert list(slices(["a", "b"])) == [["a", "b"]]
    assert list(slices([])) == []


def test_any_iterable_is_accepted_once() -> None:
    assert list(slices((c for c in "abcde"), size=2)) == [["a", "b"], ["c", "d"], ["e"]]


def test_a_slice_size_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        list(slices([1], size=0))
