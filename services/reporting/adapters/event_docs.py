"""Events stored as documents: the journal and parked events keep them as they came.

The event is stored in the same JSON form the workflow uses in `case_events`
(`model_dump(mode="json", by_alias=True)`), so one parser reads both.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from services.reporting.domain.reducers import case_id_of
from shared.events import CloudEvent, parse_event

Document = dict[str, Any]


def event_doc(event: CloudEvent[Any], stored_at: datetime, n: int) -> Document:
    """A document holding `event`; (`stored_at`, `n`) orders documents in delivery order."""
    return {
        "_id": event.id,
        "case_id": case_id_of(event) or getattr(event.data, "case_id", None),
        "type": event.type,
        "time": event.time,
        "stored_at": stored_at,
        "n": n,
        "event": event.model_dump(mode="json", by_alias=True),
    }


def event_of(doc: Mapping[str, Any]) -> CloudEvent[Any]:
    """The event held by a journal, parked or `case_events` document."""
    return parse_event(dict(doc["event"]))
