"""In-memory stand-ins for MongoDB and Kafka, obeying the handler's ports."""

from __future__ import annotations

from typing import Any

from services.intake.domain.idempotency import StoredAnswer
from services.intake.domain.tracking import TrackingRecord
from services.intake.handlers.ports import AlreadyStored, KeyInUse, StoreUnavailable
from shared.contract.events import CloudEvent


class FakeStore:
    def __init__(self) -> None:
        self.down = False
        self.records: dict[str, TrackingRecord] = {}
        self.outbox: list[CloudEvent[Any]] = []
        self.answers: dict[str, StoredAnswer] = {}
        self.people: dict[str, Any] = {}
        self.files: dict[str, list[Any]] = {}
        self.commits = 0
        # Idempotency records another transaction holds (a killed intake's, say).
        self.held: set[str] = set()

    async def stored_answer(self, record_id: str) -> StoredAnswer | None:
        if self.down:
            raise StoreUnavailable("down")
        return self.answers.get(record_id)

    async def commit(
        self, record, event, answer, person=None, files=(), *, timeout, settle=False
    ) -> None:
        if self.down:
            raise StoreUnavailable("down")
        if answer is not None and answer.record_id in self.answers:
            raise AlreadyStored(answer.record_id)
        if answer is not None and answer.record_id in self.held:
            raise KeyInUse(answer.record_id)
        self.commits += 1
        self.records[record.submission_id] = record
        self.outbox.append(event)
        if answer is not None:
            self.answers[answer.record_id] = answer
        if person is not None:
            self.people[person.person_id] = person.contact
        if files:
            self.files[record.submission_id] = list(files)

    async def save_after_publish(self, record, answer) -> None:
        if self.down:
            raise StoreUnavailable("down")
        if record.submission_id in self.records:
            raise AlreadyStored(record.submission_id)
        self.records[record.submission_id] = record
        if answer is not None:
            self.answers[answer.record_id] = answer


class FakePublisher:
    def __init__(self) -> None:
        self.down = False
        self.published: list[CloudEvent[Any]] = []

    async def publish(self, event: CloudEvent[Any]) -> None:
        if self.down:
            raise ConnectionError("kafka down")
        self.published.append(event)


class FakeKeys:
    """Stands in for the `ApiKeys` collection under `CachedKeyCheck`."""

    def __init__(self) -> None:
        self.records: dict[str, Any] = {}

    async def get(self, key_id: str):
        return self.records.get(key_id)


class FakeRateCounts:
    """Stands in for `RateCounts`: the counts every replica shares, or none (`down`)."""

    def __init__(self) -> None:
        self.down = False
        self.counts: dict[tuple[str, int], int] = {}
        self.asked = 0

    async def add(self, key: str, window: Any, count: int) -> int:
        self.asked += 1
        if self.down:
            raise StoreUnavailable("down")
        self.counts[(key, window.start)] = self.counts.get((key, window.start), 0) + count
        return self.counts[(key, window.start)]
