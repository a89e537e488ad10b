"""The submission store bounds its own waits: with MongoDB away, the idempotency read
gives up after the store's timeout as `StoreUnavailable` (the handler then accepts the
submission as new), however long the driver would otherwise wait to find a server; and
a commit that gives up leaves nothing to be written behind its refusal."""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from services.intake.adapters.idempotency import IdempotencyAnswers
from services.intake.adapters.store import MongoSubmissionStore, Pending
from services.intake.adapters.submissions import TrackingRecords
from services.intake.handlers.ports import StoreUnavailable
from shared.infra.mongo import mongo_ok
from shared.infra.outbox import Outbox
from tests.support import stored_submission


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


class HeldStore(MongoSubmissionStore):
    """The group commit with MongoDB's side held until the test lets it go."""

    def __init__(self) -> None:
        client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
            f"mongodb://127.0.0.1:{closed_port()}", connect=False
        )
        db = client["nowhere"]
        super().__init__(client, TrackingRecords(db), IdempotencyAnswers(db), Outbox(db))
        self.release = asyncio.Event()
        self.started = asyncio.Event()
        self.written: list[str] = []

    async def _commit_group(self, group: list[Pending], **_: Any) -> None:
        self.started.set()
        await self.release.wait()
        self.written += [record.submission_id for record, *_ in group]


async def test_a_submission_still_queued_when_its_wait_ends_is_never_written() -> None:
    """Refused with 503 ("nothing was accepted") must be true: a submission queued behind
    a slow transaction is taken out of the queue, not written after the answer."""
    store = HeldStore()
    first = asyncio.create_task(store.commit(*stored_submission(1), None, timeout=60, settle=True))
    await store.started.wait()  # s-1's transaction is under way
    with pytest.raises(StoreUnavailable):
        await store.commit(*stored_submission(2), None, timeout=0.05, settle=True)
    store.release.set()
    await first
    await store.close()
    assert store.written == ["s-1"]


async def test_a_submission_whose_transaction_is_under_way_waits_for_its_outcome() -> None:
    store = HeldStore()
    settled = asyncio.create_task(
        store.commit(*stored_submission(1), None, timeout=0.5, settle=True)
    )
    await store.started.wait()
    await asyncio.sleep(0.6)  # past its first wait: it cannot be withdrawn any more
    assert not settled.done()
    store.release.set()
    await settled  # accepted: it was written
    assert store.written == ["s-1"]


async def test_an_anonymous_submission_does_not_wait_for_a_transaction_under_way() -> None:
    """It goes to Kafka instead, under the same id, so being written too is harmless."""
    store = HeldStore()
    with pytest.raises(StoreUnavailable):
        await store.commit(*stored_submission(1), None, timeout=0.05)
    store.release.set()
    await store.close()
    assert store.written == ["s-1"]
