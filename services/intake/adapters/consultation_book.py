"""Intake's copy of the consultations the participation service has published:
`intake_consultations`, one small document per consultation (status, last day, groups,
questions), kept from the events on `siang.participation.v1` by
`handlers/consultations.py`. Intake checks a submission's `consultation_id` here rather
than asking the participation service, so a channel answers while that service is away."""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from services.intake.domain.consultations import ConsultationState
from services.intake.handlers.ports import StoreUnavailable
from shared.infra.mongo import Document

COLLECTION = "intake_consultations"


class ConsultationBook:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection = db[COLLECTION]

    async def state(self, consultation_id: str) -> ConsultationState | None:
        """For a request: `StoreUnavailable` when MongoDB does not answer."""
        try:
            return await self.current(consultation_id)
        except PyMongoError as exc:
            raise StoreUnavailable(repr(exc)) from exc

    async def current(self, consultation_id: str) -> ConsultationState | None:
        """For the consumer: MongoDB's errors as they are, so the event is retried."""
        doc = await self.collection.find_one({"_id": consultation_id})
        return None if doc is None else _state_of(doc)

    async def save(self, state: ConsultationState) -> None:
        """Write the state (one statement; events of one consultation come in order)."""
        doc = state.model_dump(mode="python")
        doc["opens_on"] = state.opens_on.isoformat()
        doc["closes_on"] = state.closes_on.isoformat()
        doc["status"] = state.status.value
        doc["asked"] = [q.model_dump(mode="json") for q in state.asked]
        doc["groups"] = list(state.groups)
        doc.pop("consultation_id")
        await self.collection.replace_one({"_id": state.consultation_id}, doc, upsert=True)


def _state_of(doc: dict[str, Any]) -> ConsultationState:
    return ConsultationState.model_validate({**doc, "consultation_id": doc["_id"]})
