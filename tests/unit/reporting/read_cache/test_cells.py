"""A reader's copy of the views: loaded cells plus replayed deltas read as the views do."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.reporting.domain import views as v
from services.reporting.domain.summary import summarise, totals_by
from services.reporting.read_cache.cells import Cells, StaleCells, flat_cell
from services.reporting.read_cache.deltas import UnencodableUpdate, decode_updates, encode_updates
from services.reporting.read_cache.memory_views import MemoryViews
from shared.contract.events import CloudEvent

from ..histories import KEY, Replay, histories


def flat_views(views: MemoryViews) -> dict[str, list[dict[str, Any]]]:
    return {
        name: sorted((flat_cell(d, v.VIEW_KEYS[name]) for d in docs), key=repr)
        for name, docs in views.snapshot().items()
    }


def read(cells: Cells) -> dict[str, list[dict[str, Any]]]:
    return {
        name: sorted(cells.select(name), key=repr) for name in v.VIEW_KEYS if cells.select(name)
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), histories())
def test_loaded_cells_plus_deltas_equal_the_views_after_every_batch(
    data: st.DataObject, per_case: list[list[CloudEvent[Any]]]
) -> None:
    updates = Replay().feed(e for h in per_case for e in h).updates
    cut = data.draw(st.integers(0, len(updates)))
    loaded = MemoryViews()
    loaded.apply(updates[:cut])
    cells = Cells(3, 7, loaded.snapshot())
    views = MemoryViews()
    views.apply(updates[:cut])
    batch, i = 7, cut
    asked = [({}, ()), ({}, ("unit",)), ({"unit": "admin"}, ("channel", "month"))]
    for query, dims in asked:  # sums remembered from here on, kept current by each delta
        totals_by(cells.select(v.CASES, query), dims)
    while i < len(updates):
        size = data.draw(st.integers(1, 10))
        chunk = v.combine(updates[i : i + size])
        i += size
        batch += 1
        cells.advance(batch, 3, decode_updates(encode_updates(chunk)))
        views.apply(chunk)
        assert read(cells) == flat_views(views)
        for query, dims in asked:
            selected = cells.select(v.CASES, query)
            assert totals_by(selected, dims) == totals_by(list(selected), dims)
    assert cells.stamp == (3, batch)
    assert summarise(cells.select(v.CASES)) == summarise(views.snapshot().get(v.CASES, []))


def test_a_selection_handed_out_does_not_change_when_later_batches_arrive() -> None:
    cells = Cells(1, 0, {})
    cells.advance(1, 1, [v.ViewUpdate(v.CASES, KEY, {"received": 1, "open.received": 1})])
    before = cells.select(v.CASES, {"unit": "admin"})
    cells.advance(2, 1, [v.ViewUpdate(v.CASES, KEY, {"open.received": -1, "open.assigned": 1})])
    assert before == [{**KEY, "received": 1, "open.received": 1}]
    assert cells.select(v.CASES, {"unit": "admin"}) == [
        {**KEY, "received": 1, "open.received": 0, "open.assigned": 1}
    ]


def test_a_delta_that_does_not_follow_the_cells_is_refused() -> None:
    cells = Cells(2, 5, {})
    update = v.ViewUpdate(v.ORPHANS, {"event_type": "x"}, {"n": 1})
    with pytest.raises(StaleCells):
        cells.advance(7, 2, [update])  # batch 6 is missing
    with pytest.raises(StaleCells):
        cells.advance(6, 3, [update])  # written against another version
    cells.advance(6, 2, [update])
    assert cells.select(v.ORPHANS) == [{"event_type": "x", "n": 1}]


def test_selection_is_equality_on_key_fields_with_none_matching_null() -> None:
    other = {**KEY, "kind": "suggestion", "unit": "finance"}
    cells = Cells(
        1,
        0,
        {v.CASES: [{**KEY, "received": 2, "open": {"received": 2}}, {**other, "received": 1}]},
    )
    assert [c["unit"] for c in cells.select(v.CASES, {"complaint_type": None})] == [
        "admin",
        "finance",
    ]
    assert cells.select(v.CASES, {"unit": "admin", "fiscal_year": 2570}) == [
        {**KEY, "received": 2, "open.received": 2}
    ]
    assert cells.select(v.CASES, {"unit": "legal"}) == []
    with pytest.raises(ValueError, match="only equality"):
        cells.select(v.CASES, {"unit": {"$in": ["admin"]}})


def test_a_set_replaces_the_whole_sub_document_and_sums_are_made_again() -> None:
    cells = Cells(1, 0, {v.CASES: [{**KEY, "x": {"a": 1, "b": 2}, "received": 1}]})
    assert totals_by(cells.select(v.CASES), ()) == {(): {"received": 1, "x.a": 1, "x.b": 2}}
    cells.advance(1, 1, [v.ViewUpdate(v.CASES, KEY, {}, {"x": {"c": 3}})])
    assert cells.select(v.CASES) == [{**KEY, "received": 1, "x.c": 3}]
    assert totals_by(cells.select(v.CASES), ()) == {(): {"received": 1, "x.c": 3}}


def test_deltas_keep_thai_text_none_keys_and_order() -> None:
    updates = [
        v.ViewUpdate(v.CASES, {**KEY, "category": "ร้องเรียน"}, {"received": 1}),
        v.ViewUpdate(
            v.NOTIFICATIONS, {**{k: KEY[k] for k in v.PERIOD_KEY}, "channel": "line"}, {"sent": 2}
        ),
        v.ViewUpdate(v.CASES, KEY, {"received": -1}),
    ]
    text = encode_updates(updates)
    assert "ร้องเรียน" in text
    assert decode_updates(text) == updates


def test_a_set_value_json_cannot_carry_is_refused_when_encoding() -> None:
    with pytest.raises(UnencodableUpdate):
        encode_updates([v.ViewUpdate(v.ORPHANS, {"event_type": "x"}, {}, {"at": object()})])
