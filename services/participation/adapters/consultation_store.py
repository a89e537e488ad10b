"""Consultations and their opinions in MongoDB, with the outbox rows and the personal
data written in the same transaction.

`participation_consultations` holds each consultation: its draft fields, status, version,
timeline, and the running counts of its opinions (`tally`, `$inc`ed with each opinion by
the counters `domain/tally.py` names). `participation_opinions` holds each opinion: the
group, the answers, the themes staff tagged, and only the reference (`person_id`) of a
person who left contact details, which are in the personal-data store
(`shared/infra/personal_data.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from services.participation.domain.consultation import Consultation, ConsultationDraft
from services.participation.domain.errors import NotFound
from services.participation.domain.opinions import CheckedOpinion
from services.participation.domain.outcomes import Giver
from services.participation.domain.tally import CountedOpinion, Tally
from shared.contract.events import Channel, CloudEvent, ConsultationStatus, Language
from shared.infra.by_ids import find_in
from shared.infra.mongo import Document
from shared.infra.outbox import Outbox
from shared.infra.personal_data import PersonalData

CONSULTATIONS = "participation_consultations"
OPINIONS = "participation_opinions"
OUTBOX = "participation_outbox"
_DRAFT_FIELDS = tuple(ConsultationDraft.model_fields)


class StaleVersion(Exception):
    """The consultation changed since it was read; nothing was applied."""


def consultation_of(doc: Document) -> Consultation:
    tally = doc.get("tally") or {}
    return Consultation.model_validate(
        {
            **{k: doc[k] for k in _DRAFT_FIELDS if k in doc},
            "consultation_id": doc["_id"],
            "status": doc["status"],
            "summary": doc.get("summary"),
            "opinions": int(tally.get("total", 0)),
            "by_group": {str(k): int(v) for k, v in (tally.get("by_group") or {}).items()},
        }
    )


def draft_fields(draft: ConsultationDraft) -> Document:
    doc = draft.model_dump(mode="json")
    doc["fiscal_year"] = draft.fiscal_year
    return doc


def new_consultation(
    consultation_id: str, draft: ConsultationDraft, actor: str, role: str, at: datetime
) -> Document:
    """The document of a new consultation: a draft, no opinions, its creation on the timeline."""
    return {
        "_id": consultation_id,
        "version": 1,
        "status": ConsultationStatus.draft.value,
        **draft_fields(draft),
        "summary": None,
        "tally": {},
        "timeline": [
            {
                "at": at,
                "actor": actor,
                "role": role,
                "command": "create",
                "from_status": None,
                "to_status": ConsultationStatus.draft.value,
                "reason": None,
            }
        ],
        "created_at": at,
        "created_by": actor,
        "updated_at": at,
    }


def new_opinion(
    opinion_id: str,
    consultation: Consultation,
    checked: CheckedOpinion,
    *,
    person_id: str | None,
    channel: str,
    language: str,
    at: datetime,
    contact_me: bool = False,
) -> Document:
    """The document of an opinion: its group and answers, and only the reference of a
    person who left contact details, with whether they consented to be contacted (an
    outcome answering their opinion is then told to them)."""
    return {
        "_id": opinion_id,
        "consultation_id": consultation.consultation_id,
        "fiscal_year": consultation.fiscal_year,
        "mission_item": consultation.mission_item,
        "group": checked.group,
        "answers": checked.answers,
        "person_id": person_id,
        "contact_me": contact_me and person_id is not None,
        "channel": channel,
        "language": language,
        "themes": [],
        "received_at": at,
        # Through a channel (a submission): the words of an opinion answering no question.
        **({"comment": checked.comment} if checked.comment else {}),
        **({"submission_id": checked.submission_id} if checked.submission_id else {}),
    }


def giver_of(doc: Document) -> Giver:
    channels = {c.value: c for c in Channel}
    return Giver(
        person_id=doc["person_id"],
        language=Language.en if doc.get("language") == Language.en.value else Language.th,
        channel=channels.get(doc.get("channel", ""), Channel.web),
        consented=doc.get("contact_me"),
        through_submission="submission_id" in doc,
    )


def counted(doc: Document) -> CountedOpinion:
    return CountedOpinion(
        group=doc["group"], answers=doc.get("answers") or {}, themes=tuple(doc.get("themes", ()))
    )


class ConsultationStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.consultations = db[CONSULTATIONS]
        self.opinions = db[OPINIONS]
        self.outbox = Outbox(db, OUTBOX)
        self.people = PersonalData(db)

    async def ensure_indexes(self) -> None:
        await self.consultations.create_index([("fiscal_year", DESCENDING), ("status", ASCENDING)])
        await self.opinions.create_index(
            [("consultation_id", ASCENDING), ("received_at", ASCENDING)]
        )
        await self.outbox.ensure_indexes()
        await self.people.ensure_indexes()

    # ------------------------------------------------------------ consultations

    async def insert(self, doc: Document) -> None:
        """A new draft (it publishes nothing until it opens)."""
        await self.consultations.insert_one(doc)

    async def get(
        self, consultation_id: str, session: AsyncClientSession | None = None
    ) -> Document:
        doc = await self.consultations.find_one({"_id": consultation_id}, session=session)
        if doc is None:
            raise NotFound("consultation", consultation_id)
        return doc

    async def update(
        self,
        doc: Document,
        changes: Document,
        timeline: Document | None,
        events: Sequence[CloudEvent[Any]],
        session: AsyncClientSession,
    ) -> Document:
        """Apply `changes` if the consultation is still at the version read; its events go
        to the outbox in the same transaction. Returns the consultation after."""
        update: Document = {"$set": changes, "$inc": {"version": 1}}
        if timeline is not None:
            update["$push"] = {"timeline": timeline}
        result = await self.consultations.update_one(
            {"_id": doc["_id"], "version": doc["version"]}, update, session=session
        )
        if result.matched_count != 1:
            raise StaleVersion(doc["_id"])
        await self.outbox.add(events, session)
        return {
            **doc,
            **changes,
            "version": doc["version"] + 1,
            "timeline": [*doc.get("timeline", []), *([timeline] if timeline else [])],
        }

    async def search(
        self,
        *,
        fiscal_year: int | None = None,
        statuses: Sequence[ConsultationStatus] = (),
        mission_item: str | None = None,
        limit: int = 100,
    ) -> list[Document]:
        query: Document = {}
        if fiscal_year is not None:
            query["fiscal_year"] = fiscal_year
        if statuses:
            query["status"] = {"$in": [s.value for s in statuses]}
        if mission_item is not None:
            query["mission_item"] = mission_item
        cursor = self.consultations.find(query, {"timeline": 0}).sort("opens_on", DESCENDING)
        return [d async for d in cursor.limit(limit)]

    async def topics(self, ids: set[str]) -> dict[str, tuple[str, str | None]]:
        """The Thai and English topics of the consultations `ids`."""
        found = await find_in(
            self.consultations, "_id", sorted(ids), projection={"topic_th": 1, "topic_en": 1}
        )
        return {d["_id"]: (d["topic_th"], d.get("topic_en")) for d in found}

    async def open_past(self, today: str) -> list[str]:
        """Ids of open consultations whose last day is before `today` (ISO date)."""
        cursor = self.consultations.find(
            {"status": ConsultationStatus.open.value, "closes_on": {"$lt": today}}, {"_id": 1}
        )
        return [d["_id"] async for d in cursor]

    async def count_open(self) -> int:
        return await self.consultations.count_documents({"status": ConsultationStatus.open.value})

    # ---------------------------------------------------------------- opinions

    async def opinion(
        self, opinion_id: str, session: AsyncClientSession | None = None
    ) -> Document | None:
        return await self.opinions.find_one({"_id": opinion_id}, session=session)

    async def add_opinion(
        self,
        opinion: Document,
        person: Document | None,
        counters: dict[str, int],
        events: Sequence[CloudEvent[Any]],
        session: AsyncClientSession,
    ) -> None:
        """The opinion, its person (if they left contact details), its counts on the
        consultation and its event: all in the caller's transaction."""
        await self.opinions.insert_one(opinion, session=session)
        if person is not None:
            await self.people.insert_many([person], session=session)
        await self.consultations.update_one(
            {"_id": opinion["consultation_id"]},
            {"$inc": {f"tally.{path}": n for path, n in counters.items()}},
            session=session,
        )
        await self.outbox.add(events, session)

    async def opinions_of(
        self, consultation_id: str, *, group: str | None = None, limit: int = 200, skip: int = 0
    ) -> list[Document]:
        query: Document = {"consultation_id": consultation_id}
        if group is not None:
            query["group"] = group
        cursor = self.opinions.find(query).sort("received_at", ASCENDING).skip(skip).limit(limit)
        return [d async for d in cursor]

    async def all_opinions(self, consultation_id: str) -> list[Document]:
        cursor = self.opinions.find(
            {"consultation_id": consultation_id}, {"group": 1, "answers": 1, "themes": 1}
        )
        return [d async for d in cursor]

    async def opinions_in(
        self, consultation_id: str, opinion_ids: Sequence[str], session: AsyncClientSession
    ) -> set[str]:
        """Which of `opinion_ids` are opinions of the consultation."""
        found = await find_in(
            self.opinions,
            "_id",
            list(opinion_ids),
            also={"consultation_id": consultation_id},
            projection={"_id": 1},
            session=session,
        )
        return {d["_id"] for d in found}

    async def givers(
        self,
        consultation_id: str,
        opinion_ids: Sequence[str],
        session: AsyncClientSession | None = None,
    ) -> list[Giver]:
        """The people who left contact details with the consultation's opinions (only
        `opinion_ids` of it, when given), in the order the opinions came: one read."""
        projection = {
            "person_id": 1,
            "contact_me": 1,
            "language": 1,
            "channel": 1,
            "submission_id": 1,
        }
        if opinion_ids:
            found = await find_in(
                self.opinions,
                "_id",
                list(opinion_ids),
                also={"consultation_id": consultation_id, "person_id": {"$ne": None}},
                projection={**projection, "received_at": 1},
                session=session,
            )
            found.sort(key=lambda d: d["received_at"])
        else:
            cursor = self.opinions.find(
                {"consultation_id": consultation_id, "person_id": {"$ne": None}},
                projection,
                session=session,
            ).sort("received_at", ASCENDING)
            found = [d async for d in cursor]
        return [giver_of(d) for d in found]

    async def tag(
        self, consultation_id: str, opinion_id: str, themes: list[str], by: str, at: datetime
    ) -> Document:
        result = await self.opinions.find_one_and_update(
            {"_id": opinion_id, "consultation_id": consultation_id},
            {"$set": {"themes": themes, "tagged_by": by, "tagged_at": at}},
            return_document=ReturnDocument.AFTER,
        )
        if result is None:
            raise NotFound("opinion", opinion_id)
        doc: Document = result
        return doc


def tally_doc(doc: Document) -> Tally:
    return dict(doc.get("tally") or {})
