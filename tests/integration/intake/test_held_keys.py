"""A submission whose Idempotency-Key another transaction holds, on the real
MongoDB-wire server.

An intake killed mid-commit leaves its transaction open on the server until the server
ends it (60 s on MongoDB and SecantusDB alike), holding the idempotency answers of the
requests it had in flight. Their clients retry with the same keys. Each retry must fail
alone and quickly: the submissions committed beside it in the same group are not held
up, and the held one is refused as "try again" (503), never sent to Kafka instead."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.client_session import AsyncClientSession

from services.intake.adapters.idempotency import IdempotencyAnswers
from services.intake.adapters.store import MongoSubmissionStore
from services.intake.adapters.submissions import TrackingRecords
from services.intake.domain.idempotency import StoredAnswer
from services.intake.domain.tracking import TrackingRecord
from services.intake.handlers.ports import KeyInUse
from shared.contract.events import CloudEvent
from shared.infra.outbox import Outbox
from tests.support import stored_submission

Client = AsyncMongoClient[dict[str, Any]]


def submission(n: int) -> tuple[TrackingRecord, CloudEvent[Any], StoredAnswer]:
    """A submission sent with an Idempotency-Key: what the store commits, and its answer."""
    record, event = stored_submission(n)
    answer = StoredAnswer(
        record_id=f"web:key-{n}",
        fingerprint="f",
        status_code=202,
        body={"submission_id": record.submission_id},
        masked_pin="x",
        created_at=record.received_at,
    )
    return record, event, answer


@pytest.fixture
async def parts(
    mongo_url: str, mongo_db_name: str
) -> AsyncIterator[tuple[Client, Client, MongoSubmissionStore]]:
    client: Client = AsyncMongoClient(mongo_url)
    # The "killed" intake: its own client, whose open transaction nobody ends.
    dead: Client = AsyncMongoClient(mongo_url)
    db = client[mongo_db_name]
    records, answers = TrackingRecords(db), IdempotencyAnswers(db)
    await records.ensure_indexes()
    await answers.ensure_indexes()
    for name in ("outbox", "personal_data"):
        await db.create_collection(name)
    try:
        yield client, dead, MongoSubmissionStore(client, records, answers, Outbox(db))
    finally:
        await dead.close()
        await client.close()


async def hold_keys(dead: Client, database: str, answers: list[StoredAnswer]) -> AsyncClientSession:
    session = dead.start_session()
    await session.start_transaction()
    await IdempotencyAnswers(dead[database]).insert_many(answers, session)
    return session  # left open, as a killed process leaves it


async def test_held_keys_fail_alone_and_their_group_commits(
    parts: tuple[Client, Client, MongoSubmissionStore], mongo_db_name: str
) -> None:
    client, dead, store = parts
    subs = [submission(n) for n in range(16)]
    held = {3, 12}  # two retries of requests the killed intake had in flight
    session = await hold_keys(dead, mongo_db_name, [subs[n][2] for n in sorted(held)])
    try:
        # All sixteen arrive within one group window.
        results = await asyncio.gather(
            *(store.commit(*s, timeout=30, settle=True) for s in subs), return_exceptions=True
        )
    finally:
        await session.abort_transaction()
        await session.end_session()
    assert all(isinstance(results[n], KeyInUse) for n in held), results
    assert [r for n, r in enumerate(results) if n not in held] == [None] * 14
    stored = client[mongo_db_name]["submissions"].find({}, {"_id": 1})
    assert sorted([d["_id"] async for d in stored]) == sorted(
        f"s-{n}" for n in range(16) if n not in held
    )
    # A held key is free once the other transaction ends: its retry is taken.
    await store.commit(*subs[3], timeout=30, settle=True)
    assert await client[mongo_db_name]["submissions"].count_documents({"_id": "s-3"}) == 1
