"""The processed-event ledger: every consumer records the event ids it applied, in the
same transaction as the effect, so a redelivered event changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from shared.infra.by_ids import ids_in
from shared.infra.mongo import Document


class ProcessedEvents:
    def __init__(self, db: AsyncDatabase[Document], consumer: str) -> None:
        self.collection = db["processed_events"]
        self.consumer = consumer

    def _id(self, event_id: str) -> str:
        return f"{self.consumer}:{event_id}"

    async def seen(self, event_id: str, session: AsyncClientSession | None = None) -> bool:
        return (
            await self.collection.find_one({"_id": self._id(event_id)}, session=session) is not None
        )

    async def record(self, event_id: str, session: AsyncClientSession) -> bool:
        """Record `event_id` inside the caller's transaction; False if it was already
        there, and the caller then applies nothing.

        The read comes first because a duplicate-key error inside a transaction aborts the
        whole transaction. Two deliveries racing each other both pass the read; the unique
        `_id` then fails one of them, whose retry sees the event as applied.
        """
        if await self.seen(event_id, session):
            return False
        await self.collection.insert_one(
            {"_id": self._id(event_id), "consumer": self.consumer, "at": datetime.now(UTC)},
            session=session,
        )
        return True

    async def record_many(self, event_ids: list[str], session: AsyncClientSession) -> set[str]:
        """Record a batch inside the caller's transaction; returns the ids not seen before
        (each only once, even if the batch repeats it)."""
        wanted = {self._id(e): e for e in event_ids}
        seen = await ids_in(self.collection, wanted, session=session)
        fresh = {k: v for k, v in wanted.items() if k not in seen}
        if fresh:
            now = datetime.now(UTC)
            await self.collection.insert_many(
                [{"_id": k, "consumer": self.consumer, "at": now} for k in fresh], session=session
            )
        return set(fresh.values())
