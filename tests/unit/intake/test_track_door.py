"""The one public tracking door over HTTP, with the handler on fakes behind the real app
factory: the API and the page answer the same case, count wrong PINs toward the same
lock, and while a code is locked both answer 429 with Retry-After — even for the right
PIN — in words a person reads (Thai first, English with ?lang=en)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest

from services.intake.app import create_app
from services.intake.domain.progress import CaseProgress, PublicStep
from services.intake.domain.rate_limit import WindowLimit
from services.intake.domain.tracking import TrackingRecord
from services.intake.handlers.follow_up import ComplainantDesk
from services.intake.handlers.rate_limit import RateLimit
from services.intake.settings import IntakeSettings

from .fakes import FakeRateCounts
from .test_track import T0, Office

PIN = "246810"


@dataclass
class Door:
    office: Office
    client: httpx.AsyncClient
    record: TrackingRecord

    async def api(self, pin: str, **headers: str) -> httpx.Response:
        return await self.client.get(
            f"/v1/track/{self.record.tracking_code}", params={"pin": pin}, headers=headers
        )

    async def page(self, pin: str, lang: str = "th") -> httpx.Response:
        """The PIN form, then the PIN posted with its CSRF token (never in the URL)."""
        code = self.record.tracking_code
        form = await self.client.get(f"/track/{code}", params={"lang": lang})
        return await self.client.post(
            f"/track/{code}", params={"lang": lang}, data={"pin": pin, **form_token(form)}
        )


def form_token(page: httpx.Response) -> dict[str, str]:
    """The CSRF field of the (first) form on a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return {"csrf_token": found.group(1)}


@pytest.fixture
async def door() -> AsyncIterator[Door]:
    app = create_app(IntakeSettings())
    office = Office(max_wrong_pins=5, lockout_seconds=900)
    ctx = app.state.ctx
    ctx.tracker = office.tracker
    ctx.complainant = ComplainantDesk(office.tracker, office.follow_ups, now=lambda: office.now)
    ctx.track_limiter = RateLimit("track", WindowLimit(1000, 60), FakeRateCounts())
    record = office.records.add(PIN)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://intake"
    ) as client:
        yield Door(office, client, record)


def opened(door: Door, **changes: object) -> None:
    fields: dict[str, object] = {
        "status": "in_progress",
        "kind": "complaint",
        "category": "documents",
        "unit": "admin",
        "updated_at": T0 + timedelta(hours=3),
        "answer_due_at": T0 + timedelta(days=15),
        "close_reason": None,
        "public_answer": None,
        "timeline": (
            PublicStep(at=T0, status="received", event="open", message=None),
            PublicStep(at=T0, status=None, event="comment", message="กำลังตรวจสอบเอกสาร"),
        ),
    }
    fields.update(changes)
    door.office.progress.cases[door.record.tracking_code] = CaseProgress(**fields)  # type: ignore[arg-type]


async def test_the_api_answers_what_both_doors_answered(door: Door) -> None:
    r = await door.api(PIN)
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    before = r.json()
    assert before["status"] == "received" and before["channel"] == "web"
    assert before["unit"] is None and before["timeline"] == [] and before["closed"] is False
    opened(door)
    body = (await door.api(PIN)).json()
    assert set(body) == {
        # what intake's /v1/track answered
        "tracking_code", "kind", "category", "category_name_th", "category_name_en",
        "channel", "status", "received_at", "updated_at",
        # what workflow's /v1/public/cases answered
        "unit", "unit_name_th", "unit_name_en", "answer_due_at", "closed", "close_reason",
        "public_answer", "timeline",
    }  # fmt: skip
    assert body["status"] == "in_progress" and body["unit"] == "admin"
    assert body["unit_name_th"] == "กลุ่มอำนวยการ" and body["category_name_th"]
    assert body["answer_due_at"].startswith("2026-12-11")
    assert body["timeline"][1] == {
        "at": body["timeline"][1]["at"],
        "status": None,
        "event": "comment",
        "message": "กำลังตรวจสอบเอกสาร",
    }


async def test_the_page_shows_the_case_in_thai_and_english_without_javascript(
    door: Door,
) -> None:
    opened(
        door,
        status="closed",
        close_reason="resolved",
        public_answer="ออกหนังสือรับรองให้แล้ว",
    )
    th = await door.page(PIN)
    assert th.status_code == 200 and '<html lang="th">' in th.text
    for words in ("ปิดเรื่องแล้ว", "กลุ่มอำนวยการ", "ออกหนังสือรับรองให้แล้ว", "กำลังตรวจสอบเอกสาร", "2569"):
        assert words in th.text
    assert "<script" not in th.text
    en = await door.page(PIN, lang="en")
    assert '<html lang="en">' in en.text and "Closed" in en.text and "Resolved" in en.text
    assert "Progress" in en.text and "2026" in en.text


async def test_a_locked_code_answers_429_on_the_api_and_the_page(door: Door) -> None:
    for _ in range(5):
        wrong = await door.api("000000")
        assert wrong.status_code == 404 and wrong.json()["error"] == "tracking_not_found"
    api = await door.api(PIN, **{"Accept-Language": "en"})
    assert api.status_code == 429 and api.headers["retry-after"] == "900"
    assert api.json()["error"] == "tracking_locked"
    assert "Try again in 15 minutes" in api.json()["message"]
    th = await door.page(PIN)
    assert th.status_code == 429 and th.headers["retry-after"] == "900"
    assert "กรุณาลองใหม่ในอีก 15 นาที" in th.text
    en = await door.page(PIN, lang="en")
    assert en.status_code == 429 and "locked" in en.text and "15 minutes" in en.text
    door.office.now = T0 + timedelta(seconds=900)
    assert (await door.api(PIN)).status_code == 200
    assert (await door.page(PIN)).status_code == 200


async def test_wrong_pins_on_the_api_and_the_page_count_toward_one_lock(door: Door) -> None:
    for i in range(5):
        wrong = await (door.api("000000") if i % 2 else door.page("000000"))
        assert wrong.status_code == 404
    assert (await door.page(PIN)).status_code == 429
    assert (await door.api(PIN)).status_code == 429
