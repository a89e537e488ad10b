"""Tracking: a person's code and PIN give the status of their submission — and nothing
personal. Wrong code and wrong PIN look the same from outside."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.intake.adapters.submissions import TrackingRecords
from services.intake.domain.tracking import normalise_tracking_code
from services.intake.errors import TrackingNotFound
from shared.contract.tracking_pin import pin_matches


@dataclass(frozen=True, slots=True)
class TrackingStatus:
    tracking_code: str
    kind: str
    category: str
    channel: str
    status: str
    received_at: datetime
    updated_at: datetime


async def track(
    records: TrackingRecords, raw_code: str, pin: str, *, pepper: bytes
) -> TrackingStatus:
    """The public status, or `InvalidTrackingCode` (a typo) / `TrackingNotFound`."""
    code = normalise_tracking_code(raw_code)
    record = await records.by_tracking_code(code)
    if record is None or not pin_matches(
        pin.strip(), tracking_code=code, pepper=pepper, stored_hash=record.pin_hash
    ):
        raise TrackingNotFound()
    status, updated_at = "received", record.received_at
    from_workflow = await records.case_status_of(code)
    if from_workflow is not None:
        status = from_workflow[0]
        updated_at = from_workflow[1] or updated_at
    return TrackingStatus(
        tracking_code=code,
        kind=record.kind,
        category=record.category,
        channel=record.channel,
        status=status,
        received_at=record.received_at,
        updated_at=updated_at,
    )
