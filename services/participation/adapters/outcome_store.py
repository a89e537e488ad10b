"""Outcomes ("you said, we did") in MongoDB (`participation_outcomes`), each with its
history of status changes and, once first published, `announced_at` (its people are told
once); written with their events to the outbox in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from services.participation.adapters.complaint_counts import ComplaintCounts
from services.participation.adapters.consultation_store import StaleVersion
from services.participation.domain.errors import NotFound
from services.participation.domain.outcomes import Outcome
from shared.contract.events import CloudEvent
from shared.infra.by_ids import find_in
from shared.infra.mongo import Document
from shared.infra.outbox import Outbox

OUTCOMES = "participation_outcomes"


def outcome_of(doc: Document) -> Outcome:
    fields = {k: doc[k] for k in Outcome.model_fields if k in doc and k != "outcome_id"}
    return Outcome.model_validate({**fields, "outcome_id": doc["_id"]})


def outcome_fields(outcome: Outcome) -> Document:
    return outcome.model_dump(mode="json", exclude={"outcome_id"})


def history_entry(actor: str, at: datetime, before: Outcome | None, after: Outcome) -> Document:
    """One line of an outcome's history: who moved it, when, from and to which status."""
    return {
        "at": at,
        "actor": actor,
        "from_status": before.status.value if before else None,
        "to_status": after.status.value,
        "reason": after.reason,
        "published": after.published,
    }


def new_outcome(outcome: Outcome, actor: str, at: datetime) -> Document:
    return {
        "_id": outcome.outcome_id,
        "version": 1,
        **outcome_fields(outcome),
        "history": [history_entry(actor, at, None, outcome)],
        "announced_at": at if outcome.published else None,
        "created_at": at,
        "created_by": actor,
        "updated_at": at,
    }


class OutcomeStore:
    def __init__(self, db: AsyncDatabase[Document], outbox: Outbox) -> None:
        self.outcomes = db[OUTCOMES]
        self.outbox = outbox
        # A complaint pattern's count, read from reporting's view when recorded or changed.
        self.complaint_counts = ComplaintCounts(db)

    async def ensure_indexes(self) -> None:
        await self.outcomes.create_index([("fiscal_year", DESCENDING), ("mission_item", ASCENDING)])
        await self.outcomes.create_index([("consultation_id", ASCENDING)])

    async def insert(
        self, doc: Document, events: Sequence[CloudEvent[Any]], session: AsyncClientSession
    ) -> None:
        await self.outcomes.insert_one(doc, session=session)
        await self.outbox.add(events, session)

    async def get(self, outcome_id: str, session: AsyncClientSession | None = None) -> Document:
        doc = await self.outcomes.find_one({"_id": outcome_id}, session=session)
        if doc is None:
            raise NotFound("outcome", outcome_id)
        return doc

    async def update(
        self,
        doc: Document,
        changes: Document,
        history: Document,
        events: Sequence[CloudEvent[Any]],
        session: AsyncClientSession,
    ) -> Document:
        result = await self.outcomes.update_one(
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

    async def existing(
        self, outcome_ids: Sequence[str], session: AsyncClientSession | None = None
    ) -> set[str]:
        """Which of `outcome_ids` are outcomes on file (a review names those it led to)."""
        found = await find_in(
            self.outcomes, "_id", list(outcome_ids), projection={"_id": 1}, session=session
        )
        return {d["_id"] for d in found}

    async def search(
        self,
        *,
        fiscal_year: int | None = None,
        consultation_id: str | None = None,
        published_only: bool = False,
        limit: int = 500,
    ) -> list[Document]:
        query: Document = {}
        if fiscal_year is not None:
            query["fiscal_year"] = fiscal_year
        if consultation_id is not None:
            query["consultation_id"] = consultation_id
        if published_only:
            query["published"] = True
        cursor = self.outcomes.find(query).sort(
            [("mission_item", ASCENDING), ("created_at", ASCENDING)]
        )
        return [d async for d in cursor.limit(limit)]
