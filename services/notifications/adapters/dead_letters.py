"""Deliveries given up on, kept so a person can see why and re-drive chosen ones.

Each failure is also published to `siang.notifications.v1.dlq` (for the operators'
tooling) and announced as `notification.failed` (through the outbox). The Kafka copy is
published after the commit and marked here; one that a crash or a Kafka outage left
unpublished is published again by the worker's housekeeping.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from services.notifications.domain.notice import Notice
from shared.infra.by_ids import find_in, update_in
from shared.infra.mongo import Document

COLLECTION = "notification_dead_letters"
OPEN = "open"
REDRIVEN = "redriven"
#: The complainant's personal data was erased: the notice is gone, it cannot be re-driven.
ERASED = "erased"


class DeadLetterStore:
    def __init__(self, db: AsyncDatabase[Document], collection: str = COLLECTION) -> None:
        self.letters = db[collection]

    async def ensure_indexes(self) -> None:
        await self.letters.create_index([("status", ASCENDING), ("failed_at", DESCENDING)])
        await self.letters.create_index([("published_at", ASCENDING), ("failed_at", ASCENDING)])

    async def add(
        self,
        notice: Notice,
        *,
        ledger_key: str,
        reason: str,
        permanent: bool,
        attempts: int,
        now: datetime,
        session: AsyncClientSession | None = None,
    ) -> None:
        """Record a failure; a notice that fails again after a re-drive replaces its letter."""
        doc: Document = {
            "ledger_key": ledger_key,
            "status": OPEN,
            "reason": reason,
            "permanent": permanent,
            "attempts": attempts,
            "failed_at": now,
            "published_at": None,
            "case_id": notice.case_id,
            "source_event_id": notice.source_event_id,
            "channel": notice.channel.value,
            "template": notice.template.value,
            "recipient_role": notice.recipient_role.value,
            "notice": notice.model_dump(mode="json"),
        }
        await self.letters.update_one(
            {"_id": notice.notification_id},
            {"$set": doc, "$inc": {"times": 1}},
            upsert=True,
            session=session,
        )

    async def mark_published(self, notification_id: str, now: datetime) -> None:
        await self.letters.update_one({"_id": notification_id}, {"$set": {"published_at": now}})

    async def unpublished(self, failed_before: datetime, limit: int = 100) -> list[Document]:
        cursor = (
            self.letters.find(
                {
                    "published_at": None,
                    "status": {"$ne": ERASED},
                    "failed_at": {"$lt": failed_before},
                }
            )
            .sort("failed_at", ASCENDING)
            .limit(limit)
        )
        return [d async for d in cursor]

    async def listing(self, *, include_redriven: bool = False, limit: int = 100) -> list[Document]:
        query: Document = {} if include_redriven else {"status": OPEN}
        cursor = self.letters.find(query).sort("failed_at", DESCENDING).limit(limit)
        return [d async for d in cursor]

    async def open_count(self) -> int:
        return await self.letters.count_documents({"status": OPEN})

    async def erase_complainant(
        self, case_ids: Sequence[str], now: datetime, session: AsyncClientSession | None = None
    ) -> int:
        """Scrub the letters of these cases addressed to the complainant (PDPA erasure):
        the notice (with the address) and the failure's reason (which may quote it) go;
        the letter stays, `erased`, so the count of failures is still right."""
        result = await self.letters.update_many(
            {
                "case_id": {"$in": list(case_ids)},
                "recipient_role": "complainant",
                "status": {"$ne": ERASED},
            },
            {
                "$set": {"status": ERASED, "erased_at": now, "reason": "personal data erased"},
                "$unset": {"notice": ""},
            },
            session=session,
        )
        return result.modified_count

    async def take_for_redrive(
        self, ids: Sequence[str], now: datetime, session: AsyncClientSession | None = None
    ) -> list[Document]:
        """The open letters among `ids`, marked re-driven; unknown or closed ids are skipped."""
        found = await find_in(self.letters, "_id", ids, {"status": OPEN}, session=session)
        if found:
            await update_in(
                self.letters,
                "_id",
                [d["_id"] for d in found],
                {"$set": {"status": REDRIVEN, "redriven_at": now}},
                session=session,
            )
        return found
