"""Committees in MongoDB (`participation_committees`): the committee, its members (each
naming its person only by `person_id`) and the history of its changes, in one document;
a member's name and contact go to the personal-data store in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from services.participation.adapters.consultation_store import StaleVersion
from services.participation.domain.committees import AppointmentOrder, CommitteeDraft, Member
from services.participation.domain.errors import NotFound
from shared.contract.events import CloudEvent
from shared.infra.by_ids import find_in
from shared.infra.mongo import Document
from shared.infra.outbox import Outbox
from shared.infra.personal_data import PersonalData

COMMITTEES = "participation_committees"
_DRAFT_FIELDS = tuple(CommitteeDraft.model_fields)


def committee_of(doc: Document) -> CommitteeDraft:
    return CommitteeDraft.model_validate({k: doc[k] for k in _DRAFT_FIELDS if k in doc})


def members_of(doc: Document) -> list[Member]:
    return [Member.model_validate(m) for m in doc.get("members", [])]


def new_committee(committee_id: str, draft: CommitteeDraft, actor: str, at: datetime) -> Document:
    """The document of a newly appointed committee: no members yet."""
    return {
        "_id": committee_id,
        "version": 1,
        **draft.model_dump(mode="json"),
        "members": [],
        "history": [{"at": at, "actor": actor, "action": "appointed", "order": draft.order.number}],
        "created_at": at,
        "created_by": actor,
    }


class CommitteeStore:
    def __init__(self, db: AsyncDatabase[Document], people: PersonalData, outbox: Outbox) -> None:
        self.committees = db[COMMITTEES]
        self.people = people
        self.outbox = outbox

    async def ensure_indexes(self) -> None:
        await self.committees.create_index([("term_starts_on", DESCENDING)])

    async def insert(self, doc: Document) -> None:
        await self.committees.insert_one(doc)

    async def get(self, committee_id: str, session: AsyncClientSession | None = None) -> Document:
        doc = await self.committees.find_one({"_id": committee_id}, session=session)
        if doc is None:
            raise NotFound("committee", committee_id)
        return doc

    async def names(self, ids: set[str]) -> dict[str, tuple[str, str | None]]:
        """The Thai and English names of the committees `ids` on file."""
        found = await find_in(
            self.committees, "_id", sorted(ids), projection={"name_th": 1, "name_en": 1}
        )
        return {d["_id"]: (d["name_th"], d.get("name_en")) for d in found}

    async def search(self, limit: int = 200) -> list[Document]:
        cursor = self.committees.find({}, {"history": 0}).sort("term_starts_on", DESCENDING)
        return [d async for d in cursor.limit(limit)]

    async def save_members(
        self,
        doc: Document,
        members: list[Member],
        history: Document,
        person: Document | None,
        session: AsyncClientSession,
    ) -> Document:
        """Write the members and a history entry if the committee is still at the version
        read, and the new member's person (if any) in the same transaction."""
        listed = [m.model_dump(mode="json") for m in members]
        result = await self.committees.update_one(
            {"_id": doc["_id"], "version": doc["version"]},
            {"$set": {"members": listed}, "$inc": {"version": 1}, "$push": {"history": history}},
            session=session,
        )
        if result.matched_count != 1:
            raise StaleVersion(doc["_id"])
        if person is not None:
            await self.people.insert_many([person], session=session)
        return {
            **doc,
            "members": listed,
            "version": doc["version"] + 1,
            "history": [*doc.get("history", []), history],
        }

    async def add_order(
        self,
        doc: Document,
        order: Document,
        history: Document,
        events: Sequence[CloudEvent[Any]],
        session: AsyncClientSession,
    ) -> Document:
        """Add an appointment order's document (already in GridFS) to the committee, if it
        is still at the version read, with its event."""
        result = await self.committees.update_one(
            {"_id": doc["_id"], "version": doc["version"]},
            {"$push": {"orders": order, "history": history}, "$inc": {"version": 1}},
            session=session,
        )
        if result.matched_count != 1:
            raise StaleVersion(doc["_id"])
        await self.outbox.add(events, session)
        return {
            **doc,
            "orders": [*doc.get("orders", []), order],
            "version": doc["version"] + 1,
            "history": [*doc.get("history", []), history],
        }


def order_entry(
    order_id: str,
    order: AppointmentOrder,
    file_id: str,
    media: str,
    size: int,
    actor: str,
    at: datetime,
) -> Document:
    """An appointment order's line on its committee: the order and where its file is."""
    return {
        "order_id": order_id,
        **order.model_dump(mode="json", exclude={"document"}),
        "file_id": file_id,
        "content_type": media,
        "size_bytes": size,
        "uploaded_at": at,
        "uploaded_by": actor,
    }
