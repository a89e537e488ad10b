"""Staff-keyed entry (phone, walk-in, letter) on the real Kafka and MongoDB-wire server,
with the workflow opening the cases: the keyer is the signed-in account of the token,
whatever a header says; a letter keeps its number, date and scan, which the assigned
member of staff sees on the case; a file of the wrong type, too large or too many is
refused (415, 413) and nothing is stored; a channel key of those channels submits nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest

from services.intake.adapters.api_keys import ApiKeys
from services.intake.domain.api_keys import issue_key
from services.intake.domain.files import FileRules
from shared.contract.events import Channel
from shared.contract.tracking_pin import TrackingSettings
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.intake.test_tracking import Office, running

LETTER = {
    "channel": "letter",
    "letter.number": "ศธ 04002/1234",
    "letter.dated": "5/3/2568",
    "kind": "complaint",
    "complaint_type": "service",
    "category": "documents",
    "subject": "หนังสือร้องเรียนเรื่องหนังสือรับรองล่าช้า",
    "description": "ผู้ปกครองมีหนังสือแจ้งว่ายื่นคำขอมาสามสัปดาห์แล้วยังไม่ได้รับ",
    "contact.name": "มาลี ใจงาม",
    "contact.phone": "081-234-5678",
    "consent.contact_me": "true",
}
SCAN = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n"
STAFF_ENTRY = "/v1/staff/submissions"


@pytest.fixture
async def office(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> AsyncIterator[Office]:
    async with running(kafka_settings, mongo_settings, TrackingSettings(), workflow=True) as o:
        yield o


def _intake_ctx(office: Office) -> Any:
    return office.intake._transport.app.state.ctx  # type: ignore[attr-defined]


async def test_a_keyed_letter_with_its_scan_becomes_a_case_keyed_by_the_token_not_the_header(
    office: Office,
) -> None:
    keyer = await office.login("triage.a")
    r = await office.intake.post(
        STAFF_ENTRY,
        data=LETTER,
        files={"attachment1": ("scan.pdf", SCAN, "application/pdf")},
        # A header naming someone else changes nothing: the keyer is the token's account.
        headers={**keyer, "X-Keyed-By": "admin.head"},
    )
    assert r.status_code == 202, r.text
    receipt = r.json()
    assert receipt["tracking_pin"].isdigit()
    case = await office.opened(receipt["submission_id"])
    assert case["channel"] == "letter" and case["keyed_by"] == "triage.a"
    assert case["letter"] == {"number": "ศธ 04002/1234", "dated": "2025-03-05"}
    # The scan is kept with the submission (GridFS), and its sender's person id.
    files = _intake_ctx(office).records.collection.database["attachments.files"]
    [stored] = await files.find({"metadata.submission_id": receipt["submission_id"]}).to_list()
    assert stored["metadata"]["content_type"] == "application/pdf"
    assert stored["metadata"]["person_id"] == case["person_id"] and stored["length"] == len(SCAN)
    # The member of staff it is assigned to sees the keyer, the letter and the scan.
    assignee = await office.login(case["assignee"])
    seen = (await office.workflow.http.get(f"/v1/cases/{case['_id']}", headers=assignee)).json()
    assert (seen["keyed_by"], seen["keyed_by_name"]) == ("triage.a", "สมศรี ศรีสุข")
    assert seen["letter"] == {"number": "ศธ 04002/1234", "dated": "2025-03-05"}
    [scan] = seen["files"]
    got = await office.workflow.http.get(scan["url"], headers=assignee)
    assert got.status_code == 200 and got.content == SCAN
    assert got.headers["content-type"] == "application/pdf"


async def test_a_retried_entry_with_its_key_is_one_case(office: Office) -> None:
    keyer = await office.login("triage.b")
    headers = {**keyer, "Idempotency-Key": "walk-in-0001"}
    walk_in = {k: v for k, v in LETTER.items() if not k.startswith("letter.")}
    first = await office.intake.post(
        STAFF_ENTRY, data={**walk_in, "channel": "walk_in"}, headers=headers
    )
    again = await office.intake.post(
        STAFF_ENTRY, data={**walk_in, "channel": "walk_in"}, headers=headers
    )
    assert first.status_code == again.status_code == 202
    assert first.json()["submission_id"] == again.json()["submission_id"]


async def test_who_may_key_in_and_what_is_refused(office: Office) -> None:
    ctx = _intake_ctx(office)
    keyer = await office.login("triage.a")
    refused = {
        "no token": (await office.intake.post(STAFF_ENTRY, data=LETTER), 401),
        "committee": (
            await office.intake.post(
                STAFF_ENTRY, data=LETTER, headers=await office.login("committee")
            ),
            403,
        ),
        "a letter without its number": (
            await office.intake.post(
                STAFF_ENTRY, data={**LETTER, "letter.number": ""}, headers=keyer
            ),
            422,
        ),
        "a renamed script": (
            await office.intake.post(
                STAFF_ENTRY,
                data=LETTER,
                files={"attachment1": ("scan.pdf", b"#!/bin/sh\nrm -rf /\n", "application/pdf")},
                headers=keyer,
            ),
            415,
        ),
        "json": (await office.intake.post(STAFF_ENTRY, json=LETTER, headers=keyer), 415),
    }
    ctx.file_rules = FileRules(max_count=2, max_bytes=64 * 1024, accepted=ctx.file_rules.accepted)
    big = SCAN[:-7] + b"\x00" * (70 * 1024) + b"\n%%EOF\n"
    refused["too large"] = (
        await office.intake.post(
            STAFF_ENTRY,
            data=LETTER,
            files={"attachment1": ("a.pdf", big, "application/pdf")},
            headers=keyer,
        ),
        413,
    )
    three = {f"attachment{n}": (f"{n}.pdf", SCAN, "application/pdf") for n in (1, 2, 3)}
    refused["too many"] = (
        await office.intake.post(STAFF_ENTRY, data=LETTER, files=three, headers=keyer),
        413,
    )
    answers = {why: (r.status_code, r.json().get("error")) for why, (r, _) in refused.items()}
    assert {why: status for why, (status, _) in answers.items()} == {
        why: status for why, (_, status) in refused.items()
    }, answers
    assert refused["no token"][0].headers["www-authenticate"] == "Bearer"
    assert refused["a renamed script"][0].json()["fields"][0]["field"] == "attachment1"
    assert refused["too many"][0].json()["error"] == "file_too_many"
    # Nothing of any of them was stored.
    assert await ctx.records.collection.count_documents({}) == 0
    files = ctx.records.collection.database["attachments.files"]
    assert await files.count_documents({}) == 0


async def test_a_phone_key_with_a_free_header_submits_nothing(office: Office) -> None:
    app = office.intake._transport.app  # type: ignore[attr-defined]
    issued = issue_key(Channel.phone, label="old phone desk", now=datetime.now(UTC))
    await ApiKeys(app.state.runtime.db).add(issued.record)
    body = {
        "kind": "question",
        "category": "school-admission",
        "subject": "เปิดรับสมัครนักเรียนเมื่อไร",
        "description": "ถามทางโทรศัพท์",
    }
    r = await office.intake.post(
        "/v1/submissions", json=body, headers={"X-API-Key": issued.key, "X-Keyed-By": "triage.a"}
    )
    assert r.status_code == 403 and r.json()["error"] == "staff_entry_only"
    assert await _intake_ctx(office).records.collection.count_documents({}) == 0
