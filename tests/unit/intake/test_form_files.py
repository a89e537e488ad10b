"""The public form with photos, documents and a place, through the real app (fake MongoDB
and Kafka): the files go with the submission, a refused file says why on the page."""

from __future__ import annotations

import pytest

from .test_api import Harness

FORM = {
    "kind": "complaint",
    "complaint_type": "service",
    "category": "documents",
    "subject": "ท่อระบายน้ำหน้าโรงเรียนอุดตัน",
    "description": "น้ำท่วมขังทุกครั้งที่ฝนตก",
    "location.text": "หน้าโรงเรียนบ้านหนองบัว",
    "location.lat": "14.9799",
    "location.lon": "102.0977",
}
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 2000
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
async def h():
    harness = Harness()
    yield harness
    await harness.client.aclose()


async def test_a_photo_a_document_and_a_place_go_with_the_submission(h: Harness) -> None:
    files = {
        "attachment1": ("drain.jpg", JPEG, "image/jpeg"),
        "attachment2": ("x.pdf", PDF, "application/pdf"),
    }
    r = await h.client.post("/submit", data=FORM, files=files)
    assert r.status_code == 200, r.text
    [event] = h.store.outbox
    location = event.data.location
    assert location is not None
    assert (location.text, location.lat, location.lon) == ("หน้าโรงเรียนบ้านหนองบัว", 14.9799, 102.0977)
    kept = h.store.files[event.data.submission_id]
    assert [(f.field, f.media_type, f.data) for f in kept] == [
        ("attachment1", "image/jpeg", JPEG),
        ("attachment2", "application/pdf", PDF),
    ]


async def test_a_file_that_is_no_photo_or_pdf_is_415_on_the_page_in_thai(h: Harness) -> None:
    files = {"attachment1": ("photo.jpg", b"<html>not a photo</html>", "image/jpeg")}
    r = await h.client.post("/submit", data=FORM, files=files)
    assert r.status_code == 415
    assert "ไฟล์ attachment1 ไม่ใช่รูปภาพ JPEG หรือ PNG หรือเอกสาร PDF" in r.text
    # What the person wrote comes back; nothing was received.
    assert "ท่อระบายน้ำหน้าโรงเรียนอุดตัน" in r.text and h.store.outbox == []


async def test_too_large_and_too_many_files_are_413_in_english(h: Harness) -> None:
    h.intake.file_rules = type(h.intake.file_rules)(
        max_count=2, max_bytes=1024 * 1024, accepted=h.intake.file_rules.accepted
    )
    big = {"attachment1": ("big.jpg", JPEG + b"\x00" * 1024 * 1024, "image/jpeg")}
    r = await h.client.post("/submit?lang=en", data=FORM, files=big)
    assert r.status_code == 413 and "The file attachment1 is larger than 1 MB." in r.text
    many = {f"attachment{n}": (f"{n}.jpg", JPEG, "image/jpeg") for n in (1, 2, 3)}
    r = await h.client.post("/submit?lang=en", data=FORM, files=many)
    assert r.status_code == 413 and "You can attach at most 2 files." in r.text
    assert h.store.outbox == []


@pytest.mark.parametrize(
    ("lat", "lon", "field"),
    [("91", "100", "location.lat"), ("13", "181", "location.lon"), ("13", "", "location.lon")],
)
async def test_a_point_off_the_globe_is_422_naming_it(
    h: Harness, lat: str, lon: str, field: str
) -> None:
    r = await h.client.post("/submit", data={**FORM, "location.lat": lat, "location.lon": lon})
    assert r.status_code == 422
    assert f'id="{field}-error"' in r.text and h.store.outbox == []


async def test_the_api_takes_the_place_and_refuses_a_point_off_the_globe(h: Harness) -> None:
    body = {k: v for k, v in FORM.items() if not k.startswith("location")}
    place = {"text": "ตลาดเทศบาล", "lat": 14.97, "lon": 102.1}
    r = await h.client.post("/v1/submissions", json={**body, "location": place})
    assert r.status_code == 202 and h.store.outbox[0].data.location.lat == 14.97
    r = await h.client.post("/v1/submissions", json={**body, "location": {**place, "lat": -95.0}})
    assert r.status_code == 422 and r.json()["fields"][0]["field"] == "location.lat"


async def test_the_location_script_is_served_from_the_same_origin(h: Harness) -> None:
    r = await h.client.get("/place.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert "geolocation" in r.text
