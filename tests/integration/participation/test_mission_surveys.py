"""Mission satisfaction surveys (2.5) against the real Kafka and MongoDB: a coordinator
opens a questionnaire; answers through the public page and API are counted per item; a
signed per-person link answers once (a second time 409, on the page too); a closed
survey takes none (409); the events on `siang.participation.v1` carry scores and counts,
never the words written or who wrote them."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from services.participation.handlers.mission_surveys import close_past_last_day
from shared.contract import topics
from shared.contract.events import parse_event
from tests.integration.participation.conftest import Participation, office_today
from tests.support import read_topic

WORDS = "ครูประจำชั้นของลูกสมชาย ใจดี ดูแลดีมาก"
RECIPIENT = "คุณมาลี ใจงาม (ผู้ปกครอง ป.3)"


def survey_body(**overrides: Any) -> dict[str, Any]:
    today = office_today()
    return {
        "title_th": "ความพึงพอใจของผู้ปกครองต่อคุณภาพผู้เรียน",
        "title_en": "Parents' satisfaction with learners' quality",
        "mission_item": "S2",
        "group": "parents",
        "opens_on": (today - timedelta(days=1)).isoformat(),
        "closes_on": (today + timedelta(days=30)).isoformat(),
        "items": [
            {"id": "teaching", "text_th": "คุณภาพการสอน", "text_en": "Teaching"},
            {"id": "safety", "text_th": "ความปลอดภัยในโรงเรียน", "text_en": "Safety"},
        ],
        "questions": [{"id": "idea", "text_th": "ข้อเสนอแนะ", "text_en": "Suggestions"}],
        **overrides,
    }


async def opened_survey(p: Participation, **overrides: Any) -> str:
    r = await p.http.post(
        "/v1/mission-surveys", json=survey_body(**overrides), headers=p.auth("policy.a")
    )
    assert r.status_code == 201, r.text
    survey_id = str(r.json()["survey_id"])
    assert r.json()["status"] == "draft" and r.json()["commands"] == ["edit", "open"]
    r = await p.http.post(
        f"/v1/mission-surveys/{survey_id}/commands/open", headers=p.auth("policy.a")
    )
    assert r.status_code == 200, r.text
    return survey_id


async def page_form(p: Participation, url: str) -> dict[str, str]:
    """The hidden fields of the survey page's form (the CSRF token, the key, the link)."""
    r = await p.http.get(url)
    assert r.status_code == 200, r.text
    return dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', r.text))


async def test_answers_through_the_public_page_and_api_are_counted_per_item(
    participation: Participation,
) -> None:
    p = participation
    sid = await opened_survey(p)
    hidden = await page_form(p, f"/mission-surveys/{sid}")
    r = await p.http.post(
        f"/mission-surveys/{sid}",
        data={**hidden, "scores.teaching": "5", "scores.safety": "4", "texts.idea": WORDS},
    )
    assert r.status_code == 200, r.text
    assert "ขอบคุณที่ตอบแบบสำรวจ" in r.text
    r = await p.http.post(
        f"/v1/public/mission-surveys/{sid}/responses", json={"scores": {"teaching": 3}}
    )
    assert r.status_code == 201, r.text
    assert r.json()["via"] == "public"

    detail = (await p.http.get(f"/v1/mission-surveys/{sid}", headers=p.auth("finance.a"))).json()
    teaching, safety = detail["results"]["items"]
    assert (teaching["distribution"], teaching["answered"], teaching["mean"]) == (
        [0, 0, 1, 0, 1],
        2,
        4.0,
    )
    assert (safety["distribution"], safety["mean"]) == ([0, 0, 0, 1, 0], 4.0)
    assert detail["results"]["responses"] == 2
    # The words are kept for staff, and never on the public API.
    texts = await p.http.get(f"/v1/mission-surveys/{sid}/texts", headers=p.auth("finance.a"))
    assert [a["texts"] for a in texts.json()["answers"]] == [{"idea": WORDS}]
    public = await p.http.get(f"/v1/public/mission-surveys/{sid}")
    assert public.status_code == 200 and WORDS not in public.text
    # The staff page shows the results.
    p.http.cookies.set("siang_token", _token(p, "finance.a"))
    page = await p.http.get(f"/staff/mission-surveys/{sid}")
    assert page.status_code == 200 and "4.00" in page.text and WORDS in page.text


def _token(p: Participation, staff_id: str) -> str:
    return p.auth(staff_id)["Authorization"].removeprefix("Bearer ")


async def test_a_signed_link_answers_once_then_409_on_the_api_and_the_page(
    participation: Participation,
) -> None:
    p = participation
    sid = await opened_survey(p)
    r = await p.http.post(
        f"/v1/mission-surveys/{sid}/links",
        json={"recipients": [RECIPIENT, "=cmd|' /C calc'!A0"]},
        headers=p.auth("policy.a"),
    )
    assert r.status_code == 200, r.text
    first, second = r.json()["links"]
    assert first["recipient"] == RECIPIENT
    token = parse_qs(urlsplit(first["url"]).query)["t"][0]
    assert token == first["token"]
    # The page of the link, then its form.
    hidden = await page_form(p, f"/mission-surveys/{sid}?t={token}")
    assert hidden["t"] == token
    r = await p.http.post(f"/mission-surveys/{sid}", data={**hidden, "scores.teaching": "2"})
    assert r.status_code == 200, r.text
    # Again through the page: 409 with a clear page; through the API: 409 naming why.
    r = await p.http.post(f"/mission-surveys/{sid}", data={**hidden, "scores.teaching": "5"})
    assert r.status_code == 409
    assert "ตอบได้ครั้งเดียว" in r.text
    r = await p.http.post(
        f"/v1/public/mission-surveys/{sid}/responses",
        json={"scores": {"teaching": 5}, "token": token},
    )
    assert r.status_code == 409
    assert r.json()["error"]["details"]["reason"] == "already_answered"
    # The link's page now says it was used.
    assert "ตอบได้ครั้งเดียว" in (await p.http.get(f"/mission-surveys/{sid}?t={token}")).text
    # A link of another survey, or a forged one, is 403 naming the token: well formed,
    # but not a link the office sent.
    r = await p.http.post(
        f"/v1/public/mission-surveys/{sid}/responses",
        json={"scores": {"teaching": 5}, "token": token[:-3] + "abc"},
    )
    assert r.status_code == 403 and r.json()["error"]["details"]["field"] == "token"
    # The CSV for a mail merge: one row per person; a formula-looking label stays text.
    r = await p.http.post(
        f"/v1/mission-surveys/{sid}/links?format=csv",
        json={"recipients": ["=1+1"]},
        headers=p.auth("policy.a"),
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = r.text.splitlines()
    assert rows[0] == "recipient,url,expires_at" and rows[1].startswith("'=1+1,http")
    assert rows[1].endswith("T00:00+07:00")  # midnight after the last day, in Bangkok
    detail = (await p.http.get(f"/v1/mission-surveys/{sid}", headers=p.auth("admin"))).json()
    assert detail["links_sent"] == 3
    assert (detail["results"]["responses"], detail["results"]["personal"]) == (1, 1)
    assert second["token"] != first["token"]


async def test_bad_input_and_a_closed_survey_get_clear_refusals(
    participation: Participation,
) -> None:
    p = participation
    sid = await opened_survey(p)
    answer = f"/v1/public/mission-surveys/{sid}/responses"
    r = await p.http.post(answer, json={"scores": {"teaching": 7}})
    assert r.status_code == 422 and "scores.teaching" in r.text
    r = await p.http.post(answer, json={"scores": {"lunch": 3}})
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "scores.lunch"
    r = await p.http.post("/v1/public/mission-surveys/ms-nope/responses", json={"scores": {}})
    assert r.status_code == 404
    assert (await p.http.get("/mission-surveys/ms-nope")).status_code == 404
    # A form without this browser's CSRF token is refused.
    r = await p.http.post(f"/mission-surveys/{sid}", data={"scores.teaching": "4"})
    assert r.status_code == 403
    # Other staff may not run a survey; opening twice is 409.
    cmd = f"/v1/mission-surveys/{sid}/commands"
    assert (await p.http.post(f"{cmd}/close", headers=p.auth("finance.a"))).status_code == 403
    assert (await p.http.post(f"{cmd}/open", headers=p.auth("policy.a"))).status_code == 409
    hidden = await page_form(p, f"/mission-surveys/{sid}")
    assert (await p.http.post(f"{cmd}/close", headers=p.auth("policy.a"))).status_code == 200
    r = await p.http.post(answer, json={"scores": {"teaching": 4}})
    assert r.status_code == 409 and r.json()["error"]["details"]["reason"] == "closed"
    r = await p.http.post(f"/mission-surveys/{sid}", data={**hidden, "scores.teaching": "4"})
    assert r.status_code == 409 and "ปิดแล้ว" in r.text
    assert (await p.http.post(f"{cmd}/close", headers=p.auth("policy.a"))).status_code == 409
    r = await p.http.post(
        f"/v1/mission-surveys/{sid}/links", json={"recipients": ["x"]}, headers=p.auth("admin")
    )
    assert r.status_code == 409
    r = await p.http.put(f"/v1/mission-surveys/{sid}", json=survey_body(), headers=p.auth("admin"))
    assert r.status_code == 409


async def test_the_system_closes_a_survey_past_its_last_day(
    participation: Participation,
) -> None:
    p = participation
    sid = await opened_survey(p)
    running = await opened_survey(p)  # its last day is still ahead: left open
    yesterday = (p.ctx.today() - timedelta(days=1)).isoformat()
    await p.ctx.surveys.surveys.update_one({"_id": sid}, {"$set": {"closes_on": yesterday}})
    assert await close_past_last_day(p.ctx) == 1
    assert await close_past_last_day(p.ctx) == 0  # and only once
    closed = (await p.http.get(f"/v1/mission-surveys/{sid}", headers=p.auth("admin"))).json()
    assert closed["status"] == "closed"
    stored = await p.ctx.surveys.get(sid)
    assert stored["timeline"][-1]["actor"] == "system"
    still = (await p.http.get(f"/v1/mission-surveys/{running}", headers=p.auth("admin"))).json()
    assert still["status"] == "open"


async def test_events_carry_scores_and_counts_never_names_or_words(
    participation: Participation,
) -> None:
    p = participation
    sid = await opened_survey(p)
    links = await p.http.post(
        f"/v1/mission-surveys/{sid}/links",
        json={"recipients": [RECIPIENT]},
        headers=p.auth("policy.a"),
    )
    token = links.json()["links"][0]["token"]
    r = await p.http.post(
        f"/v1/public/mission-surveys/{sid}/responses",
        json={"scores": {"teaching": 4, "safety": 5}, "texts": {"idea": WORDS}, "token": token},
    )
    assert r.status_code == 201, r.text
    cmd = f"/v1/mission-surveys/{sid}/commands/close"
    assert (await p.http.post(cmd, headers=p.auth("policy.a"))).status_code == 200

    topic = topics.with_prefix(p.kafka.topic_prefix, topics.PARTICIPATION)
    records = await read_topic(p.kafka.bootstrap_servers, topic, 3)
    events = [parse_event(r.value) for r in records]
    assert [e.type.split(".")[-2] for e in events] == [
        "mission_survey_opened",
        "mission_survey_answered",
        "mission_survey_closed",
    ]
    assert {r.key.decode() for r in records} == {sid}
    answered, closed = events[1].data, events[2].data
    assert (answered.scores, answered.texts, answered.via) == (
        {"teaching": 4, "safety": 5},
        1,
        "personal",
    )
    assert closed.counts == {"teaching": [0, 0, 0, 1, 0], "safety": [0, 0, 0, 0, 1]}
    assert (closed.responses, closed.links_sent, closed.personal_responses) == (1, 1, 1)
    raw = b"".join(r.value for r in records).decode()
    for personal in (WORDS, RECIPIENT, "มาลี", token):
        assert personal not in raw
