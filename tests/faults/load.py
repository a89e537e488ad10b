"""Submissions sent through intake while something breaks, and the checks that nothing
accepted is lost or counted twice."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from pymongo import MongoClient

from tests.e2e.system import System


@dataclass
class Sent:
    accepted: dict[str, str] = field(default_factory=dict)  # submission id → tracking code
    refused: dict[int, int] = field(default_factory=dict)  # status → count


def body(i: int) -> dict[str, Any]:
    return {
        "kind": "suggestion",
        "category": "school-lunch",
        "subject": f"ข้อเสนอแนะ {i}",
        "description": "ขอให้เพิ่มผลไม้ในมื้อกลางวัน",
        "language": "th",
    }


async def send(
    system: System,
    count: int,
    *,
    concurrency: int = 16,
    seconds: float = 120,
    api_key: str | None = None,
) -> Sent:
    """Up to `count` submissions (each retried with its Idempotency-Key while the answer
    is 503 or the connection fails), stopping after `seconds`."""
    sent = Sent()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)
    deadline = time.monotonic() + seconds
    url = f"{system.url('intake')}/v1/submissions"

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty() and time.monotonic() < deadline:
            i = queue.get_nowait()
            key = str(uuid.uuid4())
            while time.monotonic() < deadline:
                try:
                    r = await client.post(url, json=body(i), headers={"Idempotency-Key": key})
                except httpx.HTTPError:
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
    missing = len(expected - set(counts))
    raise AssertionError(f"{missing} accepted submissions have no case after {timeout}s")


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
