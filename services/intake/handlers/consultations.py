"""participation.consultation_* → intake's copy of the consultation (`ConsultationBook`),
which the receiving handler checks a submission's `consultation_id` against. Every other
event of `siang.participation.v1` (opinions, outcomes, surveys, committees) is not
intake's business and is passed over."""

from __future__ import annotations

import logging
from typing import Any

from services.intake.adapters.consultation_book import ConsultationBook
from services.intake.domain.consultations import apply
from shared.contract.events import (
    CloudEvent,
    ConsultationClosed,
    ConsultationConcluded,
    ConsultationOpened,
)

log = logging.getLogger(__name__)


async def learn(book: ConsultationBook, event: CloudEvent[Any]) -> bool:
    """Apply one event; True when it changed what intake knows. Idempotent: an event
    applied again (or an older one after a newer) leaves the state as it was."""
    data = event.data
    if not isinstance(data, ConsultationOpened | ConsultationClosed | ConsultationConcluded):
        return False
    before = await book.current(data.consultation_id)
    after = apply(before, data, event.time)
    if after is None or after == before:
        return False
    await book.save(after)
    log.info(
        "consultation %s is %s",
        data.consultation_id,
        after.status.value,
        extra={"consultation_id": data.consultation_id},
    )
    return True
