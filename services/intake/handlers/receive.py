"""Receiving a submission: the one path every channel takes to a durable event.

Order of the work, and why:
1. An Idempotency-Key seen before replays the first answer (or is refused if the body
   differs) — before anything new is minted.
   An opinion on a consultation (`consultation_id`) is then checked against intake's
   copy of the consultation (`domain/consultations.py`): unknown, not open, or a group
   or answer it does not take is refused before anything is minted.
2. Mint the submission id, tracking code and PIN; build the `submission.received` event.
   The sender's contact details (if any) are not in it: the event carries only their
   reference, `person_id_for(submission id)` (`shared/infra/personal_data.py`).
3. Make it durable: the person's contact (collection `personal_data`), the tracking
   record, the files sent with it (GridFS bucket `attachments`), the outbox row and the
   idempotency answer in ONE MongoDB transaction
   (majority, journal). The outbox relay, woken right away, publishes it; doing the
   publish here too would race the relay and put it on Kafka twice.
4. If MongoDB does not answer in time, publish straight to Kafka (acks=all) instead; the
   tracking record waits in the backlog until MongoDB is back. Only an anonymous
   submission may go this way: one with contact details would need them written
   somewhere erasable first, and Kafka is not (an erasure cannot rewrite retained
   records); so would files. So a submission with contact details or files is refused with `Unavailable` (503,
   Retry-After) while MongoDB is away: nothing is accepted and the client retries.
   Nor may one whose Idempotency-Key another transaction holds (`KeyInUse`: a retry
   racing its first attempt, or a killed intake's transaction the server has not yet
   ended): that transaction may still commit the same request, so it is refused too.
5. If neither worked, `Unavailable` (503): the caller retries; nothing was accepted.

Nothing here logs a contact detail: the logs say only which way a submission went.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from services.intake.domain import idempotency
from services.intake.domain.consultations import UnknownConsultation, check_opinion
from services.intake.domain.files import SentFile
from services.intake.domain.idempotency import StoredAnswer, Verdict
from services.intake.domain.submission import SubmissionRequest
from services.intake.domain.tracking import TrackingRecord, new_pin, new_tracking_code
from services.intake.errors import Unavailable
from services.intake.handlers.backlog import Backlog
from services.intake.handlers.ports import (
    AlreadyStored,
    ConsultationLookup,
    EventSink,
    KeyInUse,
    Person,
    StoreUnavailable,
    SubmissionStore,
)
from shared.contract.events import (
    Channel,
    CloudEvent,
    Contact,
    LetterReference,
    SubmissionReceived,
    make_event,
)
from shared.contract.tracking_pin import hash_pin
from shared.infra import tracing
from shared.infra.personal_data import person_id_for
from shared.thai.dates import local_date

log = logging.getLogger(__name__)

SOURCE = "/siang/intake"


@dataclass(frozen=True, slots=True)
class Receive:
    body: SubmissionRequest
    channel: Channel
    keyed_by: str | None = None
    idempotency_key: str | None = None
    correlation_id: str | None = None
    # The sender as a channel itself knows them from a signed webhook (a Facebook PSID),
    # given with their consent; it replaces any contact in the body.
    contact: Contact | None = None
    # A letter's registry number and date (staff-keyed channel `letter`).
    letter: LetterReference | None = None
    # Files sent with it (checked: `domain/files.py`), kept in the same transaction.
    files: tuple[SentFile, ...] = ()


@dataclass(frozen=True, slots=True)
class Receipt:
    """The 202 answer. `replayed` and `durable_via` are for headers and metrics."""

    submission_id: str
    tracking_code: str
    tracking_pin: str
    tracking_url: str
    replayed: bool = False
    durable_via: str = "mongodb"
    seconds_to_durable: float = 0.0

    def body(self) -> dict[str, Any]:
        return {
            "submission_id": self.submission_id,
            "tracking_code": self.tracking_code,
            "tracking_pin": self.tracking_pin,
            "tracking_url": self.tracking_url,
        }


class Reception:
    def __init__(
        self,
        store: SubmissionStore,
        publisher: EventSink,
        backlog: Backlog,
        *,
        pepper: bytes,
        tracking_url: Callable[[str], str],
        commit_timeout: float,
        publish_timeout: float,
        retry_after: int,
        on_committed: Callable[[], None] = lambda: None,
        consultations: ConsultationLookup | None = None,
    ) -> None:
        self._store = store
        self._publisher = publisher
        self._backlog = backlog
        self._pepper = pepper
        self._tracking_url = tracking_url
        self._commit_timeout = commit_timeout
        self._publish_timeout = publish_timeout
        self._retry_after = retry_after
        self._on_committed = on_committed
        self._consultations = consultations

    async def receive(self, cmd: Receive) -> Receipt:
        """A durable submission's receipt, a replayed one, or a typed refusal
        (`IdempotencyKeyReused`, `Unavailable`)."""
        fingerprint = idempotency.fingerprint(cmd.body, cmd.channel, cmd.keyed_by)
        record_id = (
            idempotency.record_id(cmd.channel, cmd.idempotency_key) if cmd.idempotency_key else None
        )
        if record_id is not None:
            replay = await self._replay(record_id, fingerprint, cmd)
            if replay is not None:
                return replay
        if cmd.body.consultation_id is not None:
            await self._check_consultation(cmd.body)
        for _ in range(3):
            try:
                return await self._accept(cmd, fingerprint, record_id)
            except AlreadyStored:
                # A concurrent request with the same key won the race: answer as it did.
                if record_id is not None:
                    replay = await self._replay(record_id, fingerprint, cmd)
                    if replay is not None:
                        return replay
                # Otherwise the tracking code collided (about 1 in 10^16): mint again.
        raise Unavailable(self._retry_after)

    async def _check_consultation(self, body: SubmissionRequest) -> None:
        """An opinion goes only to a consultation that takes it now (intake's copy of the
        participation service's events); `StoreUnavailable` when that copy is unreadable:
        the caller retries, nothing is accepted unchecked."""
        if self._consultations is None or body.consultation_id is None:
            raise UnknownConsultation(body.consultation_id or "")
        try:
            state = await asyncio.wait_for(
                self._consultations.state(body.consultation_id), self._commit_timeout
            )
        except TimeoutError as exc:
            raise StoreUnavailable("the consultations did not answer in time") from exc
        check_opinion(body, state, local_date(datetime.now(UTC)))

    async def _replay(self, record_id: str, fingerprint: str, cmd: Receive) -> Receipt | None:
        stored = self._backlog.answer(record_id)
        if stored is None:
            try:
                # The store bounds its own read (a timeout is `StoreUnavailable`).
                stored = await self._store.stored_answer(record_id)
            except StoreUnavailable:
                # MongoDB is away: a retry cannot be recognised, so it may be received
                # twice (same body, new id); the workflow's duplicate hint catches that.
                log.warning("idempotency record unreadable; accepting as new")
                return None
        if idempotency.decide(stored, fingerprint) is Verdict.new or stored is None:
            return None
        assert cmd.idempotency_key is not None
        body = idempotency.replayed_body(stored, key=cmd.idempotency_key)
        return Receipt(
            submission_id=str(body["submission_id"]),
            tracking_code=str(body["tracking_code"]),
            tracking_pin=str(body["tracking_pin"]),
            tracking_url=str(body["tracking_url"]),
            replayed=True,
        )

    async def _accept(self, cmd: Receive, fingerprint: str, record_id: str | None) -> Receipt:
        started = time.perf_counter()
        now = datetime.now(UTC)
        submission_id = str(uuid.uuid4())
        code = new_tracking_code()
        pin = new_pin()
        pin_hash = hash_pin(pin, tracking_code=code, pepper=self._pepper)
        contact = cmd.contact or (cmd.body.contact.to_contact() if cmd.body.contact else None)
        person = (
            Person(person_id_for(submission_id), contact, cmd.channel)
            if contact is not None
            else None
        )
        event: CloudEvent[SubmissionReceived] = make_event(
            cmd.body.to_event_data(
                submission_id=submission_id,
                tracking_code=code,
                channel=cmd.channel,
                keyed_by=cmd.keyed_by,
                received_at=now,
                tracking_pin_hash=pin_hash,
                person_id=person.person_id if person else None,
                letter=cmd.letter,
            ),
            source=SOURCE,
            subject=submission_id,
            correlation_id=cmd.correlation_id,
            time=now,
            traceparent=tracing.for_event(),
        )
        record = TrackingRecord(
            submission_id=submission_id,
            tracking_code=code,
            pin_hash=pin_hash,
            channel=cmd.channel.value,
            kind=cmd.body.kind.value,
            category=cmd.body.category,
            language=cmd.body.language.value,
            received_at=now,
            keyed_by=cmd.keyed_by,
        )
        receipt = Receipt(
            submission_id=submission_id,
            tracking_code=code,
            tracking_pin=pin,
            tracking_url=self._tracking_url(code),
        )
        answer = (
            StoredAnswer(
                record_id=record_id,
                fingerprint=fingerprint,
                status_code=202,
                body={k: v for k, v in receipt.body().items() if k != "tracking_pin"},
                masked_pin=idempotency.mask_pin(
                    pin, key=cmd.idempotency_key or "", submission_id=submission_id
                ),
                created_at=now,
            )
            if record_id is not None
            else None
        )
        # A submission that may go only to MongoDB must not be refused while it could
        # still be written there (`settle`): the 503 tells the client nothing was accepted.
        only_mongodb = person is not None or bool(cmd.files)
        try:
            await self._store.commit(
                record,
                event,
                answer,
                person,
                cmd.files,
                timeout=self._commit_timeout,
                settle=only_mongodb,
            )
        except KeyInUse as exc:
            log.warning("a submission's Idempotency-Key is held by another transaction")
            raise Unavailable(self._retry_after) from exc
        except StoreUnavailable as exc:
            if only_mongodb:
                # Contact details and files (photos of people, letters) go to the erasable
                # store or nowhere: never to Kafka.
                log.warning("MongoDB did not take a submission with personal data (%r)", exc)
                raise Unavailable(self._retry_after) from exc
            log.warning("MongoDB did not take the submission (%r); publishing to Kafka", exc)
            await self._publish_directly(event, record, answer)
            return _with_timing(receipt, "kafka", started)
        self._on_committed()
        return _with_timing(receipt, "mongodb", started)

    async def _publish_directly(
        self, event: CloudEvent[Any], record: TrackingRecord, answer: StoredAnswer | None
    ) -> None:
        try:
            self._backlog.reserve()
            await asyncio.wait_for(self._publisher.publish(event), self._publish_timeout)
        except Exception as exc:  # full backlog, timeout, not connected, broker error
            log.error("neither MongoDB nor Kafka took the submission: %r", exc)
            raise Unavailable(self._retry_after) from exc
        self._backlog.add(record, answer)


def _with_timing(receipt: Receipt, via: str, started: float) -> Receipt:
    return Receipt(
        submission_id=receipt.submission_id,
        tracking_code=receipt.tracking_code,
        tracking_pin=receipt.tracking_pin,
        tracking_url=receipt.tracking_url,
        durable_via=via,
        seconds_to_durable=time.perf_counter() - started,
    )
