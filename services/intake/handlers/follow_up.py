"""A complainant's follow-up and withdrawal: through the one tracking door (code and PIN,
`Tracker.follow`, so the same lock-out after wrong PINs), checked against the case's
public status (`domain/follow_up.py`), then made durable as `submission.follow_up` /
`submission.withdrawn` in intake's outbox before the person is told (keyed by the
submission id, like `submission.received`, so the workflow reads them in order).

A reply mail from the case's own address comes in through `add_by_mail`: the mailbox
poller has already matched the sender (`handlers/email.py`); it has no PIN to give.

Nothing here logs what the person wrote, only the ids."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from services.intake.domain.follow_up import check_may_add, check_may_withdraw, follow_up_id
from services.intake.domain.tracking import TrackingRecord
from services.intake.handlers.ports import AlreadyStored
from services.intake.handlers.track import Tracker, TrackingView
from shared.contract.events import (
    Channel,
    CloudEvent,
    SubmissionFollowUp,
    SubmissionWithdrawn,
    make_event,
)
from shared.infra import tracing

log = logging.getLogger(__name__)

SOURCE = "/siang/intake"


class FollowUpSink(Protocol):
    """What the desk writes to (`adapters/follow_ups.py`)."""

    async def commit(
        self, event: CloudEvent[Any], *, withdrawn: tuple[str, datetime] | None = None
    ) -> None:
        """The event in the outbox (and the record marked withdrawn) in one transaction;
        `AlreadyStored`, `NotWithdrawable`, `StoreUnavailable`."""
        ...


@dataclass(frozen=True, slots=True)
class Accepted:
    """The answer to a follow-up or withdrawal: durable (`replayed`: sent before)."""

    id: str
    tracking_code: str
    replayed: bool = False


def _utc_now() -> datetime:
    return datetime.now(UTC)


class ComplainantDesk:
    def __init__(
        self,
        tracker: Tracker,
        store: FollowUpSink,
        *,
        on_committed: Callable[[], None] = lambda: None,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._tracker = tracker
        self._store = store
        self._on_committed = on_committed
        self._now = now

    async def view(self, code: str, pin: str) -> TrackingView:
        """The case as its complainant may see it (the tracking door's answer)."""
        return await self._tracker.follow(code, pin)

    async def add(
        self,
        code: str,
        pin: str,
        text: str,
        *,
        key: str,
        channel: Channel = Channel.web,
        attachments: tuple[str, ...] = (),
        correlation_id: str | None = None,
    ) -> Accepted:
        """Add `text` to the case of `code`, given its PIN. Raises the door's refusals,
        `CaseClosed`, `StoreUnavailable`."""
        view = await self._tracker.follow(code, pin)
        return await self.add_to(
            view,
            text,
            key=key,
            channel=channel,
            attachments=attachments,
            correlation_id=correlation_id,
        )

    async def add_to(
        self,
        view: TrackingView,
        text: str,
        *,
        key: str,
        channel: Channel = Channel.web,
        attachments: tuple[str, ...] = (),
        correlation_id: str | None = None,
    ) -> Accepted:
        """`add` for a case its complainant has just opened through the door (`view`)."""
        check_may_add(view.status, view.record.withdrawn_at)
        return await self._add(view.record, text, key, channel, attachments, correlation_id)

    async def add_by_mail(
        self,
        record: TrackingRecord,
        status: str,
        text: str,
        *,
        key: str,
        attachments: tuple[str, ...] = (),
        correlation_id: str | None = None,
    ) -> Accepted:
        """A reply mail whose sender is the case's own contact (checked by the caller)."""
        check_may_add(status, record.withdrawn_at)
        return await self._add(record, text, key, Channel.email, attachments, correlation_id)

    async def withdraw(
        self,
        code: str,
        pin: str,
        reason: str | None,
        *,
        key: str,
        correlation_id: str | None = None,
    ) -> Accepted:
        """Withdraw the case of `code`, given its PIN. Raises the door's refusals,
        `CaseClosed`, `NotWithdrawable`, `StoreUnavailable`."""
        view = await self._tracker.follow(code, pin)
        return await self.withdraw_from(view, reason, key=key, correlation_id=correlation_id)

    async def withdraw_from(
        self,
        view: TrackingView,
        reason: str | None,
        *,
        key: str,
        correlation_id: str | None = None,
    ) -> Accepted:
        """`withdraw` for a case its complainant has just opened through the door."""
        record = view.record
        check_may_withdraw(view.status, record.withdrawn_at)
        now = self._now()
        withdrawal_id = follow_up_id(record.submission_id, f"withdraw|{key}")
        event = make_event(
            SubmissionWithdrawn(
                withdrawal_id=withdrawal_id,
                submission_id=record.submission_id,
                tracking_code=record.tracking_code,
                reason=reason,
                channel=Channel.web,
                received_at=now,
            ),
            source=SOURCE,
            subject=record.submission_id,
            correlation_id=correlation_id,
            time=now,
            event_id=withdrawal_id,
            traceparent=tracing.for_event(),
        )
        await self._store.commit(event, withdrawn=(record.submission_id, now))
        self._on_committed()
        log.info("withdrawal %s of %s durable", withdrawal_id, record.submission_id)
        return Accepted(withdrawal_id, record.tracking_code)

    async def _add(
        self,
        record: TrackingRecord,
        text: str,
        key: str,
        channel: Channel,
        attachments: tuple[str, ...],
        correlation_id: str | None,
    ) -> Accepted:
        now = self._now()
        fid = follow_up_id(record.submission_id, key)
        event = make_event(
            SubmissionFollowUp(
                follow_up_id=fid,
                submission_id=record.submission_id,
                tracking_code=record.tracking_code,
                text=text,
                attachments=list(attachments),
                channel=channel,
                received_at=now,
            ),
            source=SOURCE,
            subject=record.submission_id,
            correlation_id=correlation_id,
            time=now,
            event_id=fid,
            traceparent=tracing.for_event(),
        )
        try:
            await self._store.commit(event)
        except AlreadyStored:
            # The same request again (a double click, a mail read twice): one follow-up.
            return Accepted(fid, record.tracking_code, replayed=True)
        self._on_committed()
        log.info("follow-up %s of %s durable", fid, record.submission_id)
        return Accepted(fid, record.tracking_code)
