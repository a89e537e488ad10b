"""The workflow's event store (`case_events`): each case's events in `seq` order, which the
workflow writes and reporting rebuilds from.

One document per write of a case holds that write's events (opening a case writes five
at once): the server's cost is mostly per document and per index entry, and the store is
only ever read a case at a time or whole, in (`case_id`, `seq`) order.

Each event is kept as its JSON text (`values`), the same text the outbox publishes, not
as a nested document: a nested event is some twenty BSON fields that the workflow, the
server (on receipt and again to store it) and every reader encode or decode one by one,
where a string is one (`bench.stored_forms`). The store is never queried
inside an event, only by the fields beside them. Documents written before this shape hold
nested events under `events`, or one under `event`; all shapes are read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from shared.contract.events import CloudEvent, json_values
from shared.infra.mongo import Document


def store_document(
    case_id: str,
    first_seq: int,
    events: Sequence[CloudEvent[Any]],
    values: Sequence[bytes] | None = None,
) -> Document:
    """The document of one write: `events` (at least one) numbered from `first_seq`.
    `values` are their `to_json()`, when the caller has them already (for the outbox).
    Its `_id` is the first event's id, so writing the same events twice fails."""
    if not events:
        raise ValueError("an event store document holds at least one event")
    values = json_values(events, values)
    return {
        "_id": events[0].id,
        "case_id": case_id,
        "seq": first_seq,
        "count": len(events),
        "types": [e.type for e in events],
        "time": events[0].time,
        # Text, not bytes: a string is as cheap to store, and stays readable in the shell.
        "values": [v.decode() for v in values],
    }


def stored_events(doc: Mapping[str, Any]) -> list[Document]:
    """The events a document holds, in order, as JSON documents (`parse_event` reads them)."""
    if "values" in doc:
        return [orjson.loads(v) for v in doc["values"]]
    if "events" in doc:
        return [dict(e) for e in doc["events"]]
    return [dict(doc["event"])]
