"""Reviews of performance (`participation_reviews`), one document each with its history
of commands; written with its event to the outbox in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from services.participation.adapters.consultation_store import StaleVersion
from services.participation.domain.errors import NotFound
from services.participation.domain.reviews import Review
from shared.contract.events import CloudEvent
from shared.infra.mongo import Document
from shared.infra.outbox import Outbox

REVIEWS = "participation_reviews"


def review_of(doc: Document) -> Review:
    fields = {k: doc[k] for k in Review.model_fields if k in doc and k != "review_id"}
    return Review.model_validate({**fields, "review_id": doc["_id"]})


def review_fields(review: Review) -> Document:
    return review.model_dump(mode="json", exclude={"review_id"})


def history_entry(
    actor: str, at: datetime, command: str, before: str | None, after: str
) -> Document:
    return {"at": at, "actor": actor, "command": command, "from_status": before, "to_status": after}


def new_review(review: Review, actor: str, at: datetime) -> Document:
    return {
        "_id": review.review_id,
        "version": 1,
        **review_fields(review),
        "history": [history_entry(actor, at, "plan", None, review.status.value)],
        "created_at": at,
        "created_by": actor,
        "updated_at": at,
    }


class ReviewStore:
    def __init__(self, db: AsyncDatabase[Document], outbox: Outbox) -> None:
        self.reviews = db[REVIEWS]
        self.outbox = outbox

    async def ensure_indexes(self) -> None:
        await self.reviews.create_index([("fiscal_year", DESCENDING), ("mission_item", ASCENDING)])

    async def insert(
        self, doc: Document, events: Sequence[CloudEvent[Any]], session: AsyncClientSession
    ) -> None:
        await self.reviews.insert_one(doc, session=session)
        await self.outbox.add(events, session)

    async def get(self, review_id: str, session: AsyncClientSession | None = None) -> Document:
        doc = await self.reviews.find_one({"_id": review_id}, session=session)
        if doc is None:
            raise NotFound("review", review_id)
        return doc

    async def search(
        self, *, fiscal_year: int | None = None, mission_item: str | None = None, limit: int = 200
    ) -> list[Document]:
        query: Document = {}
        if fiscal_year is not None:
            query["fiscal_year"] = fiscal_year
        if mission_item is not None:
            query["mission_item"] = mission_item
        cursor = self.reviews.find(query, {"history": 0}).sort("planned_on", DESCENDING)
        return [d async for d in cursor.limit(limit)]

    async def update(
        self,
        doc: Document,
        changes: Document,
        history: Document,
        events: Sequence[CloudEvent[Any]],
        session: AsyncClientSession,
    ) -> Document:
        result = await self.reviews.update_one(
            {"_id": doc["_id"], "version": doc["version"]},
            {"$set": changes, "$inc": {"version": 1}, "$push": {"history": history}},
            session=session,
        )
        if result.matched_count != 1:
            raise StaleVersion(doc["_id"])
        await self.outbox.add(events, session)
        return {
            **doc,
            **changes,
            "version": doc["version"] + 1,
            "history": [*doc.get("history", []), history],
        }
