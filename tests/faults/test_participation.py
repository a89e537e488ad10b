"""Nothing accepted is lost or counted twice when participation is killed mid-stream:
opinions given through its public API (retried with their `submission_key`, as a client
whose connection was cut does) and through intake (`consultation_id`, consumed again from
Kafka after the restart) are each counted exactly once in the consultation's tally."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
from pymongo import MongoClient

from tests.e2e.system import System
from tests.e2e.test_replicas import by_intake, consultation, known_to, signed_in

PUBLIC = 300
THROUGH_INTAKE = 60


@dataclass
class Given:
    accepted: dict[str, str] = field(default_factory=dict)  # submission key → opinion id
    through_intake: set[str] = field(default_factory=set)  # submission ids accepted
    refused: dict[int, int] = field(default_factory=dict)  # status → count
    sent: int = 0  # opinions a client started giving (each perhaps retried)
    cut: int = 0  # attempts whose connection failed (retried with the same key)
    replayed: int = 0  # retries answered "received once already" (200)
    why: list[str] = field(default_factory=list)  # the refusals' words


async def give(system: System, cid: str, given: Given, seconds: float) -> None:
    """`PUBLIC` opinions on participation's public API, 8 at a time, each retried with
    its `submission_key` while the connection fails or the answer is 5xx or "busy; try
    again"; and
    `THROUGH_INTAKE` through intake with an Idempotency-Key, 2 at a time."""
    base, intake = system.url("participation"), system.url("intake")
    deadline = time.monotonic() + seconds
    public: asyncio.Queue[int] = asyncio.Queue()
    for i in range(PUBLIC):
        public.put_nowait(i)
    sent_through: asyncio.Queue[int] = asyncio.Queue()
    for i in range(THROUGH_INTAKE):
        sent_through.put_nowait(i)

    async def opinions(client: httpx.AsyncClient) -> None:
        while not public.empty() and time.monotonic() < deadline:
            i = public.get_nowait()
            key = f"fault-{uuid.uuid4().hex[:24]}"
            body = {"group": "parents", "answers": {"lunch": "good"}, "submission_key": key}
            given.sent += 1
            url = f"{base}/v1/public/consultations/{cid}/opinions"
            while time.monotonic() < deadline:
                try:
                    r = await client.post(url, json=body)
                except httpx.HTTPError:
                    given.cut += 1
                    await asyncio.sleep(0.2)
                    continue
                if r.status_code in (200, 201):
                    given.accepted[key] = r.json()["opinion_id"]
                    given.replayed += r.status_code == 200
                    break
                given.refused[r.status_code] = given.refused.get(r.status_code, 0) + 1
                given.why.append(r.text[:300])
                # 503 (the database away, or busy: a write that kept meeting another
                # transaction, such as the killed process's unfinished one) asks for the
                # same again, as a client retries any 503.
                if r.status_code < 500:
                    break
                await asyncio.sleep(0.5)
            await asyncio.sleep(0.02 * (i % 3))

    async def submissions(client: httpx.AsyncClient) -> None:
        while not sent_through.empty() and time.monotonic() < deadline:
            i = sent_through.get_nowait()
            key = {"Idempotency-Key": str(uuid.uuid4())}
            while time.monotonic() < deadline:
                try:
                    r = await client.post(
                        f"{intake}/v1/submissions", json=by_intake(cid, i), headers=key
                    )
                except httpx.HTTPError:
                    await asyncio.sleep(0.2)
                    continue
                if r.status_code == 202:
                    given.through_intake.add(r.json()["submission_id"])
                    break
                if r.status_code != 503:
                    given.refused[r.status_code] = given.refused.get(r.status_code, 0) + 1
                    break
                await asyncio.sleep(1)
            await asyncio.sleep(0.05)

    async with httpx.AsyncClient(timeout=30) as client:
        await asyncio.gather(
            *(opinions(client) for _ in range(8)), *(submissions(client) for _ in range(2))
        )


def opinion_docs(system: System, cid: str) -> list[dict[str, Any]]:
    client: MongoClient[dict[str, Any]] = MongoClient(system.mongo_url)
    try:
        found = client[system.database]["participation_opinions"].find(
            {"consultation_id": cid}, {"submission_id": 1, "group": 1}
        )
        return list(found)
    finally:
        client.close()


def test_participation_sigkilled_mid_stream_counts_each_opinion_once(system: System) -> None:
    participation = system.services["participation"]
    admin = signed_in(system, "admin")
    cid = consultation(system, admin)
    known_to(system.url("intake"), cid)
    given = Given()
    at_kill: list[int] = []

    def crash_and_restart() -> None:
        deadline = time.monotonic() + 60
        while len(given.accepted) < PUBLIC // 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        at_kill.append(len(given.accepted))
        participation.kill()  # kill -9: whatever was in flight is cut off
        time.sleep(1)
        participation.start()

    chaos = threading.Thread(target=crash_and_restart)
    chaos.start()
    asyncio.run(give(system, cid, given, seconds=240))
    chaos.join()
    participation.wait_ready()

    def tally() -> dict[str, int]:
        r = httpx.get(f"{system.url('participation')}/v1/consultations/{cid}", headers=admin)
        return dict(r.json()["by_group"]) if r.status_code == 200 else {}

    expected = {"parents": len(given.accepted), "teachers": len(given.through_intake)}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and tally() != expected:
        time.sleep(0.5)
    time.sleep(2)  # anything counted twice has time to show
    counted, docs = tally(), opinion_docs(system, cid)
    ids = Counter(str(d["_id"]) for d in docs)
    from_intake = Counter(str(d["submission_id"]) for d in docs if d.get("submission_id"))
    print(
        f"\nparticipation SIGKILL: sent {given.sent} on the public API "
        f"(+{THROUGH_INTAKE} through intake), accepted {len(given.accepted)} "
        f"(+{len(given.through_intake)} through intake; killed after {at_kill} accepted; "
        f"refused on the way: {given.refused or 'none'}, connections cut: {given.cut}, "
        f"retries answered as received once already: {given.replayed}); opinions found "
        f"{len(docs)}, tally {counted}"
    )
    assert at_kill and 0 < at_kill[0] < PUBLIC, at_kill
    assert given.cut > 0, "no request was cut off by the kill"
    assert 500 not in given.refused, given.why
    assert len(given.accepted) == given.sent == PUBLIC, given.why
    assert len(given.through_intake) == THROUGH_INTAKE, given.refused
    assert counted == expected, f"tally {counted}, accepted {expected}"
    assert set(ids.values()) == {1} and len(docs) == PUBLIC + THROUGH_INTAKE
    assert set(given.accepted.values()) <= set(ids), "an accepted opinion is missing"
    assert set(from_intake) == given.through_intake and set(from_intake.values()) == {1}
