"""The one public tracking door (intake's `/v1/track/{code}` and the page `/track/{code}`)
on the real servers, with the workflow opening and working the case: the public sees the
public timeline only, never personal data, internal comments or staff names; an unknown
code and a wrong PIN get the same answer; wrong PINs on the API and the page count toward
one lock, and a locked code stays locked on every path, even for the right PIN, until
the cool-down ends.

The first two tests were workflow's (`tests/integration/workflow/test_api.py`) when it
answered tracking at `/v1/public/cases/{code}`; their assertions are unchanged."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from services.intake.app import create_app as create_intake
from services.intake.domain.tracking import new_tracking_code
from services.intake.settings import IntakeSettings
from services.workflow.app import create_app as create_workflow
from services.workflow.handlers.submissions import case_id_for
from services.workflow.settings import WorkflowSettings
from shared.contract.tracking_pin import TrackingSettings
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.workflow.conftest import DEMO_PASSWORD
from tests.support import eventually

BODY = {
    "kind": "complaint",
    "complaint_type": "service",
    "category": "documents",
    "subject": "ขอหนังสือรับรองล่าช้า",
    "description": "ยื่นคำขอหนังสือรับรองการทำงานมาสามสัปดาห์แล้วยังไม่ได้รับ",
    "contact": {"name": "มาลี ใจงาม", "email": "malee@example.com", "phone": "0812345678"},
    "consent": {"contact_me": True},
}


@dataclass
class Workflow:
    app: FastAPI
    http: httpx.AsyncClient


@dataclass
class Office:
    intake: httpx.AsyncClient
    workflow_: Workflow | None

    @property
    def workflow(self) -> Workflow:
        assert self.workflow_ is not None, "this test runs intake alone"
        return self.workflow_

    async def submit(self) -> tuple[str, str, str]:
        r = await self.intake.post("/v1/submissions", json=BODY)
        assert r.status_code == 202, r.text
        answer = r.json()
        return answer["submission_id"], answer["tracking_code"], answer["tracking_pin"]

    async def opened(self, submission_id: str) -> dict[str, Any]:
        store = self.workflow.app.state.ctx.store

        async def probe() -> dict[str, Any] | None:
            return await store.cases.find_one({"_id": case_id_for(submission_id)})  # type: ignore[no-any-return]

        return await eventually(probe, what="case opened")

    async def login(self, username: str) -> dict[str, str]:
        r = await self.workflow.http.post(
            "/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD}
        )
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    async def api(self, code: str, pin: str) -> httpx.Response:
        return await self.intake.get(f"/v1/track/{code}", params={"pin": pin})

    async def page(self, code: str, pin: str, lang: str = "th") -> httpx.Response:
        """The PIN form, then the PIN posted with the form's CSRF token (never in a URL)."""
        form = await self.intake.get(f"/track/{code}", params={"lang": lang})
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token, form.text
        return await self.intake.post(
            f"/track/{code}", params={"lang": lang}, data={"pin": pin, "csrf_token": token[1]}
        )


@contextlib.asynccontextmanager
async def running(
    kafka: KafkaSettings, mongo: MongoSettings, tracking: TrackingSettings, *, workflow: bool
) -> AsyncIterator[Office]:
    """Intake (its tracking door locking as `tracking` says) and, if asked, the workflow
    that opens and works the cases, on one Kafka and one database."""
    settings = IntakeSettings(
        kafka=kafka, mongo=mongo, web_burst=100, track_burst=1000, tracking=tracking
    )
    intake_app = create_intake(settings)
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(intake_app.router.lifespan_context(intake_app))
        await intake_app.state.runtime.wait_connected(60)
        intake = await stack.enter_async_context(
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=intake_app), base_url="http://intake", timeout=30
            )
        )
        if not workflow:
            yield Office(intake, None)
            return
        workflow_app = create_workflow(
            WorkflowSettings(kafka=kafka, mongo=mongo, scan_interval_seconds=3600)
        )
        await stack.enter_async_context(workflow_app.router.lifespan_context(workflow_app))
        await workflow_app.state.runtime.wait_connected(60)
        staff = await stack.enter_async_context(
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=workflow_app), base_url="http://workflow"
            )
        )
        yield Office(intake, Workflow(workflow_app, staff))


@pytest.fixture
async def office(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> AsyncIterator[Office]:
    async with running(kafka_settings, mongo_settings, TrackingSettings(), workflow=True) as o:
        yield o


@pytest.fixture
async def quick_lock(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> AsyncIterator[Office]:
    """Intake alone, locking after 3 wrong PINs for a minute: longer than any of these
    tests takes on a loaded machine, so a lock never ends in the middle of one."""
    settings = TrackingSettings(max_wrong_pins=3, lockout_seconds=60)
    async with running(kafka_settings, mongo_settings, settings, workflow=False) as o:
        yield o


@pytest.fixture
async def brief_lock(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> AsyncIterator[Office]:
    """Intake alone, locking after 3 wrong PINs for one second, to see a lock end."""
    settings = TrackingSettings(max_wrong_pins=3, lockout_seconds=1)
    async with running(kafka_settings, mongo_settings, settings, workflow=False) as o:
        yield o


async def test_public_tracking_shows_the_public_timeline_only(office: Office) -> None:
    submission_id, code, pin = await office.submit()
    case = await office.opened(submission_id)
    staff = await office.login(case["assignee"])
    url = f"/v1/cases/{case['_id']}/commands"
    await office.workflow.http.post(f"{url}/start", json={}, headers=staff)
    await office.workflow.http.post(
        f"{url}/comment",
        json={"text": "ผู้ร้องเป็นญาติของ ผอ.", "visibility": "internal"},
        headers=staff,
    )
    await office.workflow.http.post(
        f"{url}/comment", json={"text": "กำลังตรวจสอบเอกสาร", "visibility": "public"}, headers=staff
    )
    r = await office.api(code, pin)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "in_progress" and body["unit_name_th"] == "กลุ่มอำนวยการ"
    assert body["answer_due_at"] is not None
    text = r.text
    assert "กำลังตรวจสอบเอกสาร" in text
    assert "ญาติ" not in text and case["assignee"] not in text
    assert "malee" not in text and "มาลี" not in text
    # The page the receipt and the notices link to shows the same, and no more.
    page = await office.page(code, pin)
    assert page.status_code == 200
    assert "กำลังตรวจสอบเอกสาร" in page.text and "กลุ่มอำนวยการ" in page.text
    for secret in ("ญาติ", case["assignee"], "malee", "มาลี", "0812345678", "+66812345678"):
        assert secret not in page.text


async def test_five_wrong_pins_lock_the_code(office: Office) -> None:
    submission_id, code, pin = await office.submit()
    await office.opened(submission_id)
    for _ in range(5):
        wrong = await office.api(code, "000000" if pin != "000000" else "000001")
        assert wrong.status_code == 404
    locked = await office.api(code, pin)
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 800


async def test_unknown_code_and_wrong_pin_get_the_same_answer(quick_lock: Office) -> None:
    _, code, pin = await quick_lock.submit()
    wrong_pin = await quick_lock.api(code, "000000" if pin != "000000" else "000001")
    unknown = await quick_lock.api(new_tracking_code(), pin)
    assert wrong_pin.status_code == unknown.status_code == 404

    def without_correlation(r: httpx.Response) -> dict[str, Any]:
        return {k: v for k, v in r.json().items() if k != "correlation_id"}

    assert without_correlation(wrong_pin) == without_correlation(unknown)


async def test_a_locked_code_stays_locked_on_every_path(quick_lock: Office) -> None:
    _, code, pin = await quick_lock.submit()
    wrong = "000000" if pin != "000000" else "000001"
    for _ in range(3):
        assert (await quick_lock.api(code, wrong)).status_code == 404
    api = await quick_lock.api(code, pin)
    assert api.status_code == 429 and 1 <= int(api.headers["Retry-After"]) <= 60
    assert api.json()["error"] == "tracking_locked"
    page = await quick_lock.page(code, pin)
    assert page.status_code == 429 and 1 <= int(page.headers["Retry-After"]) <= 60
    assert "กรุณาลองใหม่ในอีก 1 นาที" in page.text
    english = await quick_lock.page(code, pin, lang="en")
    assert english.status_code == 429 and "Try again in 1 minute." in english.text


async def test_a_lock_ends_after_its_cool_down(brief_lock: Office) -> None:
    _, code, pin = await brief_lock.submit()
    wrong = "000000" if pin != "000000" else "000001"
    for _ in range(3):
        assert (await brief_lock.api(code, wrong)).status_code == 404
    await asyncio.sleep(1.2)  # the cool-down ends
    assert (await brief_lock.api(code, pin)).status_code == 200
    assert (await brief_lock.page(code, pin)).status_code == 200


async def test_wrong_pins_on_the_api_and_the_page_count_toward_one_lock(
    quick_lock: Office,
) -> None:
    _, code, pin = await quick_lock.submit()
    wrong = "000000" if pin != "000000" else "000001"
    assert (await quick_lock.api(code, wrong)).status_code == 404
    assert (await quick_lock.page(code, wrong)).status_code == 404
    assert (await quick_lock.api(code, wrong)).status_code == 404
    assert (await quick_lock.page(code, pin)).status_code == 429
    assert (await quick_lock.api(code, pin)).status_code == 429
