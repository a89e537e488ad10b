"""A complainant's follow-up and withdrawal on the real servers: intake's tracking door
takes them (API and page, PIN checked, lock-out as before), Kafka carries
`submission.follow_up` / `submission.withdrawn`, and the workflow applies each once: the
added information goes on the case's timeline (staff and public) and brings a case that
waited for it back to work with its clock running; the withdrawal closes the case as
withdrawn; a closed case is refused with 409."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from services.workflow.handlers.submissions import case_id_for
from shared.contract.tracking_pin import TrackingSettings
from shared.infra.event_store import stored_events
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.intake.test_tracking import Office, running
from tests.support import eventually


@pytest.fixture
async def office(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> AsyncIterator[Office]:
    settings = TrackingSettings(max_wrong_pins=3, lockout_seconds=600)
    async with running(kafka_settings, mongo_settings, settings, workflow=True) as o:
        yield o


async def case_where(office: Office, submission_id: str, ok: Any, what: str) -> dict[str, Any]:
    store = office.workflow.app.state.ctx.store

    async def probe() -> dict[str, Any] | None:
        doc = await store.cases.find_one({"_id": case_id_for(submission_id)})
        return doc if doc is not None and ok(doc) else None

    return await eventually(probe, what=what)


async def waiting_for_information(office: Office) -> tuple[str, str, str, dict[str, Any]]:
    submission_id, code, pin = await office.submit()
    case = await office.opened(submission_id)
    staff = await office.login(case["assignee"])
    url = f"/v1/cases/{case['_id']}/commands"
    r = await office.workflow.http.post(f"{url}/start", json={}, headers=staff)
    assert r.status_code == 200, r.text
    r = await office.workflow.http.post(
        f"{url}/request_info", json={"public_reason": "ขอทราบเลขที่คำขอ"}, headers=staff
    )
    assert r.status_code == 200 and r.json()["status"] == "awaiting_info", r.text
    return submission_id, code, pin, staff


async def test_added_information_resumes_the_case_and_shows_on_both_timelines(
    office: Office,
) -> None:
    submission_id, code, pin, staff = await waiting_for_information(office)
    paused = await case_where(office, submission_id, lambda d: True, "the paused case")
    assert paused["clocks"]["resolution"]["paused_since"] is not None

    r = await office.intake.post(
        f"/v1/track/{code}/information",
        json={"text": "เลขที่คำขอ 2568/0412"},
        headers={"X-Tracking-PIN": pin},
    )
    assert r.status_code == 202, r.text

    case = await case_where(
        office, submission_id, lambda d: d["status"] == "in_progress", "the case back at work"
    )
    assert case["clocks"]["resolution"]["paused_since"] is None
    [added] = [e for e in case["timeline"] if e["command"] == "add_info"]
    assert added["public_reason"] == "เลขที่คำขอ 2568/0412" and added["visibility"] == "public"
    # Staff read it on the case.
    detail = await office.workflow.http.get(f"/v1/cases/{case['_id']}", headers=staff)
    assert "เลขที่คำขอ 2568/0412" in detail.text
    # The complainant reads it on the public timeline, as theirs.
    public = (await office.api(code, pin)).json()
    assert public["status"] == "in_progress"
    assert {"event": "add_info", "message": "เลขที่คำขอ 2568/0412", "status": "in_progress"} in [
        {k: s[k] for k in ("event", "message", "status")} for s in public["timeline"]
    ]
    page = await office.page(code, pin)
    assert "ข้อมูลเพิ่มเติมจากท่าน" in page.text and "เลขที่คำขอ 2568/0412" in page.text
    # The case event that tells the assignee, written once with the change.
    events = office.workflow.app.state.ctx.store.events
    stored = [d async for d in events.find({"case_id": case["_id"]})]
    types = [ev["type"] for doc in stored for ev in stored_events(doc)]
    assert types.count("th.go.siang.case.info_added.v1") == 1


async def test_the_same_follow_up_sent_twice_is_applied_once(office: Office) -> None:
    submission_id, code, pin, _ = await waiting_for_information(office)
    headers = {"X-Tracking-PIN": pin, "Idempotency-Key": "follow-up-1"}
    for _ in range(2):
        r = await office.intake.post(
            f"/v1/track/{code}/information", json={"text": "ครั้งเดียว"}, headers=headers
        )
        assert r.status_code == 202
    await case_where(office, submission_id, lambda d: d["status"] == "in_progress", "resumed")
    r = await office.intake.post(
        f"/v1/track/{code}/information", json={"text": "อีกเรื่องหนึ่ง"}, headers={"X-Tracking-PIN": pin}
    )
    assert r.status_code == 202
    case = await case_where(
        office,
        submission_id,
        lambda d: sum(e["command"] == "add_info" for e in d["timeline"]) == 2,
        "the second follow-up",
    )
    texts = [e["public_reason"] for e in case["timeline"] if e["command"] == "add_info"]
    assert texts == ["ครั้งเดียว", "อีกเรื่องหนึ่ง"]


async def test_withdrawing_closes_the_case_and_then_it_takes_nothing_more(
    office: Office,
) -> None:
    submission_id, code, pin = await office.submit()
    await office.opened(submission_id)
    page = await office.page(code, pin)
    action = f"/track/{code}/withdrawal"
    form = page.text.split(f'action="{action}', 1)[1].split("</form>", 1)[0]
    fields = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form))

    done = await office.intake.post(
        action, data={**fields, "reason": "ได้รับหนังสือแล้ว", "confirm": "yes"}
    )
    assert done.status_code == 202, done.text

    case = await case_where(office, submission_id, lambda d: d["status"] == "closed", "closed")
    assert case["close_reason"] == "withdrawn"
    closed = await office.api(code, pin)
    assert closed.json()["close_reason"] == "withdrawn"
    again = await office.intake.post(
        f"/v1/track/{code}/information",
        json={"text": "ยังอยู่ไหม"},
        headers={"X-Tracking-PIN": pin, "Accept-Language": "en"},
    )
    assert again.status_code == 409 and again.json()["error"] == "case_closed"
    withdraw = await office.intake.post(
        f"/v1/track/{code}/withdrawal", json={}, headers={"X-Tracking-PIN": pin}
    )
    assert withdraw.status_code == 409


async def test_wrong_pins_on_a_change_lock_the_code_as_before(office: Office) -> None:
    submission_id, code, pin = await office.submit()
    await office.opened(submission_id)
    wrong = "000000" if pin != "000000" else "000001"
    for _ in range(3):
        r = await office.intake.post(
            f"/v1/track/{code}/withdrawal", json={}, headers={"X-Tracking-PIN": wrong}
        )
        assert r.status_code == 404
    locked = await office.intake.post(
        f"/v1/track/{code}/withdrawal", json={}, headers={"X-Tracking-PIN": pin}
    )
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 500
    assert (await office.api(code, pin)).status_code == 429
    case = await office.opened(submission_id)
    assert case["status"] != "closed"
