"""The MongoDB side of receiving: the sender's contact (personal-data store) + tracking
record + the files sent with it (GridFS) + outbox row + idempotency answer in ONE
transaction. Translates PyMongo's errors
into the handler's two: `AlreadyStored` and `StoreUnavailable` (whose text never holds a
document, so no contact detail reaches a log)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

import pymongo
from pymongo import AsyncMongoClient
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import BulkWriteError, DuplicateKeyError, PyMongoError

from services.intake.adapters.idempotency import IdempotencyAnswers
from services.intake.adapters.submission_files import SubmissionFiles, gridfs_documents
from services.intake.adapters.submissions import TrackingRecords
from services.intake.domain.files import SentFile
from services.intake.domain.idempotency import StoredAnswer
from services.intake.domain.tracking import TrackingRecord
from services.intake.handlers.ports import AlreadyStored, KeyInUse, Person, StoreUnavailable
from shared.contract.events import CloudEvent
from shared.infra.mongo import Document, TransactionConflict, in_transaction
from shared.infra.outbox import Outbox
from shared.infra.personal_data import PersonalData

_DUPLICATE_KEY = 11000

# A group meeting a write conflict is halved at once (`_commit`) rather than retried for
# seconds with every submission queued behind it: a killed intake's transaction holds the
# idempotency answers of its requests for 60 s, their clients retry with the same keys,
# and each retry used to fail its whole group after ten attempts (about 4 s) while the
# queue behind it timed out. A submission alone gets a few attempts (a retry racing its
# first attempt ends soon); then its caller answers 503 with Retry-After.
_GROUP_CONFLICT_ATTEMPTS = 1
_ALONE_CONFLICT_ATTEMPTS = 3


Pending = tuple[
    TrackingRecord,
    CloudEvent[Any],
    StoredAnswer | None,
    Person | None,
    Sequence[SentFile],
    "asyncio.Future[None]",
]


class MongoSubmissionStore:
    """Commits are grouped: submissions arriving within a few milliseconds share one
    transaction (one round trip per collection instead of one per submission), and each
    caller still waits for its own submission to be durable before answering.

    The window (`SIANG_INTAKE_COMMIT_GROUP_MS`, 5 ms) costs a lone submission that much;
    at 500 submissions/s the 5 ms window makes groups of two or three, which keeps the
    database far enough from saturation that the p99 stayed at 25-36 ms over four runs
    (with 2 ms: 24-54 ms over six)."""

    def __init__(
        self,
        client: AsyncMongoClient[Document],
        records: TrackingRecords,
        answers: IdempotencyAnswers,
        outbox: Outbox,
        people: PersonalData | None = None,
        *,
        group_window: float = 0.005,
        group_max: int = 200,
        read_timeout: float = 3.0,
    ) -> None:
        self._client = client
        self._records = records
        self._answers = answers
        self._outbox = outbox
        # The personal-data store lives in the same database as the tracking records.
        self._people = people or PersonalData(records.collection.database)
        self._files = SubmissionFiles(records.collection.database)
        self._read_timeout = read_timeout
        self._window = group_window
        self._max = group_max
        self._pending: list[Pending] = []
        self._flusher: asyncio.Task[None] | None = None

    async def stored_answer(self, record_id: str) -> StoredAnswer | None:
        # PyMongo's own operation timeout, not a cancellation from outside: cancelling the
        # driver while it waits for a server (asyncio.wait_for) can leave its topology
        # lock released twice, and later operations then fail with RuntimeError
        # ("cannot wait on un-acquired lock") instead of a PyMongoError.
        try:
            with pymongo.timeout(self._read_timeout):
                return await self._answers.get(record_id)
        except PyMongoError as exc:
            raise StoreUnavailable(repr(exc)) from exc

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
        """Wait up to `timeout` for the submission's group to commit. A submission still
        queued then (behind other groups: an overloaded or absent MongoDB) is withdrawn,
        so `StoreUnavailable` means it will never be written, and a 503 saying "nothing
        was accepted" is true: otherwise it was written anyway, and a client that retried
        without an Idempotency-Key got a second case. One whose transaction is under way
        cannot be withdrawn: with `settle` the caller waits up to `timeout` more for its
        outcome; past that (a MongoDB that stopped mid-commit) it may yet commit."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        # Its outcome is read only if the caller still waits for it.
        future.add_done_callback(lambda f: f.cancelled() or f.exception())
        item: Pending = (record, event, answer, person, files, future)
        self._pending.append(item)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="intake-group-commit")
        try:
            await asyncio.wait_for(asyncio.shield(future), timeout)
            return
        except TimeoutError:
            if self._withdraw(item):
                raise StoreUnavailable("not taken into a transaction in time; withdrawn") from None
        except asyncio.CancelledError:
            self._withdraw(item)  # the caller is gone: nobody would hear it was accepted
            raise
        if not settle:
            raise StoreUnavailable("its transaction did not finish in time")
        try:
            await asyncio.wait_for(asyncio.shield(future), timeout)
        except TimeoutError:
            raise StoreUnavailable("its transaction did not finish in time; it may yet") from None

    def _withdraw(self, item: Pending) -> bool:
        """Take `item` out of the queue if no group holds it yet; whether it was there."""
        kept = [p for p in self._pending if p is not item]
        withdrawn = len(kept) < len(self._pending)
        self._pending = kept
        return withdrawn

    async def _flush(self) -> None:
        while self._pending:
            await asyncio.sleep(self._window)  # let the submissions arriving now join in
            group, self._pending = self._pending[: self._max], self._pending[self._max :]
            if group:  # else every one of them was withdrawn meanwhile
                await self._commit(group)

    async def _commit(self, group: list[Pending]) -> None:
        """Commit `group` in one transaction and tell each caller its outcome. When one
        of their keys was taken, or is held by another transaction, the group is halved
        until that one is alone: the others are not held up by it, and one held key
        among two hundred costs about sixteen short transactions, not two hundred."""
        if len(group) == 1:
            await self._settle(group[0], self._commit_one(group[0]))
            return
        try:
            await self._commit_group(group, conflict_attempts=_GROUP_CONFLICT_ATTEMPTS)
        except (AlreadyStored, _Contended):
            half = len(group) // 2
            await self._commit(group[:half])
            await self._commit(group[half:])
            return
        except Exception as exc:  # noqa: BLE001 - every caller hears the same failure
            for *_, future in group:
                if not future.done():
                    future.set_exception(exc)
            return
        for *_, future in group:
            if not future.done():
                future.set_result(None)

    async def _write(self, group: list[Pending], session: AsyncClientSession) -> None:
        # The idempotency answers first: a concurrent retry fails here, before the rest.
        answers = [answer for _, _, answer, *_ in group if answer is not None]
        if answers:
            await self._answers.insert_many(answers, session)
        people = [
            PersonalData.document(
                p.person_id, p.contact, source=p.channel.value, at=record.received_at
            )
            for record, _, _, p, _, _ in group
            if p is not None
        ]
        await self._people.insert_new(people, session)
        await self._records.insert_many([record for record, *_ in group], session)
        await self._files.insert(
            [
                gridfs_documents(
                    file,
                    submission_id=record.submission_id,
                    person_id=p.person_id if p else None,
                    channel=record.channel,
                    at=record.received_at,
                    position=n,
                )
                for record, _, _, p, files, _ in group
                for n, file in enumerate(files, start=1)
            ],
            session,
        )
        await self._outbox.add([event for _, event, *_ in group], session)

    async def _commit_group(
        self, group: list[Pending], *, conflict_attempts: int | None = None
    ) -> None:
        async def work(session: AsyncClientSession) -> None:
            await self._write(group, session)

        await _translated(in_transaction(self._client, work, conflict_attempts=conflict_attempts))

    async def _commit_one(self, item: Pending) -> None:
        try:
            await self._commit_group([item], conflict_attempts=_ALONE_CONFLICT_ATTEMPTS)
        except _Contended as exc:
            # Its idempotency answer is the one thing a submission writes that another
            # transaction can hold (everything else has fresh ids).
            if item[2] is not None:
                raise KeyInUse("its Idempotency-Key is held by another transaction") from exc
            raise

    @staticmethod
    async def _settle(item: Pending, work: Any) -> None:
        future = item[5]
        try:
            await work
        except Exception as exc:  # noqa: BLE001 - handed to the waiting caller
            if not future.done():
                future.set_exception(exc)
            return
        if not future.done():
            future.set_result(None)

    async def close(self) -> None:
        if self._flusher is not None:
            with contextlib.suppress(Exception):
                await self._flusher

    async def save_after_publish(self, record: TrackingRecord, answer: StoredAnswer | None) -> None:
        async def work(session: AsyncClientSession) -> None:
            await self._records.insert(record, session)
            if answer is not None:
                await self._answers.insert(answer, session)

        await _translated(in_transaction(self._client, work))


class _Contended(StoreUnavailable):
    """Write conflicts outlasted the attempts given (see `_GROUP_CONFLICT_ATTEMPTS`)."""


async def _translated(work: Any) -> None:
    try:
        await work
    except TransactionConflict as exc:
        raise _Contended(str(exc)) from exc
    except DuplicateKeyError as exc:
        raise AlreadyStored(str(exc.details)) from exc
    except BulkWriteError as exc:
        codes = sorted({e.get("code") for e in exc.details.get("writeErrors", [])}, key=str)
        if _DUPLICATE_KEY in codes:
            raise AlreadyStored("duplicate in bulk write") from exc
        # Not repr(exc): a bulk write error quotes the documents, contacts included.
        raise StoreUnavailable(f"bulk write failed, codes {codes}") from exc
    except PyMongoError as exc:
        # Any other failure (no server, timeout, write concern, no transactions): the
        # submission is not known to be stored, so the handler tries Kafka.
        raise StoreUnavailable(repr(exc)) from exc
