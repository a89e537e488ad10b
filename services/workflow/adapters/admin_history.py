"""Every admin change (`workflow_admin_history`): written in the transaction of the change
it records, read newest first a page at a time."""

from __future__ import annotations

from pymongo import DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from services.workflow.domain.admin_history import HistoryEntry
from shared.infra.mongo import Document

COLLECTION = "workflow_admin_history"
NEWEST_FIRST = [("at", DESCENDING), ("_id", DESCENDING)]


class AdminHistory:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.entries = db[COLLECTION]

    async def ensure_indexes(self) -> None:
        # Also creates the collection, which a transaction's first insert may not do.
        await self.entries.create_index(NEWEST_FIRST)

    async def record(self, entry: HistoryEntry, session: AsyncClientSession) -> None:
        await self.entries.insert_one(entry.model_dump(mode="python"), session=session)

    async def newest(self, skip: int, limit: int) -> list[HistoryEntry]:
        cursor = self.entries.find({}, projection={"_id": 0}).sort(NEWEST_FIRST)
        return [HistoryEntry.model_validate(d) async for d in cursor.skip(skip).limit(limit)]

    async def count(self) -> int:
        return await self.entries.count_documents({})
