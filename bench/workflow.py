"""Workflow throughput: submissions pre-loaded on the topic; time for the workflow service
(its own process, real Kafka and SecantusDB) to open and assign every case, and to have
relayed every event of them to Kafka (its outbox empty), against a bare consumer in the
same run that only inserts one document per message. The relay shares the service's
process with the consumer, so the first figure alone favours a relay that falls behind.

    .venv/bin/python bench/workflow.py [--count 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from pymongo import AsyncMongoClient

from bench.common import (
    ROOT,
    Stopwatch,
    fresh_names,
    infra,
    machine,
    metric,
    service_process,
    table,
)
from shared.contract import topics
from shared.contract.events import Channel, Consent, Contact, Kind, SubmissionReceived, make_event
from shared.infra.personal_data import PEOPLE, PersonalData, person_id_for
from tests.support import delete_topics

CATEGORIES = [
    "documents",
    "school-admission",
    "school-lunch",
    "teaching-quality",
    "personnel-matters",
    "procurement",
    "facilities",
    "ict-services",
]


def people(n: int) -> list[dict[str, object]]:
    """The senders of `submissions(n)`, as intake writes them to the personal-data store."""
    now = datetime.now(UTC)
    return [
        PersonalData.document(
            person_id_for(f"bench-{i}"),
            Contact(email=f"person{i}@example.com"),
            source="web",
            at=now,
        )
        for i in range(n)
    ]


def submissions(n: int) -> list[bytes]:
    out = []
    for i in range(n):
        sub = SubmissionReceived(
            submission_id=uuid4().hex,
            tracking_code=f"SG-B{i:05d}",
            channel=Channel.web,
            kind=Kind.suggestion,
            category=CATEGORIES[i % len(CATEGORIES)],
            subject=f"ข้อเสนอแนะที่ {i}",
            description="ขอให้ปรับปรุงการให้บริการ " * 5,
            person_id=person_id_for(f"bench-{i}"),
            consent=Consent(contact_me=True),
            received_at=datetime.now(UTC),
        )
        out.append(make_event(sub, source="/bench", subject=sub.submission_id).to_json())
    return out


async def preload(bootstrap: str, topic: str, values: list[bytes]) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5
    )
    await producer.start()
    try:
        futures = [await producer.send(topic, v, key=str(i).encode()) for i, v in enumerate(values)]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def baseline(bootstrap: str, topic: str, mongo_url: str, db_name: str, n: int) -> float:
    """A bare consumer group member: one majority+journal insert per message, commit after."""
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
        mongo_url, w="majority", journal=True
    )
    coll = client[db_name]["baseline"]
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"base-{uuid4().hex[:6]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    done = 0
    watch = Stopwatch()
    try:
        while done < n:
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                for r in records:
                    await coll.insert_one({"_id": r.offset + r.partition * 10**9, "v": r.value})
                    done += 1
            await consumer.commit()
        return watch.seconds()
    finally:
        await consumer.stop()
        await client.drop_database(db_name)
        await client.close()


async def wait_for_cases(metrics_url: str, n: int, timeout: float) -> tuple[Stopwatch, int] | None:
    """Once the service has opened `n` cases: a stopwatch started at its first answer,
    and how many it had opened by then (while starting up)."""
    watch = Stopwatch()
    first: tuple[Stopwatch, int] | None = None
    while watch.seconds() < timeout:
        opened = await metric(metrics_url, "siang_submission_to_case_seconds_count")
        if opened is not None:
            if first is None:
                first = (Stopwatch(), int(opened))
            if opened >= n:
                return first[0], first[1]
        await asyncio.sleep(0.1)
    return None


async def wait_for_relay(metrics_url: str, since: Stopwatch, timeout: float) -> float | None:
    """Seconds on `since` until the outbox holds nothing left to publish: the cases'
    events are all on Kafka, which is the rest of the workflow's job."""
    while since.seconds() < timeout:
        if await metric(metrics_url, "siang_outbox_backlog") == 0:
            return since.seconds()
        await asyncio.sleep(0.1)
    return None


async def main(count: int, bootstrap: str, mongo_url: str) -> None:
    prefix, db_name = fresh_names("workflow")
    topic = prefix + topics.SUBMISSIONS
    values = submissions(count)
    await preload(bootstrap, topic, values)
    base = await baseline(bootstrap, topic, mongo_url, db_name + "_base", count)
    loader: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(mongo_url)
    await loader[db_name][PEOPLE].insert_many(people(count))
    await loader.close()

    env = {
        "SIANG_KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "SIANG_KAFKA_TOPIC_PREFIX": prefix,
        "SIANG_MONGO_URL": mongo_url,
        "SIANG_MONGO_DATABASE": db_name,
        "SIANG_WORKFLOW_PORT": "18902",
        "SIANG_WORKFLOW_LOG_LEVEL": "WARNING",
    }
    log = ROOT / ".local" / "logs" / "bench-workflow.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    metrics_url = "http://127.0.0.1:18902/metrics"
    relayed: float | None = None
    with service_process("services.workflow", env, log):
        waited = await wait_for_cases(metrics_url, count, timeout=600)
        if waited is not None:
            took = waited[0].seconds()
            relayed = await wait_for_relay(metrics_url, waited[0], timeout=600)
    total = time.perf_counter() - started
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(mongo_url)
    cases = await client[db_name]["cases"].count_documents({})
    assigned = await client[db_name]["cases"].count_documents({"status": "assigned"})
    await client.drop_database(db_name)
    await client.close()
    await delete_topics(bootstrap, prefix)
    if waited is None or relayed is None or cases != count:
        print(
            f"workflow did not assign {count} cases within the time limit ({cases} opened); see {log}"
        )
        raise SystemExit(1)
    early = waited[1]
    print(f"cases assigned: {assigned} of {count}; opened while starting up: {early}")
    rows = [
        ("bare consumer: 1 insert per message", f"{count}", f"{base:.2f}", f"{count / base:.0f}"),
        (
            "workflow: open, route, assign (batched transactions)",
            f"{count - early}",
            f"{took:.2f}",
            f"{(count - early) / took:.0f}",
        ),
        (
            "workflow: and every event relayed to Kafka",
            f"{count - early}",
            f"{relayed:.2f}",
            f"{(count - early) / relayed:.0f}",
        ),
    ]
    print(f"machine: {machine()}; wall time with the service's start-up: {total:.1f}s")
    print(table(rows, ("run", "messages", "seconds", "per second")))
    print(f"ratio workflow/baseline throughput: {((count - early) / took) / (count / base):.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    kafka_bootstrap, url = infra()  # before the event loop: it checks readiness synchronously
    asyncio.run(main(parser.parse_args().count, kafka_bootstrap, url))
