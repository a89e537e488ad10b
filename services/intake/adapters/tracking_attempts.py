"""Lookups of tracking codes in MongoDB (`tracking_attempts`, owned by intake): how many
since the code's last lock or right PIN, and until when a code is locked. One document
per code that was ever looked up with a wrong PIN, keyed by the code; the field names are
those the workflow used when it answered tracking, so a lock it set still holds.

A record is forgotten a day after its last wrong PIN, or when its lock ends if that is
later (TTL index on `expires_at`): guesses at codes that do not exist would otherwise
leave a document each, for ever."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from services.intake.handlers.ports import StoreUnavailable
from shared.infra.mongo import Document

COLLECTION = "tracking_attempts"
FORGET_AFTER = timedelta(days=1)


class TrackingAttempts:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.attempts = db[COLLECTION]

    async def ensure_indexes(self) -> None:
        await self.attempts.create_index([("expires_at", ASCENDING)], expireAfterSeconds=0)

    async def locked_until(self, code: str) -> datetime | None:
        try:
            doc = await self.attempts.find_one({"_id": code}, projection={"locked_until": 1})
        except PyMongoError as exc:
            raise StoreUnavailable(repr(exc)) from exc
        return doc.get("locked_until") if doc else None

    async def count(self, code: str) -> tuple[int, datetime | None]:
        """One more lookup of the code, counted atomically: the lookups since its last lock
        or right PIN, and the lock as it stands after the count (another request may have
        locked the code since `locked_until` was read)."""
        try:
            doc = await self.attempts.find_one_and_update(
                {"_id": code},
                {
                    "$inc": {"failures": 1},
                    # Never earlier than a lock still running ($max keeps the later).
                    "$max": {"expires_at": datetime.now(UTC) + FORGET_AFTER},
                },
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        except PyMongoError as exc:
            raise StoreUnavailable(repr(exc)) from exc
        if doc is None:
            return 0, None
        return int(doc["failures"]), doc.get("locked_until")

    async def lock(self, code: str, until: datetime) -> None:
        """Lock the code until then, and start counting afresh."""
        try:
            await self.attempts.update_one(
                {"_id": code},
                {"$set": {"failures": 0, "locked_until": until}, "$max": {"expires_at": until}},
                upsert=True,
            )
        except PyMongoError as exc:
            raise StoreUnavailable(repr(exc)) from exc

    async def clear(self, code: str) -> None:
        """The right PIN: the wrong ones before it no longer count."""
        try:
            await self.attempts.delete_one({"_id": code})
        except PyMongoError as exc:
            raise StoreUnavailable(repr(exc)) from exc
