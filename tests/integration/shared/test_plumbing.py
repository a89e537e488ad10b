"""The plumbing is real: a CloudEvent goes through the real Kafka broker to a consumer
group, which writes to the real MongoDB-wire server in a transaction together with a
processed-event record; a redelivery changes nothing; a malformed record is a dead
letter and the stream behind it keeps flowing; a batch from several topics dead-letters
each bad record to its own topic's dead letters; the outbox relays in order; a
transaction meeting write conflicts gives up after the attempts its caller asked for."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
import pytest

from shared.contract import topics
from shared.contract.events import CaseCommented, CloudEvent, parse_event
from shared.infra.kafka import EventConsumer, EventPublisher, Rejected, create_broker, ensure_topics
from shared.infra.metrics import ServiceMetrics
from shared.infra.mongo import (
    TransactionConflict,
    create_mongo_client,
    database,
    in_transaction,
)
from shared.infra.outbox import Outbox, OutboxRelay
from shared.infra.processed import ProcessedEvents
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.support import comment as support_comment
from tests.support import eventually, read_topic


def comment(case_id: str, text: str) -> CloudEvent[CaseCommented]:
    return support_comment(case_id, text, correlation_id="corr-12345678")


async def test_event_through_kafka_into_mongo_once(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    metrics = ServiceMetrics("smoke")
    broker = create_broker(kafka_settings, client_id="smoke")
    publisher = EventPublisher(kafka_settings, metrics)
    consumer = EventConsumer(broker, publisher, metrics)
    client = create_mongo_client(mongo_settings)
    db = database(client, mongo_settings)
    ledger = ProcessedEvents(db, "smoke")
    seen_correlation: list[str | None] = []

    async def apply(event: CloudEvent[Any]) -> None:
        from shared.infra import correlation

        seen_correlation.append(correlation.current())

        async def work(session: Any) -> None:
            if not await ledger.record(event.id, session):
                return
            await db.comment_counts.update_one(
                {"_id": event.subject}, {"$inc": {"n": 1}}, upsert=True, session=session
            )

        await in_transaction(client, work)

    consumer.subscribe(topics.CASES, "smoke-group", apply)
    await broker.start()
    try:
        first = comment("case-1", "first")
        await publisher.publish(first)
        await publisher.publish(first)  # a redelivery: same event id
        await publisher.publish_raw(
            topic=topics.CASES, key="case-1", value=b"{not json", correlation_id=None
        )
        await publisher.publish(comment("case-1", "second"))

        async def two_counted() -> bool:
            doc = await db.comment_counts.find_one({"_id": "case-1"})
            return doc is not None and doc["n"] == 2

        await eventually(two_counted, what="two distinct events applied")
        assert await db.processed_events.count_documents({}) == 2
        assert seen_correlation and all(c == "corr-12345678" for c in seen_correlation)

        dead = await read_topic(
            kafka_settings.bootstrap_servers,
            kafka_settings.topic_prefix + topics.dead_letters(topics.CASES),
            1,
        )
        letter = orjson.loads(dead[0].value)
        assert letter["value"] == "{not json" and letter["error"].startswith("not JSON")
        assert dead[0].key == b"case-1"
    finally:
        await broker.stop()
        await publisher.stop()
        await client.close()


async def test_a_batch_from_several_topics_dead_letters_to_each_topic(
    kafka_settings: KafkaSettings,
) -> None:
    await ensure_topics(kafka_settings)
    metrics = ServiceMetrics("smoke")
    broker = create_broker(kafka_settings, client_id="smoke")
    publisher = EventPublisher(kafka_settings, metrics)
    consumer = EventConsumer(broker, publisher, metrics, retry_delay=0.01)
    applied: list[str] = []

    async def apply_batch(events: list[CloudEvent[Any]]) -> None:
        if any(e.data.text == "poison" for e in events):
            raise ValueError("a poison event in the batch")
        applied.extend(e.data.text for e in events)

    async def apply_one(event: CloudEvent[Any]) -> None:
        if event.data.text == "poison":
            raise Rejected("poison")
        applied.append(event.data.text)

    consumer.subscribe_batch((topics.CASES, topics.SURVEYS), "smoke-batch", apply_batch, apply_one)
    await broker.start()
    try:
        await publisher.publish(comment("case-1", "a1"))
        await publisher.publish_raw(
            topic=topics.SURVEYS,
            key="s-1",
            value=comment("case-2", "b1").to_json(),
            correlation_id=None,
        )
        await publisher.publish_raw(
            topic=topics.SURVEYS, key="s-2", value=b"{not json", correlation_id=None
        )
        await publisher.publish(comment("case-1", "poison"))
        await publisher.publish(comment("case-1", "a2"))

        async def all_applied() -> bool:
            return {"a1", "b1", "a2"} <= set(applied)

        await eventually(all_applied, what="the good events of both topics applied")
        [malformed] = await read_topic(
            kafka_settings.bootstrap_servers,
            kafka_settings.topic_prefix + topics.dead_letters(topics.SURVEYS),
            1,
        )
        assert malformed.key == b"s-2"
        assert orjson.loads(malformed.value)["error"].startswith("not JSON")
        [refused] = await read_topic(
            kafka_settings.bootstrap_servers,
            kafka_settings.topic_prefix + topics.dead_letters(topics.CASES),
            1,
        )
        assert refused.key == b"case-1"
        assert orjson.loads(refused.value)["error"] == "rejected: poison"
        assert "poison" not in applied
    finally:
        await broker.stop()
        await publisher.stop()


@asynccontextmanager
async def outbox_parts(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> AsyncIterator[tuple[Any, Any, Outbox, EventPublisher]]:
    """A client, its database, an outbox with its indexes and a publisher; closed after."""
    publisher = EventPublisher(kafka_settings)
    client = create_mongo_client(mongo_settings)
    db = database(client, mongo_settings)
    outbox = Outbox(db)
    await outbox.ensure_indexes()
    try:
        yield client, db, outbox, publisher
    finally:
        await publisher.stop()
        await client.close()


async def test_outbox_relays_in_order_and_marks_sent(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    async with outbox_parts(kafka_settings, mongo_settings) as (client, db, outbox, publisher):
        events = [comment("case-7", f"c{i}") for i in range(20)]

        async def write(session: Any) -> None:
            await db.cases.insert_one({"_id": "case-7"}, session=session)
            await outbox.add(events, session=session)

        await in_transaction(client, write)

        relay = OutboxRelay(outbox, publisher, idle_interval=0.1)
        relay.start()
        try:
            records = await read_topic(
                kafka_settings.bootstrap_servers, kafka_settings.topic_prefix + topics.CASES, 20
            )
            got = [parse_event(r.value).data.text for r in records]
            assert got == [f"c{i}" for i in range(20)]
            assert {r.key for r in records} == {b"case-7"}
            await eventually(lambda: _pending_is(outbox, 0), what="outbox drained")
        finally:
            await relay.stop()


async def test_one_write_for_many_cases_is_one_row_relayed_under_each_case_key(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    async with outbox_parts(kafka_settings, mongo_settings) as (_, db, outbox, publisher):
        first = [comment(f"case-{i % 3}", f"a{i}") for i in range(9)]
        second = [comment(f"case-{i % 2}", f"b{i}") for i in range(4)]
        for events in (first, second):
            await outbox.add(events)
        assert await db.outbox.count_documents({}) == 2  # one row per write
        # A relay batch smaller than a row: rows are never split, and nothing is lost.
        relay = OutboxRelay(outbox, publisher, batch=3, idle_interval=0.1)
        relay.start()
        try:
            records = await read_topic(
                kafka_settings.bootstrap_servers, kafka_settings.topic_prefix + topics.CASES, 13
            )
            by_key: dict[bytes | None, list[str]] = {}
            for r in records:
                by_key.setdefault(r.key, []).append(parse_event(r.value).data.text)
            assert by_key == {
                b"case-0": ["a0", "a3", "a6", "b0", "b2"],
                b"case-1": ["a1", "a4", "a7", "b1", "b3"],
                b"case-2": ["a2", "a5", "a8"],
            }
            await eventually(lambda: _pending_is(outbox, 0), what="outbox drained")
            assert relay.published == 13
        finally:
            await relay.stop()


async def _pending_is(outbox: Outbox, n: int) -> bool:
    return await outbox.pending_count() == n


async def test_only_one_relay_holds_the_lease(mongo_settings: MongoSettings) -> None:
    from datetime import timedelta

    client = create_mongo_client(mongo_settings)
    outbox = Outbox(database(client, mongo_settings))
    try:
        assert await outbox.take_lease("outbox", "a", timedelta(seconds=5))
        assert not await outbox.take_lease("outbox", "b", timedelta(seconds=5))
        assert await outbox.take_lease("outbox", "a", timedelta(seconds=5))  # renewal
        assert await outbox.take_lease("expiring", "a", timedelta(seconds=0.2))
        await asyncio.sleep(0.3)
        assert await outbox.take_lease("expiring", "b", timedelta(seconds=5))
    finally:
        await client.close()


async def test_a_transaction_gives_up_on_write_conflicts_after_the_attempts_asked_for(
    mongo_settings: MongoSettings,
) -> None:
    """A document another transaction holds: the caller's transaction meets a write
    conflict on every attempt, and stops after `conflict_attempts` of them (not the ten
    a failover gets) with `TransactionConflict`."""
    client = create_mongo_client(mongo_settings)
    db = database(client, mongo_settings)
    await db.create_collection("held")
    holder = client.start_session()
    await holder.start_transaction()
    await db.held.insert_one({"_id": "k"}, session=holder)
    tries = 0

    async def work(session: Any) -> None:
        nonlocal tries
        tries += 1
        await db.held.insert_one({"_id": "k"}, session=session)

    try:
        with pytest.raises(TransactionConflict):
            await in_transaction(client, work, conflict_attempts=2)
        assert tries == 2
        await holder.abort_transaction()
        assert await db.held.count_documents({}) == 0  # nothing of it was written
    finally:
        await holder.end_session()
        await client.close()
