"""Wrong tracking PINs in MongoDB (`tracking_attempts`): how many in a row per tracking
code, and until when a code is locked after too many."""

from __future__ import annotations

from datetime import datetime

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from shared.infra.mongo import Document


class TrackingAttempts:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.attempts = db["tracking_attempts"]

    async def locked_until(self, code: str) -> datetime | None:
        doc = await self.attempts.find_one({"_id": code})
        return doc.get("locked_until") if doc else None

    async def count_failure(self, code: str) -> int:
        """One more wrong PIN for the code; returns the wrong PINs since the last lock."""
        doc = await self.attempts.find_one_and_update(
            {"_id": code},
            {"$inc": {"failures": 1}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        return int(doc["failures"]) if doc else 0

    async def lock(self, code: str, until: datetime) -> None:
        """Lock the code until then, and start counting afresh."""
        await self.attempts.update_one(
            {"_id": code}, {"$set": {"failures": 0, "locked_until": until}}
        )

    async def clear(self, code: str) -> None:
        await self.attempts.delete_one({"_id": code})
