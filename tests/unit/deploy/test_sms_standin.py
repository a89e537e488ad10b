"""The SMS gateway stand-in answers as a gateway would: the key checked, a repeated
Idempotency-Key answered once, bad numbers and texts refused with a JSON error naming
the field, and every SMS shown with the parts it costs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from deploy.local.sms_standin import PATH, Received, create_app
from services.notifications.domain.sms_segments import Segments, segments

KEY = "unit-sms-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
THAI = "สพป.ทดสอบ: ได้รับเรื่องของท่านแล้ว รหัสติดตาม SG-AB12-CD34"


@pytest.fixture
async def gateway() -> AsyncIterator[tuple[httpx.AsyncClient, Received]]:
    received = Received()
    transport = httpx.ASGITransport(app=create_app(api_key=KEY, received=received))
    async with httpx.AsyncClient(transport=transport, base_url="http://sms") as client:
        yield client, received


def _sms(**changes: Any) -> dict[str, Any]:
    return {"to": "+66812345678", "text": THAI, "sender": "SIANG", "reference": "n-1"} | changes


def test_thai_takes_70_characters_alone_and_67_per_part_once_concatenated() -> None:
    assert segments("ก" * 70) == Segments("UCS-2", 70, 1)
    assert segments("ก" * 71) == Segments("UCS-2", 71, 2)
    assert segments("ก" * 134).count == 2
    assert segments("ก" * 135).count == 3
    # One Thai letter makes the whole message UCS-2.
    assert segments("Case SG-AB12-CD34 received ก").encoding == "UCS-2"


def test_plain_latin_text_is_gsm_7_with_160_alone_and_153_per_part() -> None:
    assert segments("a" * 160) == Segments("GSM-7", 160, 1)
    assert segments("a" * 161).count == 2
    assert segments("a" * 306).count == 2
    assert segments("a" * 307).count == 3
    # An escaped character costs two septets and is never split between parts.
    assert segments("€" * 80).count == 1
    assert segments("a" * 159 + "€") == Segments("GSM-7", 161, 2)
    # 306 septets would fill two parts of 153, but the escape cannot end the first one.
    assert segments("a" * 152 + "€" + "a" * 152).count == 3


def test_an_emoji_costs_two_units_and_stays_whole() -> None:
    assert segments("😀" * 35) == Segments("UCS-2", 70, 1)
    assert segments("ก" + "😀" * 35) == Segments("UCS-2", 71, 2)
    # 134 units would fill two parts of 67, but the emoji cannot straddle them.
    assert segments("ก" * 66 + "😀" + "ก" * 66).count == 3


async def test_an_accepted_sms_is_kept_with_its_parts(
    gateway: tuple[httpx.AsyncClient, Received],
) -> None:
    client, received = gateway
    answer = await client.post(PATH, json=_sms(), headers={**AUTH, "Idempotency-Key": "n-1"})
    assert answer.status_code == 200
    assert answer.json()["status"] == "accepted" and answer.json()["reference"] == "n-1"
    [message] = received.messages
    assert message["text"] == THAI and message["to"] == "+66812345678"
    assert (message["encoding"], message["segments"]) == ("UCS-2", 1)
    listed = (await client.get("/standin/messages")).json()["messages"]
    assert [m["reference"] for m in listed] == ["n-1"]


async def test_a_repeated_idempotency_key_is_answered_the_same_and_sent_once(
    gateway: tuple[httpx.AsyncClient, Received],
) -> None:
    client, received = gateway
    headers = {**AUTH, "Idempotency-Key": "n-7"}
    first = await client.post(PATH, json=_sms(reference="n-7"), headers=headers)
    again = await client.post(PATH, json=_sms(reference="n-7"), headers=headers)
    assert again.status_code == 200 and again.json() == first.json()
    assert len(received.messages) == 1
    other = await client.post(PATH, json=_sms(), headers={**AUTH, "Idempotency-Key": "n-8"})
    assert other.json()["id"] != first.json()["id"] and len(received.messages) == 2


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}])
async def test_a_missing_or_wrong_key_is_401(
    gateway: tuple[httpx.AsyncClient, Received], headers: dict[str, str]
) -> None:
    client, received = gateway
    answer = await client.post(PATH, json=_sms(), headers=headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.json()["error"]["code"] == "unauthorized"
    assert received.messages == [] and received.refused[0]["status"] == 401


async def test_without_a_configured_key_anyone_may_send() -> None:
    transport = httpx.ASGITransport(app=create_app(api_key=""))
    async with httpx.AsyncClient(transport=transport, base_url="http://sms") as client:
        assert (await client.post(PATH, json=_sms())).status_code == 200


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        (_sms(to="0812345678"), "invalid_number", "to"),
        (_sms(to="+66 81 234 5678"), "invalid_number", "to"),
        (_sms(to=None), "invalid_number", "to"),
        (_sms(text=""), "empty_text", "text"),
        (_sms(text="   "), "empty_text", "text"),
        (_sms(text="ก" * 671), "text_too_long", "text"),
        (_sms(sender="SIANG-OFFICE-TH"), "invalid_sender", "sender"),
        (_sms(reference=42), "invalid_reference", "reference"),
    ],
)
async def test_a_malformed_message_is_400_naming_the_field(
    gateway: tuple[httpx.AsyncClient, Received], body: dict[str, Any], code: str, field: str
) -> None:
    client, received = gateway
    answer = await client.post(PATH, json=body, headers={**AUTH, "Idempotency-Key": "bad"})
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == code
    assert answer.json()["error"]["field"] == field
    assert received.messages == []
    # A refused request is not remembered: the corrected one with the same key goes out.
    fixed = await client.post(PATH, json=_sms(), headers={**AUTH, "Idempotency-Key": "bad"})
    assert fixed.status_code == 200 and len(received.messages) == 1


async def test_a_body_that_is_not_a_json_object_is_400(
    gateway: tuple[httpx.AsyncClient, Received],
) -> None:
    client, _ = gateway
    for content in (b"to=+66812345678", b"[1, 2]"):
        answer = await client.post(PATH, content=content, headers=AUTH)
        assert answer.status_code == 400
        assert answer.json()["error"]["code"] in {"invalid_json", "invalid_body"}


async def test_failures_asked_for_answer_the_next_sends_then_it_recovers(
    gateway: tuple[httpx.AsyncClient, Received],
) -> None:
    client, received = gateway
    asked = await client.post("/standin/failures", json={"statuses": [503, 429]})
    assert asked.json() == {"pending": [503, 429]}
    headers = {**AUTH, "Idempotency-Key": "n-9"}
    statuses = [(await client.post(PATH, json=_sms(), headers=headers)).status_code for _ in "abc"]
    assert statuses == [503, 429, 200]
    assert len(received.messages) == 1
    bad = await client.post("/standin/failures", json={"statuses": [200]})
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "statuses"


async def test_the_page_lists_sms_newest_first_thai_as_sent_and_escaped(
    gateway: tuple[httpx.AsyncClient, Received],
) -> None:
    client, _ = gateway
    await client.post(PATH, json=_sms(text="เรื่องแรก", reference="ref-old"), headers=AUTH)
    long_thai = "แจ้งผล <b>" + "ก" * 80
    await client.post(PATH, json=_sms(text=long_thai, reference="ref-new"), headers=AUTH)
    await client.post(PATH, json=_sms(to="0812"), headers=AUTH)
    page = (await client.get("/")).text
    assert page.index("ref-new") < page.index("ref-old")
    assert "เรื่องแรก" in page and "แจ้งผล &lt;b&gt;" in page and "<b>ก" not in page
    assert "2 <span" in page  # 90 UCS-2 characters: two parts
    assert "invalid_number" in page  # the refused request is shown too
    cleared = await client.delete("/standin/messages")
    assert cleared.json() == {"removed": 2}
    assert "ยังไม่มี SMS" in (await client.get("/")).text
