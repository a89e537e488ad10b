"""Requests per address and window in MongoDB (`rate_limits`, owned by intake), shared by
every intake replica: one document per scope, address and window, counted with one
atomic `$inc` (upserted) per batch of requests (`handlers/rate_limit.py`), and dropped by
a TTL index once its window ends.

The counts are a brake, not a record: they are written without waiting for the journal
or a majority (a count lost in a crash lets an address a few requests more), and each
statement is given up after `timeout` by the driver itself, never cancelled from outside
(which can break PyMongo's topology lock)."""

from __future__ import annotations

from datetime import UTC, datetime

import pymongo
from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError
from pymongo.read_concern import ReadConcern
from pymongo.write_concern import WriteConcern

from services.intake.domain.rate_limit import Window
from services.intake.handlers.ports import StoreUnavailable
from shared.infra.mongo import Document

COLLECTION = "rate_limits"


class RateCounts:
    def __init__(self, db: AsyncDatabase[Document], *, timeout: float) -> None:
        self.counts = db.get_collection(
            COLLECTION,
            write_concern=WriteConcern(w=1, j=False),
            read_concern=ReadConcern("local"),
        )
        self._timeout = timeout

    async def ensure_indexes(self) -> None:
        await self.counts.create_index([("expires_at", ASCENDING)], expireAfterSeconds=0)

    async def add(self, key: str, window: Window, count: int) -> int:
        """`count` more requests of `key` (scope and address) in `window`; the count so far
        in it across every replica. Raises `StoreUnavailable` if MongoDB does not answer."""
        try:
            with pymongo.timeout(self._timeout):
                doc = await self.counts.find_one_and_update(
                    {"_id": f"{key}@{window.start}"},
                    {
                        "$inc": {"n": count},
                        "$setOnInsert": {"expires_at": datetime.fromtimestamp(window.end, UTC)},
                    },
                    projection={"n": 1, "_id": 0},
                    upsert=True,
                    return_document=ReturnDocument.AFTER,
                )
        except PyMongoError as exc:
            raise StoreUnavailable(repr(exc)) from exc
        return int(doc["n"]) if doc else count
