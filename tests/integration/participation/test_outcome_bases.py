"""An outcome answers a consultation, a committee resolution or a pattern of complaints:
a resolution is checked against the meeting on file (409 naming the field), a complaint
pattern is counted from reporting's case view; "you said, we did" says what was heard in
words; the first publication carries, by reference, the people to tell (those who gave
an opinion with consent), once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from shared.contract import topics
from shared.contract.events import OutcomePublished, parse_event
from shared.infra import csrf
from shared.infra.auth import StaffRole
from shared.thai.fiscal import fiscal_year, round_of_date
from tests.integration.participation.conftest import Participation, office_today
from tests.integration.participation.test_committee_papers_and_meetings import _committee
from tests.integration.participation.test_staff_work_pages import _browser, _location
from tests.support import read_topic

WORDS = {"you_said_th": "อยากให้มีผลไม้ทุกวัน", "we_did_th": "เพิ่มผลไม้", "owner_unit": "promotion"}


def _field(r: Any) -> str:
    return str(r.json()["error"]["details"]["field"])


async def test_an_outcome_of_a_committee_resolution_checked_against_the_meeting(
    participation: Participation,
) -> None:
    p = participation
    coordinator = p.auth("policy.a")
    cm, ids = await _committee(p)
    meeting = {
        "held_on": (office_today() - timedelta(days=1)).isoformat(),
        "attendance": {i: "present" for i in ids.values()},
        "minutes": "มีมติ",
        "resolutions": [
            {"text": "ให้เพิ่มผลไม้ในมื้อกลางวันสามวันต่อสัปดาห์", "mission_item": "S2"},
            {"text": "ให้ตรวจการเก็บรักษานม"},
        ],
    }
    r = await p.http.post(f"/v1/committees/{cm}/meetings", json=meeting, headers=coordinator)
    assert r.status_code == 201, r.text
    mid = r.json()["meeting_id"]

    def body(**ref: Any) -> dict[str, Any]:
        return {**WORDS, "resolution": {"committee_id": cm, "meeting_id": mid, "number": 1, **ref}}

    for ref, field in (
        ({"committee_id": "cm-nothing"}, "resolution.committee_id"),
        ({"meeting_id": "mt-nothing"}, "resolution.meeting_id"),
        ({"number": 3}, "resolution.number"),
    ):
        r = await p.http.post("/v1/outcomes", json=body(**ref), headers=coordinator)
        assert r.status_code == 409 and _field(r) == field, r.text
    # Two bases at once: 422 naming the second.
    both = {**body(), "consultation_id": "cn-x"}
    r = await p.http.post("/v1/outcomes", json=both, headers=coordinator)
    assert r.status_code == 422 and _field(r) == "resolution"
    # The second resolution names no item: the outcome must.
    r = await p.http.post("/v1/outcomes", json=body(number=2), headers=coordinator)
    assert r.status_code == 422 and _field(r) == "mission_item"

    r = await p.http.post("/v1/outcomes", json=body(), headers=coordinator)
    assert r.status_code == 201, r.text
    recorded = r.json()
    assert recorded["basis"] == "resolution" and recorded["consultation_id"] is None
    assert recorded["resolution"]["text"] == "ให้เพิ่มผลไม้ในมื้อกลางวันสามวันต่อสัปดาห์"
    assert recorded["mission_item"] == "S2"
    published = await p.http.patch(
        f"/v1/outcomes/{recorded['outcome_id']}", json={"published": True}, headers=coordinator
    )
    assert published.status_code == 200
    page = (await p.http.get(f"/you-said-we-did?fiscal_year={recorded['fiscal_year']}")).text
    assert "มติคณะกรรมการติดตามคุณภาพอาหารกลางวัน ข้อ 1" in page
    assert "ให้เพิ่มผลไม้ในมื้อกลางวันสามวันต่อสัปดาห์" in page


async def test_an_outcome_of_a_category_s_complaints_counted_from_the_reports(
    participation: Participation,
) -> None:
    p = participation
    coordinator = p.auth("policy.a")
    today = office_today()
    year, half = fiscal_year(today), round_of_date(today)
    # Reporting's case view as its consumer writes it (the pointer and two cells of the
    # round: school lunches, complaints and a question; another category).
    db = p.ctx.consultations.consultations.database
    await db["report_meta"].insert_one({"_id": "views", "version": 3, "batches": 7})
    cell = {"fiscal_year": year, "round": half, "category": "school-lunch", "unit": "promotion"}
    await db["report_cases_v3"].insert_many(
        [
            {**cell, "month": "a", "kind": "complaint", "channel": "web", "received": 7},
            {**cell, "month": "b", "kind": "complaint", "channel": "line", "received": 5},
            {**cell, "month": "a", "kind": "question", "channel": "web", "received": 40},
            {**cell, "category": "documents", "kind": "complaint", "received": 9},
        ]
    )
    pattern = {"category": "school-lunch", "fiscal_year": year, "round": half}
    body = {**WORDS, "complaints": pattern, "mission_item": "S2", "published": True}
    r = await p.http.post(
        "/v1/outcomes",
        json={**body, "complaints": {**pattern, "category": "ufo"}},
        headers=coordinator,
    )
    assert r.status_code == 422 and "complaints" in _field(r)
    r = await p.http.post("/v1/outcomes", json={**body, "mission_item": "Z9"}, headers=coordinator)
    assert r.status_code == 409 and _field(r) == "mission_item"
    r = await p.http.post("/v1/outcomes", json=body, headers=coordinator)
    assert r.status_code == 201, r.text
    assert r.json()["complaints"]["count"] == 12
    half_th = "6 เดือนแรก" if half == 1 else "6 เดือนหลัง"
    page = (await p.http.get("/you-said-we-did")).text
    assert f"ข้อร้องเรียนเรื่อง อาหารกลางวันและนมโรงเรียน จำนวน 12 เรื่องในรอบ {half_th}" in page
    public = (await p.http.get("/v1/public/outcomes")).json()
    [shown] = [o for i in public["items"] for o in i["outcomes"]]
    assert shown["basis"] == "complaints" and shown["complaints"]["count"] == 12
    assert shown["complaints"]["category_th"] == "อาหารกลางวันและนมโรงเรียน"


async def test_the_first_publication_names_the_consenting_opinion_givers_once(
    participation: Participation,
) -> None:
    p = participation
    coordinator = p.auth("policy.a")
    cid = await p.opened()
    for i in (1, 2):
        r = await p.opinion(
            cid,
            contact={"name": f"ผู้ปกครอง {i}", "email": f"parent{i}@example.com"},
            consent={"contact_me": True},
        )
        assert r.status_code == 201, r.text
    assert (await p.opinion(cid)).status_code == 201  # left no contact details
    r = await p.http.post(
        "/v1/outcomes", json={**WORDS, "consultation_id": cid}, headers=coordinator
    )
    oid = r.json()["outcome_id"]
    for published in (True, False, True):  # published, taken off, shown again
        r = await p.http.patch(
            f"/v1/outcomes/{oid}", json={"published": published}, headers=coordinator
        )
        assert r.status_code == 200, r.text
    topic = topics.with_prefix(p.kafka.topic_prefix, topics.PARTICIPATION)
    # consultation opened, 3 opinions, recorded, 3 updates, 1 published: 9 at least.
    records = await read_topic(p.kafka.bootstrap_servers, topic, 9, settle=1)
    announced = [
        e.data
        for e in map(parse_event, (r.value for r in records))
        if isinstance(e.data, OutcomePublished)
    ]
    assert len(announced) == 1
    [event] = announced
    assert event.outcome_id == oid and event.topic_th == "อาหารกลางวันในโรงเรียนขนาดเล็ก"
    assert len(event.people) == 2 and (event.part, event.parts) == (1, 1)
    # References only: no name nor address in the event.
    raw = b"".join(r.value for r in records)
    assert b"parent1@example.com" not in raw and "ผู้ปกครอง 1".encode() not in raw


async def test_the_staff_form_records_an_outcome_of_complaints_or_of_a_resolution(
    participation: Participation,
) -> None:
    p = participation
    cm, ids = await _committee(p)
    meeting = {
        "held_on": (office_today() - timedelta(days=1)).isoformat(),
        "attendance": {i: "present" for i in ids.values()},
        "minutes": "มีมติ",
        "resolutions": [{"text": "ให้จัดรถรับส่งเพิ่มในเขตภูเขา", "mission_item": "S2"}],
    }
    coordinator = p.auth("policy.a")
    r = await p.http.post(f"/v1/committees/{cm}/meetings", json=meeting, headers=coordinator)
    mid = r.json()["meeting_id"]
    cookies, token = _browser("policy.a", StaffRole.participation, "policy")
    p.http.cookies.update(cookies)
    form = (await p.http.get("/staff/outcomes")).text
    # The form offers the three bases, the meeting's resolution among them.
    assert 'value="resolution"' in form and 'value="complaints"' in form
    assert f'value="{cm}|{mid}|1"' in form
    words = {csrf.FIELD: token, **WORDS}
    today = office_today()
    year, half = fiscal_year(today), round_of_date(today)
    half_th, half_en = ("แรก", "first") if half == 1 else ("หลัง", "second")
    complaints = {
        **words,
        "basis": "complaints",
        "category": "school-lunch",
        "complaints_fiscal_year": str(year),
        "round": str(half),
    }
    missing = await p.http.post("/staff/outcomes", data=complaints)
    assert missing.status_code == 422 and "mission_item" in missing.text
    oc = _location(await p.http.post("/staff/outcomes", data={**complaints, "mission_item": "S2"}))
    shown = (await p.http.get(oc)).text
    # No reporting views in this database: said, not guessed.
    assert f"ข้อร้องเรียนเรื่อง อาหารกลางวันและนมโรงเรียน ในรอบ 6 เดือน{half_th}" in shown
    assert "ยังนับไม่ได้" in shown
    bad = await p.http.post(
        "/staff/outcomes", data={**words, "basis": "resolution", "resolution": f"{cm}|{mid}|2"}
    )
    assert bad.status_code == 409 and "resolution.number" in bad.text
    oc = _location(
        await p.http.post(
            "/staff/outcomes", data={**words, "basis": "resolution", "resolution": f"{cm}|{mid}|1"}
        )
    )
    assert "ให้จัดรถรับส่งเพิ่มในเขตภูเขา" in (await p.http.get(oc)).text
    listed = (await p.http.get("/staff/outcomes?lang=en")).text
    assert (
        "A committee resolution" in listed
        and f"Complaints about School lunch and milk in the {half_en} half" in listed
    )
