"""Every service as two processes on the same Kafka and database, as an office that has
scaled out runs it: a stream of submissions split across both intakes loses and doubles
nothing (each one case, each assignee and complainant told once, by whichever
notifications replica, and both reporting replicas count them exactly), and opinions on
a consultation given through both participation replicas, and through both intakes, are
each counted once."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.system import System, running_system
from tests.faults.load import (
    COMPLAINANT,
    assert_complainants_told_once,
    assert_exactly_once,
    send,
    settled_count,
)

STREAM = 300
PASSWORD = "siang-demo-2569"


@pytest.fixture(scope="module")
def replicated(
    kafka_bootstrap: str, mongo_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[System]:
    logs: Path = tmp_path_factory.mktemp("replicas-logs")
    with running_system(kafka_bootstrap, mongo_url, logs, replicas=2) as running:
        yield running


def signed_in(system: System, username: str) -> dict[str, str]:
    r = httpx.post(
        f"{system.url('workflow')}/v1/auth/login",
        json={"username": username, "password": PASSWORD},
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def received_on(reporting: str, auth: dict[str, str]) -> int:
    r = httpx.get(f"{reporting}/v1/reports/summary", headers=auth)
    return int(r.json()["summary"]["received"]) if r.status_code == 200 else 0


def test_a_stream_split_across_two_of_everything_is_counted_once(replicated: System) -> None:
    system = replicated
    intakes = system.urls("intake")
    assert len(intakes) == 2 and all(len(system.urls(n)) == 2 for n in system.services)
    started = time.monotonic()
    sent = asyncio.run(send(system, STREAM, seconds=180, complainant=COMPLAINANT, intakes=intakes))
    assert len(sent.accepted) == STREAM, f"refused: {sent.refused}"
    assert_exactly_once(system, sent)
    notices = assert_complainants_told_once(system, sent)
    # Each reporting replica keeps its own copy of the cells: both say the same.
    auth = signed_in(system, "committee")
    for reporting in system.urls("reporting"):
        assert settled_count(lambda r=reporting: received_on(r, auth), STREAM) == STREAM
    # Both processes of each consuming service took their share of the partitions.
    shares = {
        name: [consumed(url) for url in system.urls(name)]
        for name in ("workflow", "notifications", "reporting", "participation")
    }
    assert all(all(each) for each in shares.values()), f"a replica consumed nothing: {shares}"
    print(
        f"\n{STREAM} submissions across 2 intakes: every one a case, told and reported "
        f"once in {time.monotonic() - started:.0f} s; complainants' e-mails {notices.mailed}; "
        f"events consumed per replica: {shares}"
    )


def consumed(base: str) -> float:
    """The events a process consumed without trouble, from its own /metrics."""
    text = httpx.get(f"{base}/metrics").text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("siang_events_consumed_total{") and 'outcome="ok"' in line
    )


def consultation(system: System, admin: dict[str, str]) -> str:
    today = date.today()
    body = {
        "topic_th": "อาหารกลางวันในโรงเรียน",
        "mission_item": "S3",
        "groups": ["parents", "teachers"],
        "opens_on": (today - timedelta(days=1)).isoformat(),
        "closes_on": (today + timedelta(days=20)).isoformat(),
        "questions": [
            {
                "id": "lunch",
                "kind": "choice",
                "text_th": "อาหารกลางวันเป็นอย่างไร",
                "choices": [
                    {"code": "good", "label_th": "ดี"},
                    {"code": "poor", "label_th": "ควรปรับปรุง"},
                ],
                "required": True,
            }
        ],
    }
    base = system.url("participation")
    r = httpx.post(f"{base}/v1/consultations", json=body, headers=admin)
    assert r.status_code == 201, r.text
    cid = str(r.json()["consultation_id"])
    r = httpx.post(f"{base}/v1/consultations/{cid}/commands/open", headers=admin)
    assert r.status_code == 200, r.text
    return cid


def by_intake(cid: str, i: int) -> dict[str, Any]:
    return {
        "kind": "suggestion",
        "category": "public-consultation",
        "subject": f"ความเห็น {i}",
        "description": "อาหารกลางวันควรมีผลไม้",
        "consultation_id": cid,
        "stakeholder_group": "teachers",
        "answers": {"lunch": "poor"},
    }


def known_to(intake: str, cid: str, timeout: float = 60) -> None:
    """Wait until this intake takes opinions on the consultation (its copy comes from the
    consultation's events): an answer that is no choice is then refused naming it."""
    deadline = time.monotonic() + timeout
    wrong = {**by_intake(cid, 0), "answers": {"lunch": "maybe"}}
    while time.monotonic() < deadline:
        r = httpx.post(f"{intake}/v1/submissions", json=wrong)
        if r.status_code == 422 and "answers.lunch" in r.text:
            return
        time.sleep(0.5)
    raise AssertionError(f"{intake} did not learn of consultation {cid} in {timeout} s")


def test_opinions_through_both_replicas_are_counted_once(replicated: System) -> None:
    system = replicated
    admin = signed_in(system, "admin")
    cid = consultation(system, admin)
    public, through_intake = 20, 10
    participations, intakes = system.urls("participation"), system.urls("intake")
    for i in range(public):
        body = {
            "group": "parents",
            "answers": {"lunch": "good"},
            "submission_key": f"opinion-{uuid.uuid4().hex[:16]}",
        }
        # Sent to one replica, and the same again to the other (a retry behind a load
        # balancer): received once.
        for base, status in ((participations[i % 2], 201), (participations[(i + 1) % 2], 200)):
            r = httpx.post(f"{base}/v1/public/consultations/{cid}/opinions", json=body)
            assert r.status_code == status, r.text
    for intake in intakes:
        known_to(intake, cid)
    for i in range(through_intake):
        key = {"Idempotency-Key": str(uuid.uuid4())}
        for _ in range(2):  # a retry of the same submission counts once too
            r = httpx.post(f"{intakes[i % 2]}/v1/submissions", json=by_intake(cid, i), headers=key)
            assert r.status_code == 202, r.text

    def counted(base: str) -> dict[str, int]:
        r = httpx.get(f"{base}/v1/consultations/{cid}", headers=admin)
        assert r.status_code == 200, r.text
        return dict(r.json()["by_group"])

    expected = {"parents": public, "teachers": through_intake}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and counted(participations[0]) != expected:
        time.sleep(0.5)
    time.sleep(2)  # anything counted twice has time to show
    for base in participations:
        assert counted(base) == expected
        listed = httpx.get(f"{base}/v1/consultations/{cid}/opinions", headers=admin).json()
        assert len(listed["opinions"]) == public + through_intake
