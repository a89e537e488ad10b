"""Mission satisfaction surveys and their responses in MongoDB, with the outbox rows
written in the same transaction.

`participation_mission_surveys` holds each survey: its draft fields, status, version,
timeline, how many per-person links were sent (`links_sent`) and the running counts of
its answers (`tally`, `$inc`ed with each answer by the counters `domain/survey_results.py`
names). `participation_survey_responses` holds each answer: the scores, the free-text
words (for staff only: they never leave the service), the link it came through. Nothing
names the person: a per-person link is a random id, and who it was sent to is not kept."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from services.participation.adapters.consultation_store import StaleVersion
from services.participation.domain.errors import NotFound
from services.participation.domain.mission_survey import (
    CheckedAnswer,
    MissionSurvey,
    MissionSurveyDraft,
    SurveyStatus,
)
from services.participation.domain.survey_results import SurveyTally
from shared.contract.events import CloudEvent, SurveyLink
from shared.infra.mongo import Document
from shared.infra.outbox import Outbox

SURVEYS = "participation_mission_surveys"
RESPONSES = "participation_survey_responses"
_DRAFT_FIELDS = tuple(MissionSurveyDraft.model_fields)


def survey_of(doc: Document) -> MissionSurvey:
    return MissionSurvey.model_validate(
        {
            **{k: doc[k] for k in _DRAFT_FIELDS if k in doc},
            "survey_id": doc["_id"],
            "status": doc["status"],
        }
    )


def tally_of(doc: Document) -> SurveyTally:
    return SurveyTally.of(doc.get("tally"))


def draft_fields(draft: MissionSurveyDraft) -> Document:
    doc = draft.model_dump(mode="json")
    doc["fiscal_year"] = draft.fiscal_year
    return doc


def timeline_entry(
    at: datetime, actor: str, role: str, command: str, before: str | None, after: str
) -> Document:
    return {
        "at": at,
        "actor": actor,
        "role": role,
        "command": command,
        "from_status": before,
        "to_status": after,
    }


def new_survey(
    survey_id: str, draft: MissionSurveyDraft, actor: str, role: str, at: datetime
) -> Document:
    """The document of a new survey: a draft, no answers, its creation on the timeline."""
    draft_status = SurveyStatus.draft.value
    return {
        "_id": survey_id,
        "version": 1,
        "status": draft_status,
        **draft_fields(draft),
        "tally": {},
        "links_sent": 0,
        "timeline": [timeline_entry(at, actor, role, "create", None, draft_status)],
        "created_at": at,
        "created_by": actor,
        "updated_at": at,
    }


def new_response(
    response_id: str,
    survey: MissionSurvey,
    answer: CheckedAnswer,
    *,
    via: SurveyLink,
    link_id: str | None,
    language: str,
    at: datetime,
) -> Document:
    return {
        "_id": response_id,
        "survey_id": survey.survey_id,
        "fiscal_year": survey.fiscal_year,
        "mission_item": survey.mission_item,
        "group": survey.group,
        "via": via.value,
        "link_id": link_id,
        "scores": answer.scores,
        "texts": answer.texts,
        "language": language,
        "answered_at": at,
    }


class MissionSurveyStore:
    def __init__(self, db: AsyncDatabase[Document], outbox: Outbox) -> None:
        self.surveys = db[SURVEYS]
        self.responses = db[RESPONSES]
        self.outbox = outbox

    async def ensure_indexes(self) -> None:
        await self.surveys.create_index([("fiscal_year", DESCENDING), ("status", ASCENDING)])
        await self.responses.create_index([("survey_id", ASCENDING), ("answered_at", ASCENDING)])

    async def insert(self, doc: Document) -> None:
        """A new draft (it publishes nothing until it opens)."""
        await self.surveys.insert_one(doc)

    async def get(self, survey_id: str, session: AsyncClientSession | None = None) -> Document:
        doc = await self.surveys.find_one({"_id": survey_id}, session=session)
        if doc is None:
            raise NotFound("survey", survey_id)
        return doc

    async def update(
        self,
        doc: Document,
        changes: Document,
        timeline: Document,
        events: Sequence[CloudEvent[Any]],
        session: AsyncClientSession,
    ) -> Document:
        """Apply `changes` if the survey is still at the version read; its events go to the
        outbox in the same transaction. Returns the survey after."""
        result = await self.surveys.update_one(
            {"_id": doc["_id"], "version": doc["version"]},
            {"$set": changes, "$inc": {"version": 1}, "$push": {"timeline": timeline}},
            session=session,
        )
        if result.matched_count != 1:
            raise StaleVersion(doc["_id"])
        await self.outbox.add(events, session)
        return {
            **doc,
            **changes,
            "version": doc["version"] + 1,
            "timeline": [*doc.get("timeline", []), timeline],
        }

    async def search(
        self,
        *,
        fiscal_year: int | None = None,
        statuses: Sequence[SurveyStatus] = (),
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
        cursor = self.surveys.find(query, {"timeline": 0}).sort("opens_on", DESCENDING)
        return [d async for d in cursor.limit(limit)]

    async def open_past(self, today: str) -> list[str]:
        """Ids of open surveys whose last day is before `today` (ISO date)."""
        cursor = self.surveys.find(
            {"status": SurveyStatus.open.value, "closes_on": {"$lt": today}}, {"_id": 1}
        )
        return [d["_id"] async for d in cursor]

    async def count_links(self, survey_id: str, n: int) -> None:
        """`n` more per-person links sent (the links themselves are not kept)."""
        await self.surveys.update_one({"_id": survey_id}, {"$inc": {"links_sent": n}})

    # --------------------------------------------------------------- responses

    async def response(
        self, response_id: str, session: AsyncClientSession | None = None
    ) -> Document | None:
        return await self.responses.find_one({"_id": response_id}, session=session)

    async def add_response(
        self,
        response: Document,
        counters: dict[str, int],
        events: Sequence[CloudEvent[Any]],
        session: AsyncClientSession,
    ) -> None:
        """The response, its counts on the survey and its event, in the caller's
        transaction (the `$inc` on the survey also orders it against a close)."""
        await self.responses.insert_one(response, session=session)
        await self.surveys.update_one(
            {"_id": response["survey_id"]},
            {"$inc": {f"tally.{path}": n for path, n in counters.items()}},
            session=session,
        )
        await self.outbox.add(events, session)

    async def texts_of(self, survey_id: str, *, limit: int = 200, skip: int = 0) -> list[Document]:
        """The responses that wrote something, oldest first (for staff only)."""
        cursor = (
            self.responses.find(
                {"survey_id": survey_id, "texts": {"$ne": {}}},
                {"texts": 1, "via": 1, "answered_at": 1},
            )
            .sort("answered_at", ASCENDING)
            .skip(skip)
            .limit(limit)
        )
        return [d async for d in cursor]
