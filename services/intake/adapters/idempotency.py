"""Idempotency answers in MongoDB: one document per (channel, key) hash, expiring by TTL."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from services.intake.domain.idempotency import StoredAnswer
from shared.infra.mongo import Document


class IdempotencyAnswers:
    def __init__(self, db: AsyncDatabase[Document], collection: str = "idempotency") -> None:
        self.collection = db[collection]

    async def ensure_indexes(self) -> None:
        # MongoDB deletes a document once `expires_at` has passed (checked about once a
        # minute), so a key is remembered for RETENTION and a little more, never less.
        await self.collection.create_index([("expires_at", ASCENDING)], expireAfterSeconds=0)

    async def get(
        self, record_id: str, session: AsyncClientSession | None = None
    ) -> StoredAnswer | None:
        doc = await self.collection.find_one({"_id": record_id}, session=session)
        if doc is None:
            return None
        return StoredAnswer(
            record_id=doc["_id"],
            fingerprint=doc["fingerprint"],
            status_code=doc["status_code"],
            body=doc["body"],
            masked_pin=doc["masked_pin"],
            created_at=doc["created_at"],
        )

    async def insert(self, answer: StoredAnswer, session: AsyncClientSession | None = None) -> None:
        """Raises DuplicateKeyError when the key was already answered."""
        await self.collection.insert_one(_answer_doc(answer), session=session)

    async def insert_many(
        self, answers: list[StoredAnswer], session: AsyncClientSession | None = None
    ) -> None:
        """Raises BulkWriteError (duplicate key) when a key was already answered."""
        await self.collection.insert_many(
            [_answer_doc(a) for a in answers], ordered=True, session=session
        )


def _answer_doc(answer: StoredAnswer) -> dict[str, Any]:
    return {
        "_id": answer.record_id,
        "fingerprint": answer.fingerprint,
        "status_code": answer.status_code,
        "body": answer.body,
        "masked_pin": answer.masked_pin,
        "created_at": answer.created_at,
        "expires_at": answer.expires_at,
    }
