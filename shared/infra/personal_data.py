"""The one erasable store of personal data (Thailand's PDPA; DESIGN.md, Personal data).

A person's contact details (name, phone, e-mail, LINE and Facebook ids) are written here
once, by the service that first receives them, under a reference (`person_id`). Events,
the event store, Kafka and logs carry only the reference, so an erasure that deletes the
document here leaves nothing readable anywhere else: no retained Kafka record has to be
rewritten. We chose references over per-person encryption keys because nothing then
needs the key to travel, and a reader that was not given the data cannot leak it.

Reads for staff go through `read_for`, which records who read whose data and why
(`personal_data_reads`); machine reads (sending a notice, duplicate detection) use
`contacts`. The collection is shared like `processed_events`: written by intake (and
each channel adapter), read by workflow and notifications, erased by workflow's privacy
commands.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from shared.contract.events import Contact
from shared.infra.by_ids import find_in, slices
from shared.infra.mongo import Document

PEOPLE = "personal_data"
READS = "personal_data_reads"
_PERSON_NS = uuid.UUID("9b7f3c1e-2d4a-4e6b-8c0d-5a1f2e3d4c5b")


def person_id_for(source_id: str) -> str:
    """The reference of the person behind one submission (or other record): derived from
    it, so a retried write lands on the same document instead of a second copy."""
    return f"p-{uuid.uuid5(_PERSON_NS, source_id).hex[:20]}"


@dataclass(frozen=True, slots=True)
class Reader:
    """Who reads personal data, and why (recorded with every staff read)."""

    staff_id: str
    purpose: str


class PersonalData:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.people = db[PEOPLE]
        self.reads = db[READS]

    async def ensure_indexes(self) -> None:
        await self.reads.create_index([("person_id", 1), ("at", 1)])

    @staticmethod
    def document(person_id: str, contact: Contact, *, source: str, at: datetime) -> Document:
        return {
            "_id": person_id,
            "contact": contact.model_dump(mode="json", exclude_none=True),
            "source": source,
            "created_at": at,
        }

    async def insert_many(
        self, documents: list[Document], session: AsyncClientSession | None = None
    ) -> None:
        """Write people in the caller's transaction (the same one as the record that
        refers to them). Ids already present, or repeated, are written once."""
        if not documents:
            return
        present = {
            d["_id"]
            for d in await find_in(
                self.people,
                "_id",
                [d["_id"] for d in documents],
                projection={"_id": 1},
                session=session,
            )
        }
        # The same person twice in one call (a redelivered record) is written once.
        fresh = list({d["_id"]: d for d in documents if d["_id"] not in present}.values())
        if fresh:
            await self.people.insert_many(fresh, session=session)

    async def insert_new(
        self, documents: list[Document], session: AsyncClientSession | None = None
    ) -> None:
        """Write people whose references derive from records minted in the same
        transaction (intake's fresh submission ids), so none can be on file yet: one
        statement, no read first. A duplicate raises PyMongo's duplicate-key error."""
        if documents:
            await self.people.insert_many(documents, ordered=True, session=session)

    async def contacts(
        self, person_ids: Iterable[str], session: AsyncClientSession | None = None
    ) -> dict[str, Contact]:
        """The contact of each person still on file (erased people are simply absent)."""
        wanted = sorted({p for p in person_ids if p})
        if not wanted:
            return {}
        found = await find_in(self.people, "_id", wanted, session=session)
        return {d["_id"]: Contact.model_validate(d.get("contact") or {}) for d in found}

    async def read_for(
        self, reader: Reader, person_ids: Iterable[str], *, about: str | None = None
    ) -> dict[str, Contact]:
        """A staff read: the contacts, and one access record per person read."""
        found = await self.contacts(person_ids)
        if found:
            now = datetime.now(UTC)
            await self.reads.insert_many(
                [
                    {
                        "person_id": p,
                        "staff_id": reader.staff_id,
                        "purpose": reader.purpose,
                        "about": about,
                        "at": now,
                    }
                    for p in found
                ]
            )
        return found

    async def export(self, person_id: str) -> Document | None:
        """Everything held about one person (right of access), reads included."""
        doc = await self.people.find_one({"_id": person_id})
        if doc is None:
            return None
        reads = [
            {k: v for k, v in r.items() if k != "_id"}
            async for r in self.reads.find({"person_id": person_id}).sort("at", 1)
        ]
        return {**doc, "reads": reads}

    async def erase(
        self, person_ids: Iterable[str], session: AsyncClientSession | None = None
    ) -> int:
        """Delete the people; returns how many were still on file. The read log keeps
        only references, so it stays as the proof of who looked before the erasure."""
        erased = 0
        for part in slices(sorted(set(person_ids))):
            result = await self.people.delete_many({"_id": {"$in": part}}, session=session)
            erased += result.deleted_count
        return erased


def contact_summary(contact: Contact | None) -> Mapping[str, Any]:
    """What may be said about a contact without revealing it (for events and logs)."""
    if contact is None:
        return {}
    return {k: True for k, v in contact.model_dump().items() if v}
