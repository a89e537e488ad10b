"""Erasure requests (`erasure_requests`) and the writes an erasure makes, each in the
caller's transaction: the person out of the personal-data store, the cases marked, the
LINE photos of their submissions out of intake's GridFS bucket, and the comments of their
survey answers blanked, on the cases and in intake's `survey_answers`.

The photos are intake's, but intake consumes no case events (it only publishes), and the
bucket is in the same database: so workflow deletes them here, in the erasure's own
transaction, rather than add a Kafka consumer to intake for one delete. The bucket's name
and metadata (`submission_id`, `person_id`) are intake's contract with this module
(`services/intake/adapters/line_photos.py`). Likewise intake's survey answers, one per
case id with its `comment` (`services/intake/adapters/surveys.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from shared.contract.events import LegalBasis
from shared.infra.by_ids import slices
from shared.infra.mongo import Document

COLLECTION = "erasure_requests"
#: Intake's GridFS bucket of LINE photos (`line_photos.BUCKET`).
ATTACHMENTS = "attachments"
#: Intake's survey answers, by case id (`surveys.SurveyAnswers`).
SURVEY_ANSWERS = "survey_answers"


def erasure_document(
    erasure_id: str,
    *,
    person_id: str,
    case_ids: Sequence[str],
    basis: LegalBasis,
    note: str | None,
    requested_by: str,
    at: datetime,
    attachments: int,
) -> Document:
    return {
        "_id": erasure_id,
        "person_id": person_id,
        "case_ids": list(case_ids),
        "legal_basis": basis.value,
        "note": note,
        "requested_by": requested_by,
        "at": at,
        "attachments_deleted": attachments,
    }


class ErasureStore:
    """Few requests, read rarely (a list, an export): no index beyond `_id`."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.requests = db[COLLECTION]
        self.cases = db["cases"]
        self.files = db[f"{ATTACHMENTS}.files"]
        self.chunks = db[f"{ATTACHMENTS}.chunks"]
        self.survey_answers = db[SURVEY_ANSWERS]

    async def record(self, doc: Document, session: AsyncClientSession) -> None:
        await self.requests.insert_one(doc, session=session)

    async def latest_for(self, person_id: str) -> Document | None:
        return await self.requests.find_one({"person_id": person_id}, sort=[("at", DESCENDING)])

    async def for_person(self, person_id: str) -> list[Document]:
        cursor = self.requests.find({"person_id": person_id}).sort("at", 1)
        return [d async for d in cursor]

    async def listing(self, limit: int) -> list[Document]:
        cursor = self.requests.find({}).sort("at", DESCENDING).limit(limit)
        return [d async for d in cursor]

    async def forget_contact_keys(
        self, case_ids: Sequence[str], session: AsyncClientSession
    ) -> None:
        """The cases keep the dangling `person_id` (so a repeated request finds them) but
        lose the keyed hashes of the contact, against which a guess could be tested."""
        for part in slices(list(case_ids)):
            await self.cases.update_many(
                {"_id": {"$in": part}}, {"$unset": {"contact_keys": ""}}, session=session
            )

    async def blank_free_text(
        self, case_id: str, changes: Document, session: AsyncClientSession
    ) -> None:
        """Apply `domain.erasure.free_text_erasure`'s `changes` to the case."""
        if changes:
            await self.cases.update_one({"_id": case_id}, {"$set": changes}, session=session)

    async def blank_survey_comments(
        self, case_ids: Sequence[str], session: AsyncClientSession
    ) -> None:
        """Intake's copies of the cases' survey answers keep their score, not their comment."""
        for part in slices(list(case_ids)):
            await self.survey_answers.update_many(
                {"_id": {"$in": part}, "comment": {"$ne": None}},
                {"$set": {"comment": None, "comment_erased": True}},
                session=session,
            )

    async def delete_attachments(
        self, person_id: str, submission_ids: Sequence[str], session: AsyncClientSession
    ) -> int:
        """Delete the photos naming the person or one of their submissions; how many."""
        query: dict[str, Any] = {
            "$or": [
                {"metadata.person_id": person_id},
                {"metadata.submission_id": {"$in": list(submission_ids)}},
            ]
        }
        ids = [d["_id"] async for d in self.files.find(query, {"_id": 1}, session=session)]
        if not ids:
            return 0
        for part in slices(ids):
            await self.chunks.delete_many({"files_id": {"$in": part}}, session=session)
            await self.files.delete_many({"_id": {"$in": part}}, session=session)
        return len(ids)

    async def retained_closed(
        self, closed_before: dict[str, datetime], limit: int
    ) -> list[Document]:
        """Closed cases of a person not yet erased, closed before their kind's limit."""
        query = {
            "status": "closed",
            "person_id": {"$ne": None},
            "personal_data_erased_at": None,
            "$or": [
                {"kind": kind, "closed_at": {"$lte": before}}
                for kind, before in closed_before.items()
            ],
        }
        projection = {"status": 1, "kind": 1, "closed_at": 1, "person_id": 1}
        cursor = self.cases.find(query, projection).sort("closed_at", 1).limit(limit)
        return [d async for d in cursor]

    async def cases_of(
        self, person_id: str, session: AsyncClientSession | None = None
    ) -> list[Document]:
        """The cases of a person with what an erasure needs, oldest first."""
        cursor = self.cases.find(
            {"person_id": person_id},
            {"submission_id": 1, "personal_data_erased_at": 1, "opened_at": 1},
            session=session,
        ).sort("opened_at", 1)
        return [d async for d in cursor]
