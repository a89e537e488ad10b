"""A consultation's life through the API, against the real Kafka and MongoDB: created as a
draft, opened, answered by the public, counted per group and per question, closed
(after which opinions get a 409), concluded; refusals are 404, 403, 409 and 422 with the
field, never a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

from services.participation.handlers.consultations import close_past_last_day
from tests.integration.participation.conftest import Participation, consultation_body, office_today


async def test_a_consultations_life_through_the_api(participation: Participation) -> None:
    p = participation
    created = await p.create()
    cid = created["consultation_id"]
    assert created["status"] == "draft" and created["fiscal_year"] >= 2570
    assert created["allowed_commands"] == ["edit", "open"]

    # A draft is not public, and other staff read but do not run consultations.
    assert (await p.http.get(f"/v1/public/consultations/{cid}")).status_code == 404
    reader = p.auth("finance.a")
    assert (await p.http.get(f"/v1/consultations/{cid}", headers=reader)).status_code == 200
    r = await p.http.post(f"/v1/consultations/{cid}/commands/open", headers=reader)
    assert r.status_code == 403, r.text

    # The draft can still change; once open, it cannot.
    edited = consultation_body(topic_th="อาหารกลางวันและนมโรงเรียน")
    r = await p.http.put(f"/v1/consultations/{cid}", json=edited, headers=p.auth("policy.a"))
    assert r.status_code == 200 and r.json()["topic_th"] == "อาหารกลางวันและนมโรงเรียน"
    assert (await p.command(cid, "open")).json()["status"] == "open"
    r = await p.http.put(f"/v1/consultations/{cid}", json=edited, headers=p.auth("policy.a"))
    assert r.status_code == 409 and r.json()["error"]["details"]["status"] == "open"

    public = (await p.http.get(f"/v1/public/consultations/{cid}")).json()
    assert public["takes_opinions"] and public["summary"] is None
    for group, answer in [("parents", "good"), ("parents", "poor"), ("teachers", "good")]:
        r = await p.opinion(cid, group=group, answers={"lunch": answer})
        assert r.status_code == 201, r.text

    r = await p.command(cid, "conclude", summary="สรุป")
    assert r.status_code == 409 and r.json()["error"]["code"] == "illegal_transition"
    assert (await p.command(cid, "close")).json()["status"] == "closed"
    r = await p.command(cid, "conclude")
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "summary"
    summary = "ผู้ปกครองส่วนใหญ่พอใจ แต่ขอให้เพิ่มผลไม้"
    concluded = (await p.command(cid, "conclude", summary=summary)).json()
    assert concluded["status"] == "concluded" and concluded["summary"] == summary
    assert [t["command"] for t in concluded["timeline"]] == [
        "create",
        "edit",
        "open",
        "close",
        "conclude",
    ]
    public = (await p.http.get(f"/v1/public/consultations/{cid}")).json()
    assert public["summary"] == summary and public["by_group"] == {"parents": 2, "teachers": 1}


async def test_opinions_are_counted_per_group_and_per_question(
    participation: Participation,
) -> None:
    p = participation
    cid = await p.opened()
    given = [
        ("parents", {"lunch": "good", "idea": "เพิ่มผลไม้"}),
        ("parents", {"lunch": "fair"}),
        ("teachers", {"lunch": "poor", "idea": "ครัวเล็กเกินไป"}),
        ("school-directors", {"lunch": "poor"}),
    ]
    for group, answers in given:
        assert (await p.opinion(cid, group=group, answers=answers)).status_code == 201
    detail = (await p.http.get(f"/v1/consultations/{cid}", headers=p.auth("finance.a"))).json()
    assert detail["opinions"] == 4
    assert detail["by_group"] == {"parents": 2, "teachers": 1, "school-directors": 1}
    lunch = detail["tally"]["by_question"]["lunch"]
    assert lunch["choices"] == {"good": 1, "fair": 1, "poor": 2}
    assert lunch["choices_by_group"]["parents"] == {"good": 1, "fair": 1}
    assert detail["tally"]["by_question"]["idea"]["answered"] == 2

    # Staff read them and tag themes; the themes are counted.
    listed = (
        await p.http.get(f"/v1/consultations/{cid}/opinions", headers=p.auth("finance.a"))
    ).json()
    assert [o["group"] for o in listed["opinions"]] == [g for g, _ in given]
    first, third = listed["opinions"][0]["opinion_id"], listed["opinions"][2]["opinion_id"]
    for opinion_id, themes in [(first, ["ผลไม้", "เมนู"]), (third, ["ผลไม้"])]:
        r = await p.http.put(
            f"/v1/consultations/{cid}/opinions/{opinion_id}/themes",
            json={"themes": themes},
            headers=p.auth("policy.a"),
        )
        assert r.status_code == 200, r.text
    r = await p.http.put(
        f"/v1/consultations/{cid}/opinions/{first}/themes",
        json={"themes": ["x"]},
        headers=p.auth("finance.a"),
    )
    assert r.status_code == 403
    listed = (
        await p.http.get(f"/v1/consultations/{cid}/opinions", headers=p.auth("finance.a"))
    ).json()
    assert listed["themes"] == {"ผลไม้": 2, "เมนู": 1}


async def test_a_closed_consultation_refuses_opinions_with_409(
    participation: Participation,
) -> None:
    p = participation
    cid = await p.opened()
    assert (await p.command(cid, "close")).status_code == 200
    r = await p.opinion(cid)
    assert r.status_code == 409
    assert r.json()["error"]["details"]["reason"] == "closed"
    page = await p.http.post(
        f"/consultations/{cid}", data={"group": "parents", "answers.lunch": "good"}
    )
    assert page.status_code == 409 and "ปิดแล้ว" in page.text
    detail = (await p.http.get(f"/v1/consultations/{cid}", headers=p.auth("admin"))).json()
    assert detail["opinions"] == 0

    # Reopened with a new last day, it takes them again.
    later = (office_today() + timedelta(days=14)).isoformat()
    r = await p.command(cid, "reopen", reason="ขยายเวลา", closes_on=later)
    assert r.status_code == 200 and r.json()["closes_on"] == later
    assert (await p.opinion(cid)).status_code == 201


async def test_refusals_are_404_409_and_422_naming_the_field(participation: Participation) -> None:
    p = participation
    coordinator = p.auth("policy.a")
    assert (await p.command("cn-nothing", "open")).status_code == 404
    assert (await p.opinion("cn-nothing")).status_code == 404
    r = await p.http.get("/v1/consultations/cn-nothing", headers=coordinator)
    assert r.status_code == 404
    assert (await p.http.get("/v1/consultations")).status_code == 401

    bad = consultation_body(closes_on="2026-01-01", opens_on="2026-12-01")
    r = await p.http.post("/v1/consultations", json=bad, headers=coordinator)
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "closes_on"
    r = await p.http.post(
        "/v1/consultations", json=consultation_body(groups=["monks"]), headers=coordinator
    )
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "groups[0]"
    # Well formed, but the year's plan on file has no such item: a conflict, not a 422.
    r = await p.http.post(
        "/v1/consultations", json=consultation_body(mission_item="Z9"), headers=coordinator
    )
    assert r.status_code == 409 and r.json()["error"]["details"]["field"] == "mission_item"
    r = await p.http.post(
        "/v1/consultations", json=consultation_body(topic_th=""), headers=coordinator
    )
    fields = r.json()["error"]["details"]["fields"]
    assert r.status_code == 422 and fields[0]["field"] == "body.topic_th"

    cid = await p.opened()
    r = await p.opinion(cid, answers={"lunch": "excellent"})
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "answers.lunch"
    r = await p.opinion(cid, group="students")
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "group"
    assert (await p.command(cid, "bogus")).status_code == 422


async def test_an_oversized_opinion_is_refused_with_413_and_nothing_counted(
    participation: Participation,
) -> None:
    """The public opinion API takes anyone's request: a body past the limit is refused
    before it is read whole or parsed, with the limit named, whether it says its length
    or streams it."""
    p = participation
    cid = await p.opened()
    # An answer of 300 KiB (a field the form does not have: the size is refused first).
    r = await p.opinion(cid, padding="ก" * (300 * 1024))
    assert r.status_code == 413
    assert r.json()["error"] == {
        "code": "too_large",
        "message": "the body is larger than 262144 bytes",
        "details": {"limit": 262144},
    }

    async def streamed() -> AsyncIterator[bytes]:
        yield b'{"group": "parents", "answers": {"lunch": "good"}, "padding": "'
        for _ in range(40):
            yield b"x" * 8192
        yield b'"}'

    r = await p.http.post(
        f"/v1/public/consultations/{cid}/opinions",
        content=streamed(),
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 413
    assert (await p.opinion(cid)).status_code == 201
    detail = (await p.http.get(f"/v1/consultations/{cid}", headers=p.auth("admin"))).json()
    assert detail["opinions"] == 1


async def test_a_resent_opinion_counts_once(participation: Participation) -> None:
    p = participation
    cid = await p.opened()
    first = await p.opinion(cid, submission_key="key-0123456789")
    again = await p.opinion(cid, submission_key="key-0123456789")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["replayed"] and again.json()["opinion_id"] == first.json()["opinion_id"]
    detail = (await p.http.get(f"/v1/consultations/{cid}", headers=p.auth("admin"))).json()
    assert detail["opinions"] == 1


async def test_the_system_closes_a_consultation_past_its_last_day(
    participation: Participation,
) -> None:
    p = participation
    cid = await p.opened()
    yesterday = (p.ctx.today() - timedelta(days=1)).isoformat()
    await p.ctx.consultations.consultations.update_one(
        {"_id": cid}, {"$set": {"closes_on": yesterday}}
    )
    assert (await p.opinion(cid)).json()["error"]["details"]["reason"] == "period_ended"
    assert await close_past_last_day(p.ctx) == 1
    detail = (await p.http.get(f"/v1/consultations/{cid}", headers=p.auth("admin"))).json()
    assert detail["status"] == "closed" and detail["timeline"][-1]["actor"] == "system"
