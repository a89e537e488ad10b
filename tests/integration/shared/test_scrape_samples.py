"""What the alerts read, measured at each scrape against the real Kafka and MongoDB-wire
server: a consumer group's lag grows while its handler is stuck and falls back to 0 once
it is done; an outbox's backlog and the age of its oldest row grow while nothing relays
them and drop to 0 once relayed; `/metrics` says whether Kafka and MongoDB answer."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from fastapi.testclient import TestClient
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from services.workflow.app import create_app as workflow_app
from services.workflow.settings import WorkflowSettings
from shared.contract import topics
from shared.contract.events import CloudEvent
from shared.infra.kafka import EventConsumer, EventPublisher, create_broker, ensure_topics
from shared.infra.metrics import ServiceMetrics
from shared.infra.mongo import create_mongo_client, database
from shared.infra.outbox import Outbox, OutboxRelay
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.support import comment, eventually


def values(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    return {
        tuple(sorted(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == name
    }


def scraped(metrics: ServiceMetrics, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    return values(generate_latest(metrics.registry).decode(), name)


async def test_a_stuck_group_shows_its_lag_until_it_catches_up(
    kafka_settings: KafkaSettings,
) -> None:
    await ensure_topics(kafka_settings)
    metrics = ServiceMetrics("lag")
    broker = create_broker(kafka_settings, client_id="lag")
    publisher = EventPublisher(kafka_settings, metrics)
    consumer = EventConsumer(broker, publisher, metrics)
    release = asyncio.Event()
    handled: list[str] = []

    async def stuck(event: CloudEvent[Any]) -> None:
        await release.wait()
        handled.append(event.id)

    consumer.subscribe(topics.CASES, "lag-group", stuck)
    await broker.start()
    try:
        # All on one key, so one partition holds them and the handler takes one at a time.
        for i in range(6):
            await publisher.publish(comment("case-lag", f"comment {i}"))

        def group_lag() -> float:
            return sum(
                v
                for k, v in scraped(metrics, "siang_consumer_lag").items()
                if k[0][1] == "lag-group"
            )

        async def behind() -> bool:
            await metrics.sample()
            return group_lag() == 6

        await eventually(behind, timeout=30, what="a lag of the 6 records not handled")
        labels = next(iter(scraped(metrics, "siang_consumer_lag")))
        assert dict(labels)["topic"] == topics.CASES  # the registry's name, not the prefixed one
        release.set()

        async def caught_up() -> bool:
            await metrics.sample()
            return len(handled) == 6 and group_lag() == 0

        await eventually(caught_up, timeout=30, what="the lag back to 0")
    finally:
        release.set()
        await broker.stop()
        await publisher.stop()


async def test_an_outbox_nobody_relays_shows_its_backlog_and_age(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    metrics = ServiceMetrics("outbox")
    publisher = EventPublisher(kafka_settings, metrics)
    client = create_mongo_client(mongo_settings)
    outbox = Outbox(database(client, mongo_settings), "scrape_outbox")
    relay = OutboxRelay(outbox, publisher, name="scrape-outbox")
    key = (("outbox", "scrape-outbox"),)
    try:
        await outbox.add([comment("case-o", f"c{i}") for i in range(3)])
        await asyncio.sleep(1.1)
        await relay.sample()
        assert scraped(metrics, "siang_outbox_backlog")[key] == 3
        assert scraped(metrics, "siang_outbox_oldest_seconds")[key] >= 1.0

        relay.start()  # relaying, and sampled with every scrape from now on
        assert relay.sample in metrics.samplers

        async def drained() -> bool:
            await metrics.sample()
            return (
                scraped(metrics, "siang_outbox_backlog")[key] == 0
                and scraped(metrics, "siang_outbox_oldest_seconds")[key] == 0
            )

        await eventually(drained, timeout=30, what="the outbox relayed")
        await relay.stop()
        assert relay.sample not in metrics.samplers
    finally:
        await relay.stop()
        await publisher.stop()
        await client.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_scrape_says_which_dependency_does_not_answer(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    dead_kafka = KafkaSettings(bootstrap_servers=f"127.0.0.1:{free_port()}")
    app = workflow_app(WorkflowSettings(kafka=dead_kafka, mongo=mongo_settings))
    with TestClient(app) as client:
        up = values(client.get("/metrics").text, "siang_dependency_up")
        assert up == {(("dependency", "kafka"),): 0.0, (("dependency", "mongodb"),): 1.0}
