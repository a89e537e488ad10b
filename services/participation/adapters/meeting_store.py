"""Committee meetings in MongoDB (`participation_meetings`), one document each: the day,
agenda, attendance by member id, minutes, resolutions, status and history; written with
its event to the outbox in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from services.participation.adapters.consultation_store import StaleVersion
from services.participation.domain.errors import NotFound
from services.participation.domain.meetings import Meeting, MeetingDraft, MeetingStatus
from shared.contract.events import CloudEvent
from shared.infra.mongo import Document
from shared.infra.outbox import Outbox

MEETINGS = "participation_meetings"


def meeting_of(doc: Document) -> Meeting:
    fields = {k: doc[k] for k in Meeting.model_fields if k in doc and k != "meeting_id"}
    return Meeting.model_validate({**fields, "meeting_id": doc["_id"]})


def meeting_fields(draft: MeetingDraft) -> Document:
    return draft.model_dump(mode="json")


def history_entry(actor: str, at: datetime, action: str) -> Document:
    return {"at": at, "actor": actor, "action": action}


def new_meeting(
    meeting_id: str, committee_id: str, draft: MeetingDraft, actor: str, at: datetime
) -> Document:
    return {
        "_id": meeting_id,
        "committee_id": committee_id,
        "version": 1,
        "status": MeetingStatus.recorded.value,
        **meeting_fields(draft),
        "history": [history_entry(actor, at, "recorded")],
        "created_at": at,
        "created_by": actor,
        "updated_at": at,
    }


class MeetingStore:
    def __init__(self, db: AsyncDatabase[Document], outbox: Outbox) -> None:
        self.meetings = db[MEETINGS]
        self.outbox = outbox

    async def ensure_indexes(self) -> None:
        await self.meetings.create_index([("committee_id", ASCENDING), ("held_on", DESCENDING)])

    async def insert(
        self, doc: Document, events: Sequence[CloudEvent[Any]], session: AsyncClientSession
    ) -> None:
        await self.meetings.insert_one(doc, session=session)
        await self.outbox.add(events, session)

    async def get(
        self, committee_id: str, meeting_id: str, session: AsyncClientSession | None = None
    ) -> Document:
        doc = await self.meetings.find_one(
            {"_id": meeting_id, "committee_id": committee_id}, session=session
        )
        if doc is None:
            raise NotFound("meeting", meeting_id)
        return doc

    async def held_between(self, first: str, last: str, limit: int = 200) -> list[Document]:
        """Meetings of any committee held from `first` to `last` (ISO days), with their
        resolutions: what the outcome form offers to answer."""
        cursor = self.meetings.find(
            {"held_on": {"$gte": first, "$lte": last}},
            {"committee_id": 1, "status": 1, "held_on": 1, "title_th": 1, "resolutions": 1},
        )
        return [d async for d in cursor.sort("held_on", DESCENDING).limit(limit)]

    async def of_committee(self, committee_id: str, limit: int = 200) -> list[Document]:
        cursor = self.meetings.find({"committee_id": committee_id}, {"history": 0})
        return [d async for d in cursor.sort("held_on", DESCENDING).limit(limit)]

    async def update(
        self,
        doc: Document,
        changes: Document,
        history: Document,
        events: Sequence[CloudEvent[Any]],
        session: AsyncClientSession,
    ) -> Document:
        """Apply `changes` if the meeting is still at the version read, with its events."""
        result = await self.meetings.update_one(
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
