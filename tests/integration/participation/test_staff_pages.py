"""The staff pages for committees and reviews, as a browser without JavaScript uses them:
signed in by the console's cookie, each form with its CSRF token; an order attached, a
meeting recorded and closed, a review planned, held and reported; Thai first, English
with ?lang=en; no cookie is sent to the console's sign-in (and back), a form without its
token 403."""

from __future__ import annotations

import re
from datetime import timedelta

from deploy.local.demo_documents import one_page_pdf
from shared.infra import csrf
from shared.infra.auth import AuthSettings, StaffRole, issue_token
from tests.integration.participation.conftest import Participation, office_today

NAME = "บุญมี ศรีสวัสดิ์"


def _browser(p: Participation, staff_id: str = "policy.a") -> tuple[dict[str, str], str]:
    """The cookies a signed-in browser sends, and the token its forms carry."""
    name, role, unit = ("พรทิพย์", StaffRole.participation, "policy")
    token = issue_token(AuthSettings(), id=staff_id, name=name, role=role, unit=unit)
    nonce = csrf.new_nonce()
    cookies = {"siang_token": token, csrf.COOKIE: nonce}
    return cookies, csrf.form_token(AuthSettings().secret, nonce, token)


async def test_committee_pages_attach_an_order_and_record_a_meeting(
    participation: Participation,
) -> None:
    p = participation
    today = office_today()
    coordinator = p.auth("policy.a")
    r = await p.http.post(
        "/v1/committees",
        json={
            "name_th": "คณะกรรมการติดตามคุณภาพอาหารกลางวัน",
            "order": {"number": "7/2570", "signed_on": (today - timedelta(days=9)).isoformat()},
            "term_starts_on": (today - timedelta(days=5)).isoformat(),
        },
        headers=coordinator,
    )
    cm = r.json()["committee_id"]
    r = await p.http.post(
        f"/v1/committees/{cm}/members",
        json={
            "name": NAME,
            "group": "parents",
            "starts_on": (today - timedelta(days=5)).isoformat(),
        },
        headers=coordinator,
    )
    member_id = r.json()["members"][0]["member_id"]
    cookies, token = _browser(p)
    page = f"/staff/committees/{cm}"

    # Nobody signed in: to the console's sign-in, and back to this page afterwards.
    away = await p.http.get(page)
    assert away.status_code == 303
    assert away.headers["location"] == (
        "http://127.0.0.1:8002/console/login?next=http%3A%2F%2Fparticipation"
        + page.replace("/", "%2F")
    )
    # A form posted once the session ended: a page linking to the sign-in, back to the list.
    ended = await p.http.post(f"{page}/meetings", data={})
    assert ended.status_code == 401
    assert 'login?next=http%3A%2F%2Fparticipation%2Fstaff%2Fcommittees"' in ended.text
    p.http.cookies.update(cookies)
    r = await p.http.get(page)
    assert r.status_code == 200 and "แนบคำสั่งแต่งตั้ง" in r.text and NAME in r.text
    assert "Attach an appointment order" in (await p.http.get(page, params={"lang": "en"})).text

    form = {"number": "7/2570", "signed_on": (today - timedelta(days=9)).isoformat()}
    files = {"file": ("order.pdf", one_page_pdf("Order 7/2570"), "application/pdf")}
    r = await p.http.post(f"{page}/orders", data=form, files=files)
    assert r.status_code == 403  # no CSRF token
    r = await p.http.post(
        f"{page}/orders",
        data={**form, csrf.FIELD: token},
        files={"file": ("x.pdf", b"hello", "application/pdf")},
        cookies=cookies,
    )
    assert r.status_code == 415 and "PDF" in r.text
    r = await p.http.post(f"{page}/orders", data={**form, csrf.FIELD: token}, files=files)
    assert r.status_code == 303, r.text
    listed = await p.http.get(page)
    link = re.search(r'href="(/v1/committees/[^"]+/document)"', listed.text)
    assert link is not None
    assert (await p.http.get(link.group(1))).content.startswith(b"%PDF-")

    meeting = {
        csrf.FIELD: token,
        "held_on": today.isoformat(),
        "title_th": "การประชุมครั้งที่ 1/2570",
        "agenda": "รับรองรายงาน\nผลการสำรวจ",
        f"att.{member_id}": "present",
        "minutes": "ที่ประชุมรับทราบ",
        "resolutions": "S2 | เพิ่มผลไม้\nตรวจนม",
    }
    r = await p.http.post(f"{page}/meetings", data={**meeting, "held_on": "2020-01-01"})
    assert r.status_code == 422 and "held_on" in r.text
    r = await p.http.post(f"{page}/meetings", data=meeting)
    assert r.status_code == 303, r.text
    shown = await p.http.get(r.headers["location"])
    assert shown.status_code == 200 and "เพิ่มผลไม้" in shown.text and NAME in shown.text
    close = r.headers["location"].split("?")[0] + "/close"
    assert (await p.http.post(close, data={csrf.FIELD: token})).status_code == 303
    again = await p.http.post(close, data={csrf.FIELD: token})
    assert again.status_code == 409


async def test_review_pages_plan_hold_and_report(participation: Participation) -> None:
    p = participation
    cookies, token = _browser(p)
    p.http.cookies.update(cookies)
    today = office_today().isoformat()
    r = await p.http.get("/staff/reviews")
    assert r.status_code == 200 and "วางแผนการทบทวน" in r.text
    plan = {
        csrf.FIELD: token,
        "title_th": "ทบทวนอาหารกลางวัน",
        "mission_item": "S2",
        "kind": "meeting",
        "planned_on": today,
    }
    r = await p.http.post("/staff/reviews", data=plan)
    assert r.status_code == 303, r.text
    review = r.headers["location"].split("?")[0]
    r = await p.http.post(f"{review}/report", data={csrf.FIELD: token, "findings": "ดี"})
    assert r.status_code == 409
    held = {csrf.FIELD: token, "held_on": today, "group.parents": "8", "group.teachers": "3"}
    assert (await p.http.post(f"{review}/hold", data=held)).status_code == 303
    r = await p.http.post(
        f"{review}/report",
        data={csrf.FIELD: token, "findings": "ผลไม้ดีขึ้น\nครูยังเหนื่อย"},
        cookies=cookies,
    )
    assert r.status_code == 303
    shown = await p.http.get(review, params={"lang": "en"})
    assert "reported" in shown.text and "ครูยังเหนื่อย" in shown.text and ">11<" not in shown.text
    assert "Participants: 11" in shown.text
