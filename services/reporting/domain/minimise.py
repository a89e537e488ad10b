"""What reporting keeps of an event: only what it counts. A survey answer's comment is the
complainant's free text, which may name people, and no report reads it; so it is dropped
before the event is journaled or parked, and no erasure has to find it here."""

from __future__ import annotations

from typing import Any

from shared.contract.events import CloudEvent, SurveyAnswered


def minimised(event: CloudEvent[Any]) -> CloudEvent[Any]:
    """`event` without the free text reporting never reads (the same event when it has none)."""
    data = event.data
    if isinstance(data, SurveyAnswered) and data.comment is not None:
        return event.model_copy(update={"data": data.model_copy(update={"comment": None})})
    return event
