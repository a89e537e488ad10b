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


def test_events_are_kept_as_their_json_text_the_outbox_publishes() -> None:
    events = [comment("c-1", "ความเห็น"), comment("c-1", "two")]
    doc = store_document("c-1", 0, events)
    assert doc["values"] == [e.to_json().decode() for e in events]
    assert "ความเห็น" in doc["values"][0]  # text, readable in the shell, not bytes
    assert [parse_event(e) for e in stored_events(doc)] == events


def test_values_given_by_the_caller_must_match_the_events() -> None:
    events = [comment("c-1", "a"), comment("c-1", "b")]
    given = [e.to_json() for e in events]
    assert store_document("c-1", 0, events, given) == store_document("c-1", 0, events)
    with pytest.raises(ValueError, match="one JSON value per event"):
        store_document("c-1", 0, events, given[:1])


def test_a_document_of_the_nested_shape_is_read() -> None:
    events = [comment("c-1", "n0"), comment("c-1", "n1")]
    nested = {
        "_id": events[0].id,
        "case_id": "c-1",
        "seq": 0,
        "events": [e.model_dump(mode="json", by_alias=True) for e in events],
    }
    assert [parse_event(e) for e in stored_events(nested)] == events


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
