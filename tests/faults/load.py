"""Submissions sent through intake while something breaks, and the checks that nothing
accepted is lost or counted twice."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from pymongo import MongoClient

from shared.contract import topics
from tests.e2e.system import System


@dataclass
class Sent:
    accepted: dict[str, str] = field(default_factory=dict)  # submission id → tracking code
    refused: dict[int, int] = field(default_factory=dict)  # status → count
    submitted: int = 0  # submissions a client started sending (each perhaps retried)
    cut: int = 0  # attempts whose connection failed (retried with the same key)


#: The complainant of `send(..., complainant=COMPLAINANT)`: one address, so the mailbox
#: tells every message to a complainant apart by its Message-ID alone.
COMPLAINANT = "complainant@example.com"


def body(i: int, complainant: str | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "kind": "suggestion",
        "category": "school-lunch",
        "subject": f"ข้อเสนอแนะ {i}",
        "description": "ขอให้เพิ่มผลไม้ในมื้อกลางวัน",
        "language": "th",
    }
    if complainant is not None:
        # With an address and consent, case.opened tells the complainant (case_received).
        doc["contact"] = {"email": complainant}
        doc["consent"] = {"contact_me": True}
    return doc


async def send(
    system: System,
    count: int,
    *,
    concurrency: int = 16,
    seconds: float = 120,
    api_key: str | None = None,
    complainant: str | None = None,
    into: Sent | None = None,
    intakes: list[str] | None = None,
) -> Sent:
    """Up to `count` submissions (each retried with its Idempotency-Key while the answer
    is 503 or the connection fails), stopping after `seconds`; with `complainant`, each
    gives that e-mail address and consents to be told. Counted in `into` if given, which
    another thread may watch to break something while the stream is under way. With
    `intakes` (base URLs), the submissions are split across them in turn, as a load
    balancer would (a retry goes to the same one)."""
    sent = into if into is not None else Sent()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)
    deadline = time.monotonic() + seconds
    bases = intakes or [system.url("intake")]

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty() and time.monotonic() < deadline:
            i = queue.get_nowait()
            url = f"{bases[i % len(bases)]}/v1/submissions"
            sent.submitted += 1
            key = str(uuid.uuid4())
            doc = body(i, complainant)
            while time.monotonic() < deadline:
                try:
                    r = await client.post(url, json=doc, headers={"Idempotency-Key": key})
                except httpx.HTTPError:
                    sent.cut += 1
                    await asyncio.sleep(0.2)
                    continue
                if r.status_code == 202:
                    sent.accepted[r.json()["submission_id"]] = r.json()["tracking_code"]
                    break
                sent.refused[r.status_code] = sent.refused.get(r.status_code, 0) + 1
                if r.status_code != 503:
                    break
                await asyncio.sleep(float(r.headers.get("Retry-After", "1")) / 4)

    async with httpx.AsyncClient(timeout=30) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return sent


def cases_by_submission(system: System) -> dict[str, int]:
    client: MongoClient[dict[str, Any]] = MongoClient(system.mongo_url)
    try:
        counts: dict[str, int] = {}
        for doc in client[system.database]["cases"].find({}, {"submission_id": 1}):
            counts[doc["submission_id"]] = counts.get(doc["submission_id"], 0) + 1
        return counts
    finally:
        client.close()


def wait_for_cases(system: System, expected: set[str], timeout: float = 240) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    counts: dict[str, int] = {}
    while time.monotonic() < deadline:
        counts = cases_by_submission(system)
        if expected <= set(counts):
            return counts
        time.sleep(0.5)
    missing = expected - set(counts)
    raise AssertionError(
        f"{len(missing)} accepted submissions have no case after {timeout}s; "
        f"where each stopped: {where_lost(system, missing)}"
    )


def where_lost(system: System, missing: set[str]) -> dict[str, list[str]]:
    """For each accepted submission without a case, the traces it left on its way: its
    tracking record and outbox row in intake and its record on Kafka (the workflow keeps
    no ledger of submissions: a case's id is its submission's), so a failure says which
    step lost it."""
    on_kafka = asyncio.run(_submission_events(system, missing))
    client: MongoClient[dict[str, Any]] = MongoClient(system.mongo_url)
    db = client[system.database]
    try:
        traces: dict[str, list[str]] = {}
        for submission_id in sorted(missing)[:10]:
            found = []
            if db["submissions"].find_one({"_id": submission_id}) is not None:
                found.append("tracking record")
            if db["outbox"].find_one({"events.key": submission_id}) is not None:
                found.append("outbox row (unpublished)")
            found.append(f"{len(on_kafka.get(submission_id, []))} record(s) on Kafka")
            traces[submission_id] = found
        return traces
    finally:
        client.close()


async def _submission_events(system: System, wanted: set[str]) -> dict[str, list[str]]:
    """The event ids on the submissions topic keyed by each wanted submission id."""
    from aiokafka import AIOKafkaConsumer  # type: ignore[import-untyped]

    consumer = AIOKafkaConsumer(
        f"{system.prefix}{topics.SUBMISSIONS}",
        bootstrap_servers=system.kafka_bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    found: dict[str, list[str]] = {}
    try:
        idle = 0
        while idle < 3:
            batches = await consumer.getmany(timeout_ms=1000)
            idle = 0 if batches else idle + 1
            for records in batches.values():
                for record in records:
                    key = record.key.decode() if record.key else ""
                    if key in wanted:
                        found.setdefault(key, []).append(json.loads(record.value)["id"])
    finally:
        await consumer.stop()
    return found


def assert_exactly_once(system: System, sent: Sent) -> None:
    """Every accepted submission is exactly one case, every case's assignee was told
    exactly once, and the reports count exactly the cases."""
    assert sent.accepted, "nothing was accepted"
    assert 500 not in sent.refused, f"intake answered 500: {sent.refused}"
    counts = wait_for_cases(system, set(sent.accepted))
    assert set(counts) == set(sent.accepted), "a case without an accepted submission"
    doubles = {k: v for k, v in counts.items() if v != 1}
    assert not doubles, f"submissions with more than one case: {len(doubles)}"
    n = len(sent.accepted)
    told = settled_count(lambda: assignee_notices(system), n)
    assert told == n, f"{told} assignment notices sent for {n} cases"
    received = settled_count(lambda: reported(system), n)
    assert received == n, f"the reports count {received} received for {n} cases"


def settled_count(count: Callable[[], int], target: int, timeout: float = 240) -> int:
    """Poll `count` until it reaches `target`, then read it once more a little later, so
    anything counted twice has time to show."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and count() < target:
        time.sleep(1)
    time.sleep(2)
    return count()


def assignee_notices(system: System) -> int:
    client: MongoClient[dict[str, Any]] = MongoClient(system.mongo_url)
    try:
        return client[system.database]["notification_deliveries"].count_documents(
            {"template": "case_assigned", "state": "sent"}
        )
    finally:
        client.close()


def reported(system: System) -> int:
    login = httpx.post(
        f"{system.url('workflow')}/v1/auth/login",
        json={"username": "committee", "password": "siang-demo-2569"},
    )
    auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
    r = httpx.get(f"{system.url('reporting')}/v1/reports/summary", headers=auth)
    return int(r.json()["summary"]["received"]) if r.status_code == 200 else 0


def case_ids(system: System, submissions: set[str]) -> set[str]:
    """The ids of the cases opened for `submissions`."""
    client: MongoClient[dict[str, Any]] = MongoClient(system.mongo_url)
    try:
        found = client[system.database]["cases"].find({}, {"submission_id": 1})
        return {doc["_id"] for doc in found if doc["submission_id"] in submissions}
    finally:
        client.close()


def sent_notice_rows(system: System, template: str) -> list[dict[str, Any]]:
    """The delivery ledger's `sent` rows of `template`: case, role, channel, notification id."""
    client: MongoClient[dict[str, Any]] = MongoClient(system.mongo_url)
    try:
        return list(
            client[system.database]["notification_deliveries"].find(
                {"template": template, "state": "sent"},
                {"case_id": 1, "recipient_role": 1, "channel": 1, "notification_id": 1},
            )
        )
    finally:
        client.close()


@dataclass(frozen=True)
class ComplainantNotices:
    ledger_sent: int  # `sent` case_received rows in the delivery ledger
    mailed: int  # distinct messages (Message-IDs) the complainant's mailbox received
    resent: int  # the same message received again (a send whose settling was lost)


def assert_complainants_told_once(system: System, sent: Sent) -> ComplainantNotices:
    """Every accepted submission's complainant is told of its case exactly once: one
    `sent` case_received row per case in the ledger, none for any other case, and one
    distinct e-mail per case in the mailbox.

    A notice sent whose settling was then lost (MongoDB gone mid-write) is sent again
    with the same notification id, so the same Message-ID: a receiver sees one message.
    Those are counted as `resent`, not as doubles; two Message-IDs for one case are."""
    n = len(sent.accepted)
    cases = case_ids(system, set(sent.accepted))
    settled_count(lambda: len(sent_notice_rows(system, "case_received")), n)
    rows = sent_notice_rows(system, "case_received")
    per_case = Counter((r["case_id"], r["recipient_role"], r["channel"]) for r in rows)
    doubles = {k: v for k, v in per_case.items() if v != 1}
    assert not doubles, f"cases whose complainant was told more than once: {doubles}"
    told = {r["case_id"] for r in rows}
    assert told == cases, (
        f"{len(cases - told)} accepted cases' complainants not told, "
        f"{len(told - cases)} told of a case nobody submitted"
    )

    def message_ids() -> list[str]:
        return [str(m.get("Message-ID", "")) for m in system.inbox.to(COMPLAINANT)]

    settled_count(lambda: len(set(message_ids())), n)
    received = message_ids()
    distinct = set(received)
    expected = {f"<{r['notification_id']}@" for r in rows}
    strangers = {m for m in distinct if m.split("@", 1)[0] + "@" not in expected}
    assert not strangers, f"{len(strangers)} e-mails to the complainant the ledger does not know"
    assert len(distinct) == n, f"{len(distinct)} distinct e-mails to complainants for {n} cases"
    return ComplainantNotices(len(rows), len(distinct), len(received) - len(distinct))
