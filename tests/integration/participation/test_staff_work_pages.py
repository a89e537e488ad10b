"""The staff pages a coordinator runs a year of participation from, as a browser without
JavaScript uses them (the console's cookie, each form with its CSRF token): a mission item
added and changed, a committee appointed with a member added and retired, a consultation
created, opened, read, its opinions tagged, closed and concluded, and an outcome
recorded, moved and published on "you said, we did". Thai first, English with ?lang=en;
a step the record is past is a 409 page saying so, a bad field a 422 page naming it, and
a member of staff who does not manage is refused (403)."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from shared.infra import csrf
from shared.infra.auth import AuthSettings, StaffRole, issue_token
from shared.thai.fiscal import fiscal_year
from tests.integration.participation.conftest import Participation, office_today

MEMBER = "สมหญิง ใจงาม"


def _browser(staff_id: str, role: StaffRole, unit: str | None) -> tuple[dict[str, str], str]:
    """The cookies a signed-in browser sends, and the token its forms carry."""
    token = issue_token(AuthSettings(), id=staff_id, name="ผู้ใช้", role=role, unit=unit)
    nonce = csrf.new_nonce()
    return {"siang_token": token, csrf.COOKIE: nonce}, csrf.form_token(
        AuthSettings().secret, nonce, token
    )


def _location(r: httpx.Response) -> str:
    assert r.status_code == 303, r.text[:2000]
    return r.headers["location"].split("?")[0]


async def test_a_coordinator_runs_the_plan_and_a_committee_from_the_pages(
    participation: Participation,
) -> None:
    p = participation
    today = office_today()
    year = fiscal_year(today)
    cookies, token = _browser("policy.a", StaffRole.participation, "policy")
    away = await p.http.get("/staff/missions")  # nobody signed in: the console's sign-in
    assert away.status_code == 303 and "/console/login?next=" in away.headers["location"]
    p.http.cookies.update(cookies)

    page = await p.http.get("/staff/missions")
    assert page.status_code == 200 and "เพิ่มพันธกิจ/ยุทธศาสตร์" in page.text
    assert "Add an item" in (await p.http.get("/staff/missions", params={"lang": "en"})).text
    item = {"code": "P9", "kind": "strategy", "name_th": "ห้องเรียนสีเขียว", "name_en": "Green"}
    r = await p.http.post(f"/staff/missions/{year}/items", data=item)
    assert r.status_code == 403  # no CSRF token
    r = await p.http.post(f"/staff/missions/{year}/items", data={**item, csrf.FIELD: token})
    assert _location(r) == "/staff/missions"
    assert "ห้องเรียนสีเขียว" in (await p.http.get("/staff/missions")).text
    again = await p.http.post(f"/staff/missions/{year}/items", data={**item, csrf.FIELD: token})
    assert again.status_code == 409 and "code" in again.text
    bad = await p.http.post(
        f"/staff/missions/{year}/items", data={**item, "code": "P 10", csrf.FIELD: token}
    )
    assert bad.status_code == 422 and "code" in bad.text
    # A year with no plan yet begins with its first item.
    r = await p.http.post(f"/staff/missions/{year + 3}/items", data={**item, csrf.FIELD: token})
    assert _location(r) == "/staff/missions"
    assert (await p.ctx.plans.get(year + 3)) is not None
    r = await p.http.post(
        f"/staff/missions/{year}/items/P9",
        data={**item, "name_th": "ห้องเรียนสีเขียวทุกโรงเรียน", "active": "no", csrf.FIELD: token},
    )
    assert _location(r) == "/staff/missions"
    plan = await p.ctx.plans.get(year)
    assert plan is not None and plan.item("P9") is not None
    assert plan.item("P9").name_th == "ห้องเรียนสีเขียวทุกโรงเรียน"  # type: ignore[union-attr]
    assert plan.item("P9").active is False  # type: ignore[union-attr]

    committee = {
        csrf.FIELD: token,
        "name_th": "คณะกรรมการห้องเรียนสีเขียว",
        "order_number": "45/2570",
        "order_signed_on": (today - timedelta(days=3)).isoformat(),
        "term_starts_on": (today - timedelta(days=1)).isoformat(),
        "mission_items": "S2",
    }
    bad = await p.http.post("/staff/committees", data={**committee, "term_starts_on": ""})
    assert bad.status_code == 422 and "term_starts_on" in bad.text
    url = _location(await p.http.post("/staff/committees", data=committee))
    shown = await p.http.get(url)
    assert shown.status_code == 200 and "เพิ่มกรรมการ" in shown.text
    member = {
        csrf.FIELD: token,
        "name": MEMBER,
        "phone": "0812345678",
        "group": "parents",
        "role": "chair",
        "starts_on": today.isoformat(),
    }
    assert _location(await p.http.post(f"{url}/members", data=member)) == url
    second = await p.http.post(f"{url}/members", data={**member, "name": "คนที่สอง"})
    assert second.status_code == 409 and "role" in second.text  # one chair at a time
    shown = await p.http.get(url)
    assert MEMBER in shown.text and "ประธานกรรมการ" in shown.text
    doc = await p.ctx.committees.get(url.rsplit("/", 1)[1])
    assert MEMBER not in str(doc)  # the name is in the personal-data store only
    member_id = doc["members"][0]["member_id"]
    retire = f"{url}/members/{member_id}/retire"
    bad = await p.http.post(retire, data={csrf.FIELD: token, "retired_on": today.isoformat()})
    assert bad.status_code == 422 and "reason" in bad.text
    done = {csrf.FIELD: token, "retired_on": today.isoformat(), "reason": "ลาออก"}
    assert _location(await p.http.post(retire, data=done)) == url
    twice = await p.http.post(retire, data=done)
    assert twice.status_code == 409
    assert "พ้นจากตำแหน่ง" in (await p.http.get(url)).text

    # A member of staff reads, and is refused the forms.
    staff_cookies, staff_token = _browser("finance.a", StaffRole.staff, "finance")
    p.http.cookies.update(staff_cookies)
    listed = await p.http.get("/staff/missions")
    assert listed.status_code == 200 and "เพิ่มพันธกิจ/ยุทธศาสตร์" not in listed.text
    r = await p.http.post("/staff/committees", data={**committee, csrf.FIELD: staff_token})
    assert r.status_code == 403


async def test_a_coordinator_runs_a_consultation_to_a_published_outcome(
    participation: Participation,
) -> None:
    p = participation
    today = office_today()
    cookies, token = _browser("policy.a", StaffRole.participation, "policy")
    p.http.cookies.update(cookies)
    form = {
        csrf.FIELD: token,
        "topic_th": "รถรับส่งนักเรียน",
        "topic_en": "School buses",
        "mission_item": "S2",
        "groups": ["parents", "teachers"],
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=20)).isoformat(),
        "questions": "* รถมาตรงเวลาหรือไม่ | ตรงเวลา; สายบ้าง; สายบ่อย\nข้อเสนอแนะ",
    }
    bad = await p.http.post("/staff/consultations", data={**form, "closes_on": "2000-01-01"})
    assert bad.status_code == 422 and "closes_on" in bad.text
    assert "รถรับส่งนักเรียน" in bad.text  # what was typed comes back
    url = _location(await p.http.post("/staff/consultations", data=form))
    cid = url.rsplit("/", 1)[1]
    page = await p.http.get(url)
    assert page.status_code == 200 and "ร่าง" in page.text and "เปิดรับความคิดเห็น" in page.text
    drafts = await p.http.get("/staff/consultations", params={"status": "draft"})
    assert "รถรับส่งนักเรียน" in drafts.text
    assert (
        "รถรับส่งนักเรียน"
        not in (await p.http.get("/staff/consultations", params={"status": "open"})).text
    )

    assert _location(await p.http.post(f"{url}/open", data={csrf.FIELD: token})) == url
    again = await p.http.post(f"{url}/open", data={csrf.FIELD: token})
    assert again.status_code == 409 and "open" in again.text
    for group, on_time, idea in (
        ("parents", "c3", "อยากให้มีรถเพิ่มอีกคัน"),
        ("parents", "c2", ""),
        ("teachers", "c1", "คนขับสุภาพดี"),
    ):
        answers = {"q1": on_time, **({"q2": idea} if idea else {})}
        r = await p.http.post(
            f"/v1/public/consultations/{cid}/opinions", json={"group": group, "answers": answers}
        )
        assert r.status_code == 201, r.text
    page = await p.http.get(url)
    rows = re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td>", page.text)
    assert ("ผู้ปกครองนักเรียน", "2") in rows and ("ครูและบุคลากรทางการศึกษา", "1") in rows
    opinions = await p.http.get(f"{url}/opinions")
    assert "อยากให้มีรถเพิ่มอีกคัน" in opinions.text and "สายบ่อย" in opinions.text
    parents = await p.http.get(f"{url}/opinions", params={"group": "teachers"})
    assert "คนขับสุภาพดี" in parents.text and "อยากให้มีรถเพิ่มอีกคัน" not in parents.text
    opinion_id = re.findall(r'id="op-([^"]+)"', opinions.text)[0]
    themes = f"{url}/opinions/{opinion_id}/themes"
    bad = await p.http.post(themes, data={csrf.FIELD: token, "themes": "ok, $bad"})
    assert bad.status_code == 422 and "themes[1]" in bad.text
    r = await p.http.post(themes, data={csrf.FIELD: token, "themes": "จำนวนรถ, ความตรงเวลา"})
    assert _location(r) == f"{url}/opinions"
    assert "จำนวนรถ · 1" in (await p.http.get(f"{url}/opinions")).text

    concluded_too_soon = await p.http.post(
        f"{url}/conclude", data={csrf.FIELD: token, "summary": "x"}
    )
    assert concluded_too_soon.status_code == 409
    assert _location(await p.http.post(f"{url}/close", data={csrf.FIELD: token})) == url
    missing = await p.http.post(f"{url}/conclude", data={csrf.FIELD: token, "summary": " "})
    assert missing.status_code == 422 and "summary" in missing.text
    summary = "ผู้ปกครองส่วนใหญ่เห็นว่ารถมาสาย ขอให้เพิ่มรถ"
    r = await p.http.post(f"{url}/conclude", data={csrf.FIELD: token, "summary": summary})
    assert _location(r) == url
    page = await p.http.get(url, params={"lang": "en"})
    assert "concluded" in page.text and summary in page.text
    assert "cstatus" not in page.text  # the timeline names every status it passed through

    outcome = {
        csrf.FIELD: token,
        "consultation_id": cid,
        "you_said_th": "รถมาสาย อยากให้เพิ่มรถ",
        "we_did_th": "จัดรถเพิ่มหนึ่งคันในเส้นทางตำบลหนองบัว",
        "owner_unit": "promotion",
        "status": "in_progress",
    }
    bad = await p.http.post("/staff/outcomes", data={**outcome, "owner_unit": "nowhere"})
    assert bad.status_code == 422 and "owner_unit" in bad.text
    oc = _location(await p.http.post("/staff/outcomes", data=outcome))
    shown = await p.http.get(oc)
    assert "กำลังดำเนินการ" in shown.text and "ยังไม่เผยแพร่" in shown.text
    public = await p.http.get("/you-said-we-did")
    assert "จัดรถเพิ่มหนึ่งคัน" not in public.text
    no_reason = await p.http.post(oc, data={csrf.FIELD: token, "status": "not_adopted"})
    assert no_reason.status_code == 422 and "reason" in no_reason.text
    done = await p.http.post(oc, data={csrf.FIELD: token, "status": "done"})
    assert _location(done) == oc
    back = await p.http.post(oc, data={csrf.FIELD: token, "status": "planned"})
    assert back.status_code == 409 and "done" in back.text
    assert _location(await p.http.post(oc, data={csrf.FIELD: token, "published": "yes"})) == oc
    assert "จัดรถเพิ่มหนึ่งคัน" in (await p.http.get("/you-said-we-did")).text
    listed = await p.http.get("/staff/outcomes")
    assert "จัดรถเพิ่มหนึ่งคัน" in listed.text and "เผยแพร่แล้ว" in listed.text
