"""What the receiving handler needs from the outside, as Protocols: the MongoDB adapter and
the Kafka publisher implement them, and unit tests pass fakes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from services.intake.domain.consultations import ConsultationState
from services.intake.domain.files import SentFile
from services.intake.domain.idempotency import StoredAnswer
from services.intake.domain.tracking import TrackingRecord
from shared.contract.events import Channel, CloudEvent, Contact


@dataclass(frozen=True, slots=True)
class Person:
    """The sender of a submission who left contact details: written once to the
    personal-data store under `person_id`, which is all the event carries."""

    person_id: str
    contact: Contact
    channel: Channel


class StoreUnavailable(Exception):
    """MongoDB did not answer (or not in time): the write may or may not have happened."""


class KeyInUse(StoreUnavailable):
    """Another transaction holds this submission's Idempotency-Key: a retry racing its
    first attempt, or an intake killed mid-commit, whose transaction the server keeps
    until its lifetime ends (60 s). Nothing was written; it must not go to Kafka
    instead either, since the other transaction may yet commit the same request."""


class AlreadyStored(Exception):
    """A unique key was taken: the idempotency record (a concurrent retry) or, once in
    ~10^16, the tracking code."""


class SubmissionStore(Protocol):
    async def stored_answer(self, record_id: str) -> StoredAnswer | None:
        """The first answer given to an idempotency record id; `StoreUnavailable`."""
        ...

    async def commit(
        self,
        record: TrackingRecord,
        event: CloudEvent[Any],
        answer: StoredAnswer | None,
        person: Person | None = None,
        files: Sequence[SentFile] = (),
        *,
        timeout: float,
        settle: bool = False,
    ) -> None:
        """In ONE transaction (majority, journaled): the person's contact (personal-data
        store), the tracking record, the files sent with it, the outbox row of `event`,
        and the idempotency answer; bounded by `timeout`.
        `StoreUnavailable`, `KeyInUse`, `AlreadyStored`. With `settle`, `StoreUnavailable` means it
        was not written, unless MongoDB stopped answering in the middle of its commit
        (then it waits up to `timeout` more for the outcome)."""
        ...

    async def save_after_publish(self, record: TrackingRecord, answer: StoredAnswer | None) -> None:
        """The tracking record and answer of a submission Kafka already has (no outbox).
        Only anonymous submissions go that way, so there is never a person to write."""
        ...


class EventSink(Protocol):
    async def publish(self, event: CloudEvent[Any]) -> None: ...


class ConsultationLookup(Protocol):
    async def state(self, consultation_id: str) -> ConsultationState | None:
        """What intake knows of a published consultation (None: nothing);
        `StoreUnavailable` when it cannot be read."""
        ...
