"""`POST /v1/submissions` with photos and documents (a multipart form instead of JSON),
through the real app (fake MongoDB and Kafka): the files go with the submission, a
refused file is a 413 or 415 problem naming its field, and nothing is received."""

from __future__ import annotations

import pytest

from shared.contract.events import Channel

from .test_api import Harness

FIELDS = {
    "kind": "complaint",
    "complaint_type": "service",
    "category": "documents",
    "subject": "ท่อระบายน้ำหน้าโรงเรียนอุดตัน",
    "description": "น้ำท่วมขังทุกครั้งที่ฝนตก",
    "location.text": "หน้าโรงเรียนบ้านหนองบัว",
    "location.lat": "14.9799",
    "location.lon": "102.0977",
    "contact.email": "somchai@example.com",
    "consent.contact_me": "true",
}
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 2000
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
async def h():
    harness = Harness()
    yield harness
    await harness.client.aclose()


async def test_a_partner_sends_a_photo_and_a_document_with_its_submission(h: Harness) -> None:
    files = {
        "attachment1": ("drain.jpg", JPEG, "image/jpeg"),
        "attachment2": ("x.pdf", PDF, "application/octet-stream"),  # its name says nothing
    }
    key = {"X-API-Key": h.key(Channel.api), "Idempotency-Key": "partner-0001-files"}
    r = await h.client.post("/v1/submissions", data=FIELDS, files=files, headers=key)
    assert r.status_code == 202, r.text
    [event] = h.store.outbox
    assert event.data.channel is Channel.api
    assert event.data.location is not None and event.data.location.lat == 14.9799
    assert event.data.consent.contact_me
    kept = h.store.files[event.data.submission_id]
    assert [(f.field, f.media_type) for f in kept] == [
        ("attachment1", "image/jpeg"),
        ("attachment2", "application/pdf"),
    ]
    again = await h.client.post("/v1/submissions", data=FIELDS, files=files, headers=key)
    assert again.status_code == 202 and again.json() == r.json()
    assert len(h.store.outbox) == 1, "a retry with its key is the same submission"


async def test_a_form_without_files_is_a_submission_too(h: Harness) -> None:
    # As a browser posts a file input left empty: a part with an empty file name.
    parts = [
        f'--b\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in FIELDS.items()
    ]
    parts.append(
        '--b\r\nContent-Disposition: form-data; name="attachment1"; filename=""\r\n'
        "Content-Type: application/octet-stream\r\n\r\n\r\n--b--\r\n"
    )
    r = await h.client.post(
        "/v1/submissions",
        content="".join(parts).encode(),
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert r.status_code == 202, r.text
    assert h.store.files == {}


async def test_a_file_that_is_no_photo_or_pdf_is_415_naming_it(h: Harness) -> None:
    files = {"attachment2": ("photo.jpg", b"<html>not a photo</html>", "image/jpeg")}
    r = await h.client.post("/v1/submissions", data=FIELDS, files=files)
    assert r.status_code == 415, r.text
    assert "attachment2" in r.text
    assert h.store.outbox == []


async def test_too_large_or_too_many_files_are_413_naming_them(h: Harness) -> None:
    h.intake.file_rules = type(h.intake.file_rules)(
        max_count=2, max_bytes=1024 * 1024, accepted=h.intake.file_rules.accepted
    )
    big = {"attachment1": ("big.jpg", JPEG + b"\x00" * 1024 * 1024, "image/jpeg")}
    r = await h.client.post("/v1/submissions", data=FIELDS, files=big)
    assert r.status_code == 413 and "attachment1" in r.text, r.text
    many = {f"attachment{n}": (f"{n}.jpg", JPEG, "image/jpeg") for n in (1, 2, 3)}
    r = await h.client.post("/v1/submissions", data=FIELDS, files=many)
    assert r.status_code == 413 and "attachment3" in r.text, r.text
    assert h.store.outbox == []


async def test_a_form_missing_a_field_is_422_naming_it(h: Harness) -> None:
    fields = {k: v for k, v in FIELDS.items() if k != "subject"}
    files = {"attachment1": ("drain.jpg", JPEG, "image/jpeg")}
    r = await h.client.post("/v1/submissions?lang=en", data=fields, files=files)
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["fields"]] == ["subject"]
    assert h.store.outbox == []


async def test_the_form_is_documented_beside_json(h: Harness) -> None:
    spec = (await h.client.get("/openapi.json")).json()
    operation = spec["paths"]["/v1/submissions"]["post"]
    ref = operation["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"]
    form = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    # As many files as the office takes (3 by default), each binary.
    assert [p for p in form["properties"] if p.startswith("attachment")] == [
        "attachment1",
        "attachment2",
        "attachment3",
    ]
    assert form["properties"]["attachment1"]["format"] == "binary"
    assert form["properties"]["consent.contact_me"]["enum"] == ["true", "false"]
    assert "application/json" in operation["requestBody"]["content"]
    assert {"413", "415", "422"} <= set(operation["responses"])


async def test_consent_is_true_or_false_never_just_present(h: Harness) -> None:
    files = {"attachment1": ("drain.jpg", JPEG, "image/jpeg")}
    no = {**FIELDS, "consent.contact_me": "false"}
    r = await h.client.post("/v1/submissions", data=no, files=files)
    assert r.status_code == 202, r.text
    assert not h.store.outbox[-1].data.consent.contact_me, "a 'false' is no tick"
    junk = {**FIELDS, "consent.contact_me": "maybe"}
    r = await h.client.post("/v1/submissions", data=junk, files=files)
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["fields"]] == ["consent.contact_me"]
