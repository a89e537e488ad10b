"""The MongoDB side of a complainant's follow-up or withdrawal: the outbox row of its
event, and for a withdrawal the mark on intake's tracking record, in ONE transaction
(majority, journal), so it is durable before the person is told, and the relay publishes
it after any crash. Translates PyMongo's errors into the handler's: `AlreadyStored` (the
same request again: its event id is the outbox row's id), `NotWithdrawable` (withdrawn
already, by a request that won the race) and `StoreUnavailable`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pymongo
from pymongo import AsyncMongoClient
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import BulkWriteError, DuplicateKeyError, PyMongoError

from services.intake.adapters.submissions import TrackingRecords
from services.intake.errors import NotWithdrawable
from services.intake.handlers.ports import AlreadyStored, StoreUnavailable
from shared.contract.events import CloudEvent
from shared.infra.mongo import Document, in_transaction
from shared.infra.outbox import Outbox


class FollowUpStore:
    def __init__(
        self,
        client: AsyncMongoClient[Document],
        records: TrackingRecords,
        outbox: Outbox,
        *,
        timeout: float,
    ) -> None:
        self._client = client
        self._records = records.collection
        self._outbox = outbox
        self._timeout = timeout

    async def commit(
        self, event: CloudEvent[Any], *, withdrawn: tuple[str, datetime] | None = None
    ) -> None:
        """Write `event` to the outbox; with `withdrawn` (submission id, when), mark the
        tracking record withdrawn in the same transaction."""

        async def work(session: AsyncClientSession) -> None:
            if withdrawn is not None:
                submission_id, at = withdrawn
                marked = await self._records.update_one(
                    {"_id": submission_id, "withdrawn_at": None},
                    {"$set": {"withdrawn_at": at}},
                    session=session,
                )
                if marked.matched_count == 0:
                    raise NotWithdrawable("withdrawn")
            await self._outbox.add([event], session)

        try:
            # PyMongo's own timeout, never a cancellation from outside (see store.py).
            with pymongo.timeout(self._timeout):
                await in_transaction(self._client, work)
        except (DuplicateKeyError, BulkWriteError) as exc:
            if _duplicate(exc):
                raise AlreadyStored(event.id) from exc
            raise StoreUnavailable(type(exc).__name__) from exc
        except PyMongoError as exc:
            raise StoreUnavailable(type(exc).__name__) from exc


def _duplicate(exc: PyMongoError) -> bool:
    if isinstance(exc, DuplicateKeyError):
        return True
    assert isinstance(exc, BulkWriteError)
    return any(e.get("code") == 11000 for e in exc.details.get("writeErrors", []))
