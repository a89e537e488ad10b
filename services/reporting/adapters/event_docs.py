"""Events stored as documents: the journal and parked events keep them as they came.

Each event is kept as its JSON text (`value`), as the workflow keeps it in `case_events`
(`shared/infra/event_store.py`, which says why), beside the few fields the journal is
read by. Documents written before hold the event as a nested document under `event`;
`event_of` reads both.

The journal keeps a batch's events in pages, a few hundred events per document: one
document per event, with its two indexes, cost SecantusDB ~165 ms per 1,000 events, a
page ~11 ms. Journals written before pages hold one event per document; readers take
both (`journal_entries`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from services.reporting.domain.reducers import case_id_of
from shared.contract.events import CloudEvent, parse_event
from shared.infra.mongo import Document


def event_doc(event: CloudEvent[Any], stored_at: datetime, n: int) -> Document:
    """A document holding `event`; (`stored_at`, `n`) orders documents in delivery order."""
    return {
        "_id": event.id,
        "case_id": case_id_of(event) or getattr(event.data, "case_id", None),
        "type": event.type,
        "time": event.time,
        "stored_at": stored_at,
        "n": n,
        "value": event.to_json().decode(),
    }


#: Events per journal page: a page is one document, which must stay well under 16 MiB.
PAGE_EVENTS = 200


def journal_pages(
    events: Sequence[CloudEvent[Any]], stored_at: datetime, sequence: Iterator[int]
) -> list[Document]:
    """Journal documents holding `events` in order; (`stored_at`, `n`) orders the pages,
    and each entry is the `event_doc` an unpaged journal held."""
    pages = []
    for i in range(0, len(events), PAGE_EVENTS):
        entries = [event_doc(e, stored_at, next(sequence)) for e in events[i : i + PAGE_EVENTS]]
        pages.append({"stored_at": stored_at, "n": entries[0]["n"], "events": entries})
    return pages


def journal_entries(doc: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The event documents of a journal page, or of an unpaged journal document."""
    entries = doc.get("events")
    return list(entries) if isinstance(entries, list) else [doc]


def event_of(doc: Mapping[str, Any]) -> CloudEvent[Any]:
    """The event held by a journal or parked document."""
    value = doc.get("value")
    return parse_event(value if isinstance(value, str) else dict(doc["event"]))
