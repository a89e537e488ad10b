"""Wrong passwords in MongoDB (`sign_in_failures`): how many per username in the current
window, and until when a username is locked. Kept per username typed, whether or not
such an account exists, so a lock-out tells nobody which accounts exist; a record
expires once neither its window nor its lock matters (TTL index on `expires_at`)."""

from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from services.workflow.domain.accounts import LockoutPolicy, window_start
from shared.infra.mongo import Document


def username_key(username: str) -> str:
    """One record per account however its name is typed (ids are lower case)."""
    return username.strip().lower()[:64]


class SignInAttempts:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.failures = db["sign_in_failures"]

    async def ensure_indexes(self) -> None:
        await self.failures.create_index([("expires_at", ASCENDING)], expireAfterSeconds=0)

    async def locked_until(self, username: str) -> datetime | None:
        doc = await self.failures.find_one({"_id": username_key(username)})
        return doc.get("locked_until") if doc else None

    async def count_failure(self, username: str, now: datetime, policy: LockoutPolicy) -> int:
        """One more wrong password; returns how many there were in the window (a window
        that began longer ago than the policy's starts again now)."""
        key = username_key(username)
        # Two atomic steps: at worst two racing failures at a window's edge count apart.
        await self.failures.update_one(
            {"_id": key, "window_start": {"$lt": window_start(policy, now)}},
            {"$set": {"failures": 0, "window_start": now}},
        )
        doc = await self.failures.find_one_and_update(
            {"_id": key},
            {
                "$inc": {"failures": 1},
                "$set": {"expires_at": now + policy.window},
                "$setOnInsert": {"window_start": now},
            },
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        return int(doc["failures"]) if doc else 1

    async def lock(self, username: str, until: datetime) -> None:
        """Lock the username until then, and count afresh after."""
        await self.failures.update_one(
            {"_id": username_key(username)},
            {"$set": {"failures": 0, "locked_until": until, "expires_at": until}},
        )

    async def clear(self, username: str) -> None:
        await self.failures.delete_one({"_id": username_key(username)})
