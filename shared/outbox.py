"""The transactional outbox: events are written to MongoDB in the same transaction as the
state change that caused them, and a relay publishes them to Kafka afterwards.

The relay publishes in write order (so each case's events stay in order), marks what the
broker acknowledged, and survives restarts: anything unmarked is published again, which
makes delivery at-least-once; consumers are idempotent by event id. A lease document
lets several replicas run a relay while only one publishes at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from shared.events import CloudEvent
from shared.kafka import EventPublisher

log = logging.getLogger(__name__)

Document = dict[str, Any]


def outbox_documents(events: Sequence[CloudEvent[Any]]) -> list[Document]:
    now = datetime.now(UTC)
    return [
        {
            "_id": e.id,
            "topic": e.topic,
            "key": e.subject,
            "type": e.type,
            "value": e.to_json(),
            "correlation_id": e.correlationid,
            "created_at": now,
            "n": i,
            "sent_at": None,
        }
        for i, e in enumerate(events)
    ]


class Outbox:
    def __init__(self, db: AsyncDatabase[Document], collection: str = "outbox") -> None:
        self.collection = db[collection]
        self.locks = db["outbox_leases"]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index(
            [("sent_at", ASCENDING), ("created_at", ASCENDING), ("n", ASCENDING)]
        )

    async def add(
        self, events: Sequence[CloudEvent[Any]], session: AsyncClientSession | None = None
    ) -> None:
        """Add events inside the caller's transaction (pass its session)."""
        if events:
            await self.collection.insert_many(outbox_documents(events), session=session)

    async def pending(self, limit: int) -> list[Document]:
        cursor = (
            self.collection.find({"sent_at": None})
            .sort([("created_at", ASCENDING), ("n", ASCENDING)])
            .limit(limit)
        )
        return [doc async for doc in cursor]

    async def mark_sent(self, ids: Sequence[str]) -> None:
        if ids:
            await self.collection.update_many(
                {"_id": {"$in": list(ids)}}, {"$set": {"sent_at": datetime.now(UTC)}}
            )

    async def pending_count(self) -> int:
        return await self.collection.count_documents({"sent_at": None})

    async def take_lease(self, name: str, owner: str, ttl: timedelta) -> bool:
        """Hold (or renew) the lease `name` for `ttl`; False if another owner holds it."""
        now = datetime.now(UTC)
        try:
            doc = await self.locks.find_one_and_update(
                {"_id": name, "$or": [{"owner": owner}, {"until": {"$lt": now}}]},
                {"$set": {"owner": owner, "until": now + ttl}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        except DuplicateKeyError:
            return False  # the lease exists and is held by someone else
        return doc is not None and doc.get("owner") == owner


class OutboxRelay:
    """Publishes pending outbox rows in order; `wake()` after a commit for low latency."""

    def __init__(
        self,
        outbox: Outbox,
        publisher: EventPublisher,
        *,
        name: str = "outbox",
        batch: int = 500,
        idle_interval: float = 0.5,
        lease_ttl: float = 10.0,
    ) -> None:
        self.outbox = outbox
        self.publisher = publisher
        self.name = name
        self.batch = batch
        self.idle_interval = idle_interval
        self.lease_ttl = timedelta(seconds=lease_ttl)
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.published = 0

    def wake(self) -> None:
        self._wake.set()

    async def relay_once(self) -> int:
        """Publish one batch; returns how many were published and marked."""
        rows = await self.outbox.pending(self.batch)
        sent: list[str] = []
        try:
            # Sequential awaits keep per-key order; the idempotent producer makes
            # each send's internal retries safe.
            for row in rows:
                value = row["value"]
                await self.publisher.publish_raw(
                    topic=row["topic"],
                    key=row["key"],
                    value=bytes(value) if not isinstance(value, bytes) else value,
                    correlation_id=row.get("correlation_id"),
                )
                sent.append(row["_id"])
        finally:
            await self.outbox.mark_sent(sent)
        self.published += len(sent)
        return len(sent)

    async def run(self) -> None:
        while True:
            try:
                if await self.outbox.take_lease(self.name, self.owner, self.lease_ttl):
                    while await self.relay_once() >= self.batch:
                        pass
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - keep relaying after any outage
                log.warning("outbox relay paused: %r", exc)
                await asyncio.sleep(1.0)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.idle_interval)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self.run(), name=f"outbox-relay-{self.name}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
