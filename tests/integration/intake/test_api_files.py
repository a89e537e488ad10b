"""Photos and documents sent with `POST /v1/submissions` (a multipart form) on the real
Kafka and MongoDB-wire server, with the workflow opening the case: the files are kept in
GridFS with the submission, the member of staff the case is assigned to sees them, and the
public tracking answer shows none of them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from shared.contract.tracking_pin import TrackingSettings
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.intake.test_tracking import Office, running

FIELDS = {
    "kind": "complaint",
    "complaint_type": "service",
    "category": "documents",
    "subject": "ท่อระบายน้ำหน้าโรงเรียนอุดตัน",
    "description": "น้ำท่วมขังทุกครั้งที่ฝนตก ส่งรูปมาให้ดู",
    "location.text": "หน้าโรงเรียนบ้านหนองบัว",
    "contact.email": "malee@example.com",
    "consent.contact_me": "true",
}
PHOTO = b"\xff\xd8\xff\xe0" + b"\x00" * 3000


@pytest.fixture
async def office(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> AsyncIterator[Office]:
    async with running(kafka_settings, mongo_settings, TrackingSettings(), workflow=True) as o:
        yield o


async def test_a_photo_sent_through_the_api_reaches_the_assignee_only(office: Office) -> None:
    r = await office.intake.post(
        "/v1/submissions",
        data=FIELDS,
        files={"attachment1": ("drain.jpg", PHOTO, "image/jpeg")},
        headers={"Idempotency-Key": "api-files-0001"},
    )
    assert r.status_code == 202, r.text
    receipt = r.json()
    case = await office.opened(receipt["submission_id"])
    assert case["channel"] == "web"
    assignee = await office.login(case["assignee"])
    seen = (await office.workflow.http.get(f"/v1/cases/{case['_id']}", headers=assignee)).json()
    [photo] = seen["files"]
    got = await office.workflow.http.get(photo["url"], headers=assignee)
    assert got.status_code == 200 and got.content == PHOTO
    assert got.headers["content-type"] == "image/jpeg"
    public = await office.api(receipt["tracking_code"], receipt["tracking_pin"])
    assert public.status_code == 200 and "files" not in public.json()
    assert "drain" not in public.text and "/files/" not in public.text
