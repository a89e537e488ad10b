"""Event store documents: one per write, read back in order, and the older one-event
shape still read."""

from __future__ import annotations

import pytest

from shared.contract.events import parse_event
from shared.infra.event_store import store_document, stored_events
from tests.support import comment


def test_a_write_of_three_events_is_one_document_read_back_in_order() -> None:
    events = [comment("c-1", f"t{i}") for i in range(3)]
    doc = store_document("c-1", 4, events)
    assert (doc["_id"], doc["case_id"], doc["seq"], doc["count"]) == (events[0].id, "c-1", 4, 3)
    assert [parse_event(e).data.text for e in stored_events(doc)] == ["t0", "t1", "t2"]


def test_a_document_of_the_older_one_event_shape_is_read() -> None:
    event = comment("c-1", "old")
    old = {
        "_id": event.id,
        "case_id": "c-1",
        "seq": 0,
        "event": event.model_dump(mode="json", by_alias=True),
    }
    assert [parse_event(e).id for e in stored_events(old)] == [event.id]


def test_a_write_without_events_has_no_document() -> None:
    with pytest.raises(ValueError, match="at least one event"):
        store_document("c-1", 0, [])
