"""The workflow's event store (`case_events`): each case's events in `seq` order, which the
workflow writes and reporting rebuilds from.

One document per write of a case holds that write's events (opening a case writes three
at once): the server's cost is mostly per document and per index entry, and the store is
only ever read a case at a time or whole, in (`case_id`, `seq`) order. A document written
before this shape holds one event under `event`; both shapes are read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from shared.contract.events import CloudEvent
from shared.infra.mongo import Document


def store_document(case_id: str, first_seq: int, events: Sequence[CloudEvent[Any]]) -> Document:
    """The document of one write: `events` (at least one) numbered from `first_seq`.
    Its `_id` is the first event's id, so writing the same events twice fails."""
    if not events:
        raise ValueError("an event store document holds at least one event")
    return {
        "_id": events[0].id,
        "case_id": case_id,
        "seq": first_seq,
        "count": len(events),
        "types": [e.type for e in events],
        "time": events[0].time,
        "events": [e.model_dump(mode="json", by_alias=True) for e in events],
    }


def stored_events(doc: Mapping[str, Any]) -> list[Document]:
    """The events a document holds, in order, as JSON documents (`parse_event` reads them)."""
    if "events" in doc:
        return [dict(e) for e in doc["events"]]
    return [dict(doc["event"])]
