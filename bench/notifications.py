"""Notification throughput: case.opened events pre-loaded on the topic, each calling for an
e-mail to the complainant and a signed webhook to a partner; time for the notifications
service (its own process, real Kafka and SecantusDB) to deliver them all to a local SMTP
server (aiosmtpd) and a local HTTP receiver, against a baseline in the same run that only
sends (no ledger, no templates, no signing, no outbox) with the same concurrency.

    .venv/bin/python bench/notifications.py [--count 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import smtplib
import sys
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from uuid import uuid4

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
import uvicorn
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiosmtpd.controller import Controller
from pymongo import AsyncMongoClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.common import ROOT, Stopwatch, fresh_names, infra, machine, service_process, table
from shared.contract import topics
from shared.contract.events import (
    CaseOpened,
    Channel,
    Clock,
    Consent,
    Contact,
    Kind,
    Priority,
    make_event,
)
from shared.infra.personal_data import PEOPLE, PersonalData, person_id_for
from tests.support import delete_topics

# The service's default `delivery.concurrency`: the baseline sends with as many in flight.
CONCURRENCY = 128


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Counter:
    """Arrival times of deliveries, on both receivers."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def hit(self) -> None:
        self.times.append(time.perf_counter())

    def reset(self) -> None:
        self.times = []


class Mailbox:
    def __init__(self, counter: Counter) -> None:
        self.counter = counter

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.counter.hit()
        return "250 OK"


def people(n: int) -> list[dict[str, object]]:
    """The complainants of `events(n)`, as intake writes them to the personal-data store."""
    now = datetime.now(UTC)
    return [
        PersonalData.document(
            person_id_for(f"bench-{i}"),
            Contact(name="มาลี ใจงาม", email=f"person{i}@example.com"),
            source="web",
            at=now,
        )
        for i in range(n)
    ]


def events(n: int) -> list[tuple[bytes, bytes]]:
    now = datetime.now(UTC)
    out = []
    for i in range(n):
        case_id = uuid4().hex
        data = CaseOpened(
            case_id=case_id,
            submission_id=uuid4().hex,
            tracking_code=f"SG-B{i:03d}-{i % 9999:04d}",
            channel=Channel.web,
            kind=Kind.complaint,
            category="school-lunch",
            unit="promotion",
            priority=Priority.normal,
            subject=f"อาหารกลางวันโรงเรียนไม่ครบ ครั้งที่ {i}",
            received_at=now,
            deadlines={Clock.resolution: now + timedelta(days=30)},
            person_id=person_id_for(f"bench-{i}"),
            consent=Consent(contact_me=True),
        )
        event = make_event(data, source="/bench", subject=case_id)
        out.append((case_id.encode(), event.to_json()))
    return out


async def preload(bootstrap: str, topic: str, values: list[tuple[bytes, bytes]]) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5
    )
    await producer.start()
    try:
        futures = [await producer.send(topic, v, key=k) for k, v in values]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def baseline(
    bootstrap: str, topic: str, n: int, smtp_port: int, hook_url: str, counter: Counter
) -> float:
    """A bare consumer that sends a fixed ASCII mail and an unsigned POST per event."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"base-{uuid4().hex[:6]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    # The HTTP client the service's channels use, so the difference is the service's work.
    http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))

    def connect() -> smtplib.SMTP:
        return smtplib.SMTP("127.0.0.1", smtp_port, timeout=10)

    async def sender() -> None:
        conn = await asyncio.to_thread(connect)
        try:
            while True:
                value = await queue.get()
                msg = EmailMessage()
                msg["From"], msg["To"], msg["Subject"] = "a@example.com", "b@example.com", "hi"
                msg.set_content("case received")
                await asyncio.to_thread(conn.send_message, msg)
                async with http.post(hook_url, data=value[:200]) as response:
                    await response.read()
                queue.task_done()
        finally:
            await asyncio.to_thread(conn.quit)

    await consumer.start()
    watch = Stopwatch()
    workers = [asyncio.create_task(sender()) for _ in range(CONCURRENCY)]
    try:
        seen = 0
        while seen < n:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for r in records:
                    queue.put_nowait(r.value)
                    seen += 1
        await queue.join()
        return watch.seconds()
    finally:
        for w in workers:
            w.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        await consumer.stop()
        await http.close()


async def wait_for(counter: Counter, n: int, timeout: float) -> bool:
    watch = Stopwatch()
    while watch.seconds() < timeout:
        if len(counter.times) >= n:
            return True
        await asyncio.sleep(0.1)
    return False


async def main(count: int, bootstrap: str, mongo_url: str) -> None:
    counter = Counter()
    smtp_port = free_port()
    controller = Controller(Mailbox(counter), hostname="127.0.0.1", port=smtp_port)
    controller.start()

    async def hook(request: Request) -> Response:
        await request.body()
        counter.hit()
        return Response(status_code=204)

    http_port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            Starlette(routes=[Route("/{rest:path}", hook, methods=["POST"])]),
            host="127.0.0.1",
            port=http_port,
            log_level="error",
            lifespan="off",
        )
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to await
        await asyncio.sleep(0.05)

    prefix, db_name = fresh_names("notifications")
    values = events(count)
    loader: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(mongo_url)
    await loader[db_name][PEOPLE].insert_many(people(count))
    await loader.close()
    deliveries = 2 * count
    await preload(bootstrap, prefix + topics.CASES, values)
    hook_url = f"http://127.0.0.1:{http_port}/hooks/partner"
    base = await baseline(bootstrap, prefix + topics.CASES, count, smtp_port, hook_url, counter)
    counter.reset()

    env = {
        "SIANG_KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "SIANG_KAFKA_TOPIC_PREFIX": prefix,
        "SIANG_MONGO_URL": mongo_url,
        "SIANG_MONGO_DATABASE": db_name,
        "SIANG_NOTIFICATIONS_PORT": str(free_port()),
        "SIANG_NOTIFICATIONS_LOG_LEVEL": "WARNING",
        "SIANG_NOTIFICATIONS_SMTP__PORT": str(smtp_port),
        "SIANG_NOTIFICATIONS_DIGEST__ENABLED": "false",
        "SIANG_NOTIFICATIONS_WEBHOOKS": json.dumps(
            [{"id": "partner", "url": hook_url, "secrets": ["bench-secret"]}]
        ),
    }
    log = ROOT / ".local" / "logs" / "bench-notifications.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        with service_process("services.notifications", env, log):
            finished = await wait_for(counter, deliveries, timeout=900)
    finally:
        server.should_exit = True
        await serving
        controller.stop()
    total = time.perf_counter() - started
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(mongo_url)
    sent = await client[db_name]["notification_deliveries"].count_documents({"state": "sent"})
    # The shared relay deletes what Kafka acknowledged: what is left is still to publish.
    unpublished = await client[db_name]["notifications_outbox"].count_documents({})
    await client.drop_database(db_name)
    await client.close()
    await delete_topics(bootstrap, prefix)
    if not finished:
        print(f"only {len(counter.times)} of {deliveries} deliveries arrived; see {log}")
        raise SystemExit(1)
    took = counter.times[-1] - counter.times[0]
    rows = [
        (
            "baseline: consume, send plain mail + POST",
            f"{deliveries}",
            f"{base:.2f}",
            f"{deliveries / base:.0f}",
        ),
        (
            "service: ledger, templates, signing, outbox",
            f"{deliveries}",
            f"{took:.2f}",
            f"{deliveries / took:.0f}",
        ),
    ]
    print(f"machine: {machine()}; concurrency {CONCURRENCY}; wall time with start-up: {total:.1f}s")
    print(f"ledger rows sent: {sent}; outbox rows not yet relayed at the end: {unpublished}")
    print(table(rows, ("run", "deliveries", "seconds", "per second")))
    print(f"ratio service/baseline throughput: {base / took:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    kafka_bootstrap, url = infra()  # before the event loop: it checks readiness synchronously
    asyncio.run(main(parser.parse_args().count, kafka_bootstrap, url))
