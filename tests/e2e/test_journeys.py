"""End to end, every service a process on the real Kafka and MongoDB-wire server, a real
SMTP server listening: what a complainant, staff and supervisors see."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from tests.e2e.system import Inbox, System

PASSWORD = "siang-demo-2569"
T = TypeVar("T")


def wait_for(probe: Callable[[], T | None], what: str, timeout: float = 60) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def login(system: System, username: str) -> dict[str, str]:
    r = httpx.post(
        f"{system.url('workflow')}/v1/auth/login", json={"username": username, "password": PASSWORD}
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def track(system: System, code: str, pin: str) -> dict[str, Any] | None:
    r = httpx.get(f"{system.url('intake')}/v1/track/{code}", params={"pin": pin})
    return r.json() if r.status_code == 200 else None


def case_of(system: System, code: str, admin: dict[str, str]) -> dict[str, Any] | None:
    r = httpx.get(f"{system.url('workflow')}/v1/cases", params={"text": code}, headers=admin)
    found = (
        [c for c in r.json()["cases"] if c["tracking_code"] == code] if r.status_code == 200 else []
    )
    return found[0] if found else None


def mail_with(inbox: Inbox, address: str, needle: str) -> list[Any]:
    return [m for m in inbox.to(address) if needle in Inbox.text(m) or needle in str(m["Subject"])]


def summary(system: System, auth: dict[str, str], **filters: str) -> dict[str, Any]:
    r = httpx.get(f"{system.url('reporting')}/v1/reports/summary", params=filters, headers=auth)
    assert r.status_code == 200, r.text
    return dict(r.json()["summary"])


def submit_form(system: System, email: str, subject: str) -> tuple[str, str]:
    form = {
        "idempotency_key": str(uuid.uuid4()),
        "language": "th",
        "kind": "complaint",
        "complaint_type": "service",
        "category": "school-lunch",
        "subject": subject,
        "description": "อาหารกลางวันไม่เพียงพอสำหรับนักเรียนชั้น ป.2 ติดต่อกันหลายวัน",
        "contact.name": "สมหญิง รักเรียน",
        "contact.email": email,
        "consent.contact_me": "true",
    }
    r = httpx.post(f"{system.url('intake')}/submit", data=form)
    assert r.status_code == 200, r.text
    codes = re.findall(r'<dd class="code">([^<]+)</dd>', r.text)
    assert len(codes) == 2, r.text
    return codes[0].strip(), codes[1].strip()


def submit_api(system: System, body: dict[str, Any]) -> tuple[str, str]:
    r = httpx.post(
        f"{system.url('intake')}/v1/submissions",
        json=body,
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert r.status_code == 202, r.text
    return r.json()["tracking_code"], r.json()["tracking_pin"]


def test_a_complaint_from_form_and_api_to_answer_and_survey(system: System) -> None:
    admin = login(system, "admin")
    web_email = f"web-{uuid.uuid4().hex[:6]}@example.com"
    api_email = f"api-{uuid.uuid4().hex[:6]}@example.com"
    web = submit_form(system, web_email, "อาหารกลางวันไม่เพียงพอ")
    api = submit_api(
        system,
        {
            "kind": "complaint",
            "complaint_type": "service",
            "category": "documents",
            "subject": "Certificate still not issued",
            "language": "en",
            "description": "I asked for a work certificate three weeks ago.",
            "contact": {"name": "John Smith", "email": api_email},
            "consent": {"contact_me": True},
        },
    )
    for code, pin in (web, api):
        wait_for(
            lambda c=code, p=pin: (t := track(system, c, p)) and t["status"] == "assigned",
            f"{code} assigned",
        )
    # The complainants hear, with their tracking codes, in their language.
    wait_for(lambda: mail_with(system.inbox, web_email, web[0]), "web complainant's receipt")
    wait_for(lambda: mail_with(system.inbox, api_email, api[0]), "api complainant's receipt")
    case = case_of(system, web[0], admin)
    assert case is not None and case["unit"] == "promotion"
    assignee = case["assignee"]
    wait_for(lambda: system.inbox.to(f"{assignee}@siang.invalid"), "the assignee is told")

    staff = login(system, assignee)
    url = f"{system.url('workflow')}/v1/cases/{case['case_id']}/commands"
    assert httpx.post(f"{url}/start", json={}, headers=staff).status_code == 200
    httpx.post(
        f"{url}/comment",
        json={"text": "ผู้ร้องเป็นผู้ปกครองเด็กชายเอ", "visibility": "internal"},
        headers=staff,
    )
    answer = "โรงเรียนเพิ่มปริมาณอาหารกลางวันตั้งแต่วันจันทร์ที่ผ่านมาแล้ว"
    r = httpx.post(f"{url}/resolve", json={"public_answer": answer}, headers=staff)
    assert r.status_code == 200 and r.json()["status"] == "resolved"

    resolved_mail = wait_for(lambda: mail_with(system.inbox, web_email, answer), "the answer")
    text = Inbox.text(resolved_mail[0])
    assert "ผู้ปกครองเด็กชายเอ" not in text  # internal notes never reach the complainant
    link = re.search(r"http://127\.0\.0\.1:\d+/survey/[A-Za-z0-9._-]+", text)
    assert link, text
    survey = httpx.post(link.group(0), data={"rating": "4", "solved": "yes", "comment": "ขอบคุณครับ"})
    assert survey.status_code == 200 and "ขอบคุณ" in survey.text

    committee = login(system, "committee")
    wait_for(
        lambda: (
            summary(system, committee, category="school-lunch")["satisfaction"]["responses"] == 1
        ),
        "the survey answer in the satisfaction view",
    )
    figures = summary(system, committee, category="school-lunch")
    assert figures["satisfaction"]["mean"] == 4 and figures["satisfaction"]["solved"] == 1
    assert figures["received"] == 1 and figures["resolved"] == 1

    # The tracking page the e-mails link to follows the case too.
    intake_view = httpx.get(f"{system.url('intake')}/v1/track/{web[0]}", params={"pin": web[1]})
    assert intake_view.status_code == 200 and intake_view.json()["status"] == "resolved"
    tracking_link = re.search(rf"http://127\.0\.0\.1:\d+/track/{re.escape(web[0])}", text)
    assert tracking_link and tracking_link.group(0).startswith(system.url("intake")), text
    with httpx.Client() as browser:  # keeps the form's CSRF cookie, as a browser does
        form = browser.get(tracking_link.group(0))
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token, form.text
        page = browser.post(tracking_link.group(0), data={"pin": web[1], "csrf_token": token[1]})
    assert page.status_code == 200 and answer in page.text
    assert "ผู้ปกครองเด็กชายเอ" not in page.text and "สมหญิง" not in page.text

    public = track(system, *web)
    assert (
        public is not None and public["status"] == "resolved" and public["public_answer"] == answer
    )
    page = str(public)
    for secret in ("สมหญิง", web_email, "ผู้ปกครองเด็กชายเอ", assignee):
        assert secret not in page


def test_a_misconduct_complaint_never_reaches_the_named_person(system: System) -> None:
    admin = login(system, "admin")
    code, pin = submit_api(
        system,
        {
            "kind": "complaint",
            "complaint_type": "misconduct",
            "category": "teacher-conduct",
            "subject": "ครูตีนักเรียน",
            "description": "ครูประจำชั้นตีนักเรียนด้วยไม้เรียว",
            "named_person": "legal.a",
            "consent": {"contact_me": False},
        },
    )
    wait_for(lambda: (t := track(system, code, pin)) and t["status"] == "assigned", "assigned")
    case = case_of(system, code, admin)
    assert case is not None and case["assignee"] == "legal.head" and case["priority"] == "high"
    named = login(system, "legal.a")
    listed = httpx.get(f"{system.url('workflow')}/v1/cases", headers=named).json()["cases"]
    assert code not in {c["tracking_code"] for c in listed}
    wait_for(lambda: system.inbox.to("legal.head@siang.invalid"), "the supervisor is told")
    time.sleep(2)  # let any stray notice arrive before looking for it
    assert not [m for m in system.inbox.to("legal.a@siang.invalid") if code in Inbox.text(m)]


def test_an_untouched_case_warns_breaches_and_escalates(system: System) -> None:
    admin = login(system, "admin")
    code, pin = submit_api(
        system,
        {
            "kind": "suggestion",
            "category": "ict-services",
            "subject": "อินเทอร์เน็ตโรงเรียนช้า",
            "description": "สัญญาณอินเทอร์เน็ตในห้องคอมพิวเตอร์ช้ามาก",
        },
    )
    wait_for(lambda: (t := track(system, code, pin)) and t["status"] == "assigned", "assigned")
    case = case_of(system, code, admin)
    assert case is not None
    moved = httpx.post(
        f"{system.url('workflow')}/v1/admin/clock", json={"seconds": 40 * 86400}, headers=admin
    )
    assert moved.status_code == 200
    httpx.post(f"{system.url('workflow')}/v1/admin/scan", headers=admin)
    supervisor = "ict.head@siang.invalid"
    assignee = f"{case['assignee']}@siang.invalid"
    wait_for(
        lambda: [m for m in system.inbox.to(supervisor) if code in Inbox.text(m)], "escalation"
    )
    wait_for(
        lambda: [
            m
            for m in system.inbox.to(assignee)
            if code in Inbox.text(m) and m is not system.inbox.to(assignee)[0]
        ],
        "warning to the assignee",
    )
    detail = httpx.get(f"{system.url('workflow')}/v1/cases/{case['case_id']}", headers=admin).json()
    assert any(c["overdue"] for c in detail["clocks"])
    assert detail["timeline"][-1]["command"] == "escalate"
    committee = login(system, "committee")

    def breaches_counted() -> bool:
        sla = summary(system, committee, category="ict-services")["sla"]
        return sum(int(c.get("breaches") or 0) for c in sla.values()) >= 2

    wait_for(breaches_counted, "the breaches in the reports")
