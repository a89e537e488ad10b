"""Journal pages: a batch's events in a few documents, read back in order, old shape too."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from services.reporting.adapters.event_docs import (
    PAGE_EVENTS,
    event_doc,
    event_of,
    journal_entries,
    journal_pages,
)

from .histories import Case


def test_a_batch_is_journaled_in_pages_and_read_back_in_order() -> None:
    events = [Case(f"c{i}").opened() for i in range(2 * PAGE_EVENTS + 7)]
    now = datetime.now(UTC)
    pages = journal_pages(events, now, itertools.count(40))
    assert [len(p["events"]) for p in pages] == [PAGE_EVENTS, PAGE_EVENTS, 7]
    assert [p["n"] for p in pages] == [40, 40 + PAGE_EVENTS, 40 + 2 * PAGE_EVENTS]
    entries = [e for p in pages for e in journal_entries(p)]
    assert [event_of(e) for e in entries] == events
    assert [e["case_id"] for e in entries[:2]] == ["c0", "c1"]
    assert all(e["stored_at"] == now for e in entries)


def test_an_unpaged_journal_document_reads_as_its_one_event() -> None:
    event = Case("c9").opened()
    doc = event_doc(event, datetime.now(UTC), 3)
    assert [event_of(e) for e in journal_entries(doc)] == [event]
    assert journal_pages([], datetime.now(UTC), itertools.count()) == []


def test_an_entry_keeps_the_event_as_json_text_and_older_nested_entries_still_read() -> None:
    event = Case("c9").opened()
    doc = event_doc(event, datetime.now(UTC), 3)
    assert doc["value"] == event.to_json().decode() and "event" not in doc
    older = {k: v for k, v in doc.items() if k != "value"}
    older["event"] = event.model_dump(mode="json", by_alias=True)
    assert event_of(older) == event
