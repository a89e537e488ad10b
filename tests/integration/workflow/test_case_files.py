"""A web-form submission with a photo and a place, on the real Kafka and MongoDB-wire
server: the assigned member of staff sees both on the case page and opens the photo; the
public tracking page shows neither; staff of another unit, and the unit's other staff, get
404 on the photo; an erasure deletes it. And the console's "new case" page keys in a letter
through intake (served on a real port) as the signed-in member of staff."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator

import httpx
import pytest
import uvicorn

from shared.contract.tracking_pin import TrackingSettings
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.intake.test_tracking import Office, running
from tests.integration.workflow.conftest import DEMO_PASSWORD
from tests.support import eventually

PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 4000 + b"\xff\xd9"
FORM = {
    "kind": "complaint",
    "complaint_type": "service",
    "category": "documents",
    "subject": "ป้ายหน้าสำนักงานชำรุด",
    "description": "ป้ายบอกทางหน้าสำนักงานหักลงมา เกรงว่าจะเป็นอันตราย",
    "location.text": "หน้าสำนักงานเขต ถนนมิตรภาพ",
    "location.lat": "14.979900",
    "location.lon": "102.097700",
    "contact.name": "มาลี ใจงาม",
    "contact.email": "malee@example.com",
    "consent.contact_me": "true",
}


@pytest.fixture
async def office(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> AsyncIterator[Office]:
    async with running(kafka_settings, mongo_settings, TrackingSettings(), workflow=True) as o:
        yield o


async def _console(office: Office, username: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(
        transport=office.workflow.http._transport, base_url="http://workflow"
    )
    page = await client.get("/console/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    r = await client.post(
        "/console/login",
        data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token[1]},
    )
    assert r.status_code == 303, r.text
    return client


async def test_photo_and_place_reach_the_assignee_only(office: Office) -> None:
    sent = await office.intake.post(
        "/submit", data=FORM, files={"attachment1": ("sign.jpg", PHOTO, "image/jpeg")}
    )
    assert sent.status_code == 200, sent.text
    code = re.search(r"SG-[0-9A-Z-]+", sent.text)
    pin = re.search(r'class="code"[^>]*>\s*([0-9]{6})', sent.text) or re.search(
        r"\b([0-9]{6})\b", sent.text
    )
    assert code and pin
    db = office.workflow.app.state.ctx.store.cases.database
    [stored] = await db["attachments.files"].find({}).to_list()
    case = await office.opened(stored["metadata"]["submission_id"])
    assignee = case["assignee"]
    console = await _console(office, assignee)
    page = await console.get(f"/console/cases/{case['_id']}")
    assert page.status_code == 200
    assert "หน้าสำนักงานเขต ถนนมิตรภาพ" in page.text
    assert "https://www.openstreetmap.org/?mlat=14.979900&amp;mlon=102.097700" in page.text
    photo_url = f"/v1/cases/{case['_id']}/files/{stored['_id']}"
    assert f'<img src="{photo_url}"' in page.text
    photo = await console.get(photo_url)
    assert photo.status_code == 200 and photo.content == PHOTO
    assert photo.headers["content-type"] == "image/jpeg"
    # The public tracking page shows neither the place nor the photo.
    track = await office.page(code[0], pin[1])
    assert track.status_code == 200
    assert (
        "ถนนมิตรภาพ" not in track.text and "/files/" not in track.text and "<img" not in track.text
    )
    # Another unit's staff, and the unit's other staff, get 404; the supervisor may open it.
    unit = case["unit"]
    others = {"policy.a" if unit != "policy" else "audit.a": 404, f"{unit}.head": 200}
    mate = f"{unit}.b" if assignee != f"{unit}.b" else f"{unit}.a"
    others[mate] = 404
    for who, status in others.items():
        r = await office.workflow.http.get(photo_url, headers=await office.login(who))
        assert r.status_code == status, (who, r.status_code)
        if status == 404:
            shown = await office.workflow.http.get(
                f"/v1/cases/{case['_id']}", headers=await office.login(who)
            )
            assert shown.status_code == 404 or shown.json()["files"] == []
    # An erasure of the person deletes the photo.
    admin = await office.login("admin")
    erased = await office.workflow.http.post(
        "/v1/admin/erasures",
        json={"tracking_code": case["tracking_code"], "legal_basis": "data_subject_request"},
        headers=admin,
    )
    assert erased.status_code in (200, 201), erased.text
    assert await db["attachments.files"].count_documents({}) == 0
    assert await db["attachments.chunks"].count_documents({}) == 0
    await console.aclose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_the_console_keys_in_a_letter_as_the_signed_in_member_of_staff(
    office: Office,
) -> None:
    intake_app = office.intake._transport.app  # type: ignore[attr-defined]
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(intake_app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    serving = asyncio.create_task(server.serve())
    try:

        async def started() -> bool | None:
            return server.started or None

        await eventually(started, what="intake serving")
        office.workflow.app.state.ctx.settings.intake_url = f"http://127.0.0.1:{port}"
        console = await _console(office, "triage.a")
        form = await console.get("/console/new")
        assert form.status_code == 200 and "เลขที่หนังสือ" in form.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        key = re.search(r'name="idempotency_key" value="([^"]+)"', form.text)
        assert token and key
        fields = {
            "csrf_token": token[1],
            "idempotency_key": key[1],
            "channel": "letter",
            "letter.number": "ศธ 04002/77",
            "letter.dated": "2/1/2568",
            "kind": "complaint",
            "complaint_type": "service",
            "category": "documents",
            "subject": "หนังสือขอให้ตรวจสอบการออกเอกสาร",
            "description": "ผู้ร้องมีหนังสือถึงสำนักงาน",
        }
        scan = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
        refused = await console.post("/console/new", data={**fields, "letter.number": ""})
        assert refused.status_code == 422 and 'id="letter.number-error"' in refused.text
        done = await console.post(
            "/console/new",
            data=fields,
            files={"attachment1": ("scan.pdf", scan, "application/pdf")},
        )
        assert done.status_code == 200, done.text
        code = re.search(r'id="tracking-code">(SG-[0-9A-Z-]+)<', done.text)
        assert code and re.search(r'id="tracking-pin">[0-9]{6}<', done.text)
        cases = office.workflow.app.state.ctx.store.cases

        async def probe() -> dict | None:  # type: ignore[type-arg]
            return await cases.find_one({"tracking_code": code[1]})

        case = await eventually(probe, what="keyed case opened")
        assert case["keyed_by"] == "triage.a" and case["channel"] == "letter"
        assert case["letter"] == {"number": "ศธ 04002/77", "dated": "2025-01-02"}
        # Without the CSRF token nothing is sent.
        forged = await console.post(
            "/console/new", data={k: v for k, v in fields.items() if k != "csrf_token"}
        )
        assert forged.status_code == 403
        await console.aclose()
    finally:
        server.should_exit = True
        await serving
