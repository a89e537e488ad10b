"""The outbox rows of one write: as few as the size limits allow, events in write order,
each with its own key."""

from __future__ import annotations

import pytest

from shared.infra import outbox
from shared.infra.outbox import outbox_documents
from tests.support import comment


def test_a_write_for_many_cases_is_one_row_keeping_order_and_each_key() -> None:
    events = [comment(f"case-{i % 3}", f"t{i}") for i in range(7)]
    rows = outbox_documents(events)
    assert len(rows) == 1
    assert [(e["key"], e["type"]) for e in rows[0]["events"]] == [
        (f"case-{i % 3}", events[0].type) for i in range(7)
    ]
    assert [e["value"] for e in rows[0]["events"]] == [e.to_json() for e in events]
    assert rows[0]["_id"] == events[0].id


def test_rows_are_cut_at_the_event_limit_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outbox, "ROW_EVENTS", 3)
    events = [comment("case-1", f"t{i}") for i in range(7)]
    rows = outbox_documents(events)
    assert [len(r["events"]) for r in rows] == [3, 3, 1]
    assert [r["seq"] for r in rows] == sorted(r["seq"] for r in rows)
    assert len({r["seq"] for r in rows}) == 3
    flat = [e["value"] for r in rows for e in r["events"]]
    assert flat == [e.to_json() for e in events]


def test_rows_are_cut_before_they_grow_too_big(monkeypatch: pytest.MonkeyPatch) -> None:
    events = [comment("case-1", "x" * 1000) for _ in range(5)]
    one = len(events[0].to_json())
    monkeypatch.setattr(outbox, "ROW_BYTES", 2 * one + 10)
    assert [len(r["events"]) for r in outbox_documents(events)] == [2, 2, 1]


def test_no_events_no_rows() -> None:
    assert outbox_documents([]) == []


def test_values_the_writer_has_already_are_published_as_given() -> None:
    events = [comment("case-1", f"t{i}") for i in range(3)]
    # What the writer stored for itself is what goes out, not a second rendering of it.
    given = [e.to_json().replace(b"}", b" }", 1) for e in events]
    (row,) = outbox_documents(events, given)
    assert [e["value"] for e in row["events"]] == given
    with pytest.raises(ValueError, match="one JSON value per event"):
        outbox_documents(events, given[:2])
