"""Intake's tracking records in MongoDB, and the public status read for tracking.

The record holds no personal data and no description: only what answers "where is my
submission?" and the PIN's hash. The case's later status is read from the workflow's
`cases` collection (same database, status fields only) once the case is opened.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

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
        # The workflow's cases, read only: their public status once a case is opened.
        self.case_status = db["cases"]

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
        )

    async def case_status_of(self, code: str) -> tuple[str, datetime | None] | None:
        """The workflow's status for a tracking code, once it has opened the case (read
        from workflow's `cases` collection in the same database, status fields only)."""
        try:
            doc = await self.case_status.find_one(
                {"tracking_code": code}, projection={"status": 1, "updated_at": 1}
            )
        except PyMongoError:
            return None  # the intake's own record still answers
        if doc is None or "status" not in doc:
            return None
        return str(doc["status"]), doc.get("updated_at")
