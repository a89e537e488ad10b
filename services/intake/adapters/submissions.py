"""Intake's tracking records in MongoDB.

The record holds no personal data and no description: only what answers "where is my
submission?" and the PIN's hash. The case's later progress is read from the workflow's
`cases` collection by `services/intake/adapters/case_progress.py`.
"""

from __future__ import annotations

from dataclasses import asdict

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from services.intake.domain.tracking import TrackingRecord
from services.intake.handlers.ports import StoreUnavailable
from shared.infra.mongo import Document


class TrackingRecords:
    def __init__(self, db: AsyncDatabase[Document], collection: str = "submissions") -> None:
        self.collection = db[collection]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("tracking_code", ASCENDING)], unique=True)

    async def insert(
        self, record: TrackingRecord, session: AsyncClientSession | None = None
    ) -> None:
        doc = asdict(record)
        doc["_id"] = doc.pop("submission_id")
        doc["status"] = "received"
        await self.collection.insert_one(doc, session=session)

    async def insert_many(
        self, records: list[TrackingRecord], session: AsyncClientSession | None = None
    ) -> None:
        docs = []
        for record in records:
            doc = asdict(record)
            doc["_id"] = doc.pop("submission_id")
            doc["status"] = "received"
            docs.append(doc)
        await self.collection.insert_many(docs, ordered=True, session=session)

    async def by_tracking_code(self, code: str) -> TrackingRecord | None:
        try:
            doc = await self.collection.find_one({"tracking_code": code})
        except PyMongoError as exc:
            raise StoreUnavailable(repr(exc)) from exc
        if doc is None:
            return None
        return TrackingRecord(
            submission_id=doc["_id"],
            tracking_code=doc["tracking_code"],
            pin_hash=doc["pin_hash"],
            channel=doc["channel"],
            kind=doc["kind"],
            category=doc["category"],
            language=doc["language"],
            received_at=doc["received_at"],
            keyed_by=doc.get("keyed_by"),
            withdrawn_at=doc.get("withdrawn_at"),
        )
