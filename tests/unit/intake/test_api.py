"""The HTTP edge with fake MongoDB and Kafka behind the real app factory: status codes,
headers, localized 422s naming the field, never a 500."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from services.intake.adapters.api_keys import CachedKeyCheck
from services.intake.app import create_app
from services.intake.domain.api_keys import issue_key
from services.intake.domain.idempotency import record_id
from services.intake.domain.rate_limit import WindowLimit
from services.intake.handlers.backlog import Backlog
from services.intake.handlers.rate_limit import RateLimit
from services.intake.handlers.receive import Reception
from services.intake.settings import IntakeSettings
from shared.contract.events import Channel

from .fakes import FakeKeys, FakePublisher, FakeRateCounts, FakeStore

BODY = {
    "kind": "complaint",
    "complaint_type": "service",
    "category": "documents",
    "subject": "เอกสารล่าช้า",
    "description": "ยังไม่ได้รับหนังสือรับรอง",
}


class Harness:
    def __init__(self) -> None:
        self.app = create_app(IntakeSettings(retry_after_seconds=9, web_burst=3))
        intake = self.app.state.ctx
        self.store, self.publisher, self.keys = FakeStore(), FakePublisher(), FakeKeys()
        intake.reception = Reception(
            self.store,
            self.publisher,
            Backlog(self.store, limit=10),
            pepper=b"p",
            tracking_url=intake.tracking_url,
            commit_timeout=1,
            publish_timeout=1,
            retry_after=9,
        )
        intake.keys = CachedKeyCheck(self.keys, ttl=0)
        intake.web_limiter = RateLimit("web", WindowLimit(3, 60), FakeRateCounts())
        self.intake = intake
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url="http://intake"
        )

    def key(self, channel: Channel) -> str:
        issued = issue_key(channel, label="t", now=datetime.now(UTC))
        self.keys.records[issued.record.key_id] = issued.record
        return issued.key


@pytest.fixture
async def h():
    harness = Harness()
    yield harness
    await harness.client.aclose()


async def test_web_submission_is_202_with_tracking(h: Harness) -> None:
    r = await h.client.post("/v1/submissions", json=BODY)
    assert r.status_code == 202
    answer = r.json()
    assert set(answer) == {"submission_id", "tracking_code", "tracking_pin", "tracking_url"}
    assert answer["tracking_url"].endswith("/track/" + answer["tracking_code"])
    assert r.headers["x-correlation-id"]
    assert h.store.outbox[0].data.channel == Channel.web
    assert h.store.outbox[0].correlationid == r.headers["x-correlation-id"]


async def test_channel_comes_from_the_key(h: Harness) -> None:
    r = await h.client.post(
        "/v1/submissions", json=BODY, headers={"X-API-Key": h.key(Channel.line)}
    )
    assert r.status_code == 202
    assert h.store.outbox[0].data.channel == Channel.line


async def test_unknown_key_is_401(h: Harness) -> None:
    r = await h.client.post("/v1/submissions", json=BODY, headers={"X-API-Key": "siang_nope"})
    assert r.status_code == 401 and r.json()["error"] == "invalid_api_key"


async def test_revoked_key_is_401(h: Harness) -> None:
    key = h.key(Channel.line)
    for key_id, record in list(h.keys.records.items()):
        from dataclasses import replace

        h.keys.records[key_id] = replace(record, revoked_at=datetime.now(UTC))
    r = await h.client.post("/v1/submissions", json=BODY, headers={"X-API-Key": key})
    assert r.status_code == 401


@pytest.mark.parametrize("channel", [Channel.phone, Channel.walk_in, Channel.letter])
async def test_staff_keyed_channel_keys_submit_nothing_whatever_keyer_a_header_names(
    h: Harness, channel: Channel
) -> None:
    """Phone, walk-in and letter entries are keyed in by signed-in staff
    (`/v1/staff/submissions`): a shared key with a free `X-Keyed-By` no longer records a
    keyer, nor anything else."""
    key = h.key(channel)
    for headers in ({"X-API-Key": key}, {"X-API-Key": key, "X-Keyed-By": "somsri.k"}):
        r = await h.client.post("/v1/submissions", json=BODY, headers=headers)
        assert r.status_code == 403
        assert r.json()["error"] == "staff_entry_only"
    assert h.store.outbox == []


async def test_422_names_the_field_in_thai_by_default(h: Harness) -> None:
    r = await h.client.post("/v1/submissions", json={**BODY, "subject": ""})
    assert r.status_code == 422
    [problem] = r.json()["fields"]
    assert problem["field"] == "subject" and problem["message"] == "ต้องไม่ว่าง"


async def test_422_in_english_when_asked(h: Harness) -> None:
    r = await h.client.post(
        "/v1/submissions",
        json={**BODY, "contact": {"phone": "12"}, "channel": "line"},
        headers={"Accept-Language": "en-GB,en;q=0.9"},
    )
    fields = {f["field"]: f["message"] for f in r.json()["fields"]}
    assert r.status_code == 422
    assert "Thai phone number" in fields["contact.phone"]
    assert "API key" in fields["channel"]


async def test_not_json_is_422(h: Harness) -> None:
    r = await h.client.post(
        "/v1/submissions", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422 and r.json()["fields"][0]["field"] == "body"


async def test_other_media_types_are_415(h: Harness) -> None:
    r = await h.client.post(
        "/v1/submissions",
        content=b"a=b",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 415


async def test_over_64_kib_is_413(h: Harness) -> None:
    big = {**BODY, "description": "x" * 70_000}
    r = await h.client.post("/v1/submissions", json=big)
    assert r.status_code == 413 and not h.store.outbox


async def test_over_64_kib_without_content_length_is_413(h: Harness) -> None:
    async def chunks():
        for _ in range(70):
            yield b"x" * 1024

    r = await h.client.post(
        "/v1/submissions", content=chunks(), headers={"content-type": "application/json"}
    )
    assert r.status_code == 413


async def test_web_channel_is_rate_limited_with_retry_after(h: Harness) -> None:
    statuses = [(await h.client.post("/v1/submissions", json=BODY)).status_code for _ in range(4)]
    assert statuses == [202, 202, 202, 429]
    r = await h.client.post("/v1/submissions", json=BODY)
    assert int(r.headers["retry-after"]) >= 1


async def test_keyed_channels_are_not_rate_limited(h: Harness) -> None:
    key = h.key(Channel.api)
    for _ in range(10):
        r = await h.client.post("/v1/submissions", json=BODY, headers={"X-API-Key": key})
        assert r.status_code == 202


async def test_idempotent_retry_and_reuse(h: Harness) -> None:
    headers = {"X-API-Key": h.key(Channel.line), "Idempotency-Key": "abc-123"}
    first = await h.client.post("/v1/submissions", json=BODY, headers=headers)
    again = await h.client.post("/v1/submissions", json=BODY, headers=headers)
    assert again.status_code == 202 and again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    other = await h.client.post("/v1/submissions", json={**BODY, "subject": "x"}, headers=headers)
    assert other.status_code == 422 and other.json()["error"] == "idempotency_key_reused"
    assert len(h.store.outbox) == 1


async def test_a_key_another_transaction_holds_is_503_and_never_sent_to_kafka(
    h: Harness,
) -> None:
    """An anonymous submission goes to Kafka when MongoDB is away; one whose key a killed
    intake's open transaction holds must not: that transaction may yet commit it."""
    h.store.held.add(record_id(Channel.line, "abc-123"))
    headers = {"X-API-Key": h.key(Channel.line), "Idempotency-Key": "abc-123"}
    r = await h.client.post("/v1/submissions", json=BODY, headers=headers)
    assert r.status_code == 503 and r.headers["retry-after"] == "9"
    assert h.publisher.published == [] and h.store.records == {}
    h.store.held.clear()  # the server ended that transaction: the retry is taken
    r = await h.client.post("/v1/submissions", json=BODY, headers=headers)
    assert r.status_code == 202 and len(h.store.outbox) == 1


async def test_bad_idempotency_key_is_422(h: Harness) -> None:
    r = await h.client.post("/v1/submissions", json=BODY, headers={"Idempotency-Key": "a b"})
    assert r.status_code == 422 and r.json()["fields"][0]["field"] == "Idempotency-Key"


async def test_both_stores_down_is_503_with_retry_after(h: Harness) -> None:
    h.store.down = h.publisher.down = True
    r = await h.client.post("/v1/submissions", json=BODY)
    assert r.status_code == 503 and r.headers["retry-after"] == "9"


async def test_unexpected_error_is_503_never_500(h: Harness) -> None:
    async def broken(cmd):
        raise ZeroDivisionError()

    h.intake.reception.receive = broken
    r = await h.client.post("/v1/submissions", json=BODY)
    assert r.status_code == 503 and r.headers["retry-after"] == "9"


async def test_categories_in_thai_and_english(h: Harness) -> None:
    r = await h.client.get("/v1/categories")
    first = r.json()["categories"][0]
    assert {"code", "name_th", "name_en", "kinds", "unit"} <= set(first)
    assert first["unit"]["name_th"]


async def test_openapi_documents_the_body_with_examples(h: Harness) -> None:
    spec = (await h.client.get("/openapi.json")).json()
    content = spec["paths"]["/v1/submissions"]["post"]["requestBody"]["content"]
    assert {"complaint_th", "question_en"} <= set(content["application/json"]["examples"])
    schema = spec["components"]["schemas"]["SubmissionRequest"]
    assert "channel" not in schema["properties"]
    assert "ContactIn" in spec["components"]["schemas"]


async def test_track_needs_a_pin_and_checks_the_code(h: Harness) -> None:
    r = await h.client.get("/v1/track/SG-AAAA-AAAA-AAAA")
    assert r.status_code == 422
    r = await h.client.get("/v1/track/SG-0000", params={"pin": "123456"})
    assert r.status_code == 422 and r.json()["error"] == "invalid_tracking_code"


async def test_unknown_route_is_a_localized_404(h: Harness) -> None:
    r = await h.client.get("/nope", headers={"Accept-Language": "en"})
    assert r.status_code == 404 and r.json()["message"] == "Not found."


async def test_form_is_thai_by_default_with_english_switch(h: Harness) -> None:
    th = await h.client.get("/")
    assert th.status_code == 200 and '<html lang="th">' in th.text
    assert "ส่งเรื่อง" in th.text and "?lang=en" in th.text
    # One script, its own file from the same origin (the policy takes no inline script):
    # the form works without it.
    assert th.text.count("<script") == 1 and '<script src="/place.js"></script>' in th.text
    # Nothing in the body comes from elsewhere (the body tag may carry attributes).
    assert "http://" not in th.text.split("<body", 1)[1]
    en = await h.client.get("/submit", params={"lang": "en"})
    assert '<html lang="en">' in en.text and "Send" in en.text


async def test_form_shows_code_and_pin_after_sending(h: Harness) -> None:
    form = {
        "kind": "question",
        "complaint_type": "",
        "category": "other",
        "subject": "s",
        "description": "d",
        "idempotency_key": "form-1",
        "consent.contact_me": "true",
        "contact.name": "",
        "occurred_on": "",
    }
    r = await h.client.post("/submit", data=form)
    assert r.status_code == 200
    event = h.store.outbox[0]
    assert event.data.tracking_code in r.text
    assert event.data.consent.contact_me and not event.data.consent.share_name_with_unit
    again = await h.client.post("/submit", data=form)  # a double click
    assert event.data.tracking_code in again.text and len(h.store.outbox) == 1


async def test_form_errors_sit_next_to_their_fields(h: Harness) -> None:
    form = {
        "kind": "complaint",
        "complaint_type": "service",
        "category": "other",
        "subject": "s",
        "description": "d",
        "contact.phone": "12",
    }
    r = await h.client.post("/submit", params={"lang": "en"}, data=form)
    assert r.status_code == 422
    assert 'id="contact.phone-error"' in r.text
    assert 'aria-describedby="contact.phone-error"' in r.text
    assert 'value="s"' in r.text  # what they typed is kept


def test_each_app_has_its_own_limiter_with_its_settings() -> None:
    a = create_app(IntakeSettings(web_burst=3, web_rate_per_minute=6)).state.ctx
    b = create_app(IntakeSettings()).state.ctx
    assert a.web_limiter is not b.web_limiter
    assert a.web_limiter.rule == WindowLimit(3, 30)
