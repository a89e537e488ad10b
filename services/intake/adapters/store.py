"""The MongoDB side of receiving: tracking record + outbox row + idempotency answer in ONE
transaction. Translates PyMongo's errors into the handler's two: `AlreadyStored` and
`StoreUnavailable`."""

from __future__ import annotations

from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import BulkWriteError, DuplicateKeyError, PyMongoError

from services.intake.adapters.idempotency import IdempotencyAnswers
from services.intake.adapters.submissions import TrackingRecords
from services.intake.domain.idempotency import StoredAnswer
from services.intake.domain.tracking import TrackingRecord
from services.intake.handlers.ports import AlreadyStored, StoreUnavailable
from shared.events import CloudEvent
from shared.mongo import Document, in_transaction
from shared.outbox import Outbox

_DUPLICATE_KEY = 11000


class MongoSubmissionStore:
    def __init__(
        self,
        client: AsyncMongoClient[Document],
        records: TrackingRecords,
        answers: IdempotencyAnswers,
        outbox: Outbox,
    ) -> None:
        self._client = client
        self._records = records
        self._answers = answers
        self._outbox = outbox

    async def stored_answer(self, record_id: str) -> StoredAnswer | None:
        try:
            return await self._answers.get(record_id)
        except PyMongoError as exc:
            raise StoreUnavailable(repr(exc)) from exc

    async def commit(
        self, record: TrackingRecord, event: CloudEvent[Any], answer: StoredAnswer | None
    ) -> None:
        async def work(session: AsyncClientSession) -> None:
            # The idempotency answer first: a concurrent retry fails here, before the rest.
            if answer is not None:
                await self._answers.insert(answer, session)
            await self._records.insert(record, session)
            await self._outbox.add([event], session)

        await _translated(in_transaction(self._client, work))

    async def save_after_publish(self, record: TrackingRecord, answer: StoredAnswer | None) -> None:
        async def work(session: AsyncClientSession) -> None:
            await self._records.insert(record, session)
            if answer is not None:
                await self._answers.insert(answer, session)

        await _translated(in_transaction(self._client, work))


async def _translated(work: Any) -> None:
    try:
        await work
    except DuplicateKeyError as exc:
        raise AlreadyStored(str(exc.details)) from exc
    except BulkWriteError as exc:
        if any(e.get("code") == _DUPLICATE_KEY for e in exc.details.get("writeErrors", [])):
            raise AlreadyStored("duplicate in bulk write") from exc
        raise StoreUnavailable(repr(exc)) from exc
    except PyMongoError as exc:
        # Any other failure (no server, timeout, write concern, no transactions): the
        # submission is not known to be stored, so the handler tries Kafka.
        raise StoreUnavailable(repr(exc)) from exc
