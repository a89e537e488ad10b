"""The submission store bounds its own reads: with MongoDB away, the idempotency read
gives up after the store's timeout as `StoreUnavailable` (the handler then accepts the
submission as new), however long the driver would otherwise wait to find a server."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest
from pymongo import AsyncMongoClient

from services.intake.adapters.idempotency import IdempotencyAnswers
from services.intake.adapters.store import MongoSubmissionStore
from services.intake.adapters.submissions import TrackingRecords
from services.intake.handlers.ports import StoreUnavailable
from shared.infra.mongo import mongo_ok
from shared.infra.outbox import Outbox


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens once the socket is closed


def test_idempotency_read_gives_up_after_the_store_timeout() -> None:
    async def scenario() -> float:
        client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
            f"mongodb://127.0.0.1:{closed_port()}", serverSelectionTimeoutMS=30_000
        )
        db = client["nowhere"]
        store = MongoSubmissionStore(
            client, TrackingRecords(db), IdempotencyAnswers(db), Outbox(db), read_timeout=0.3
        )
        started = time.monotonic()
        try:
            with pytest.raises(StoreUnavailable):
                await store.stored_answer("web:key-1")
            # The client is still usable afterwards: a second read fails the same way,
            # not with a broken lock.
            with pytest.raises(StoreUnavailable):
                await store.stored_answer("web:key-2")
            assert not await mongo_ok(client, timeout=0.3)
        finally:
            await client.close()
        return time.monotonic() - started

    assert asyncio.run(scenario()) < 10  # three bounded waits, not 30 s each
