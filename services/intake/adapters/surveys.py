"""Survey answers in MongoDB: one per case (the first counts), written with its
`survey.answered` event in one transaction so the answer and the event go together."""

from __future__ import annotations

from pymongo import AsyncMongoClient
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from shared.contract.events import CloudEvent, SurveyAnswered
from shared.infra.mongo import Document, in_transaction
from shared.infra.outbox import Outbox


class AlreadyAnswered(Exception):
    """The case's survey has an answer already; the first one counts."""


class SurveyAnswers:
    def __init__(
        self, client: AsyncMongoClient[Document], db: AsyncDatabase[Document], outbox: Outbox
    ) -> None:
        self.client = client
        self.collection = db["survey_answers"]
        self.outbox = outbox

    async def answered(self, case_id: str) -> bool:
        return await self.collection.find_one({"_id": case_id}, {"_id": 1}) is not None

    async def save(self, event: CloudEvent[SurveyAnswered]) -> None:
        answer = event.data

        async def work(session: AsyncClientSession) -> None:
            if await self.collection.find_one({"_id": answer.case_id}, {"_id": 1}, session=session):
                raise AlreadyAnswered(answer.case_id)
            await self.collection.insert_one(
                {"_id": answer.case_id, **answer.model_dump(mode="python"), "event_id": event.id},
                session=session,
            )
            await self.outbox.add([event], session=session)

        try:
            await in_transaction(self.client, work)
        except DuplicateKeyError as exc:  # two answers racing: the other one was first
            raise AlreadyAnswered(answer.case_id) from exc
