"""`python -m deploy.local.demo_participation [--force]`: load the participation demo into
a running system, through the real APIs as people would.

Run by `make dev` once the services answer. In the current fiscal year: a consultation on
school lunches answered by parents, teachers and school directors, concluded, with
three published outcomes ("you said, we did": one done, one under way, one not adopted
and why); a consultation on teacher development still open, with a few opinions (one
leaving contact details, with consent); and a draft. The admin demo account runs them.

Committees and reviews (measures 2.3 and 2.1): a committee on school lunches with four
members (the demo account `committee` sits on it, so it reads the committee's papers), its
signed appointment order attached as a PDF, a meeting recorded with attendance, minutes
and resolutions and then closed, and a review of the lunch strategy item planned, held
with stakeholders counted per group and reported.

Once: markers (`dev_demo`, ids `demo-participation` and `demo-participation-committees`)
make later runs skip each part. An interrupted load is safe to run again: consultations,
committees and reviews are found by their names, opinions carry a submission key, and
steps already taken are not taken again.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from pymongo import MongoClient

from deploy.local.demo_data import MARKER_COLLECTION, DemoError, Say, demo_password
from deploy.local.demo_documents import one_page_pdf
from shared.infra.settings import MongoSettings
from shared.thai.dates import BANGKOK
from shared.thai.fiscal import fiscal_year, fiscal_year_bounds

MARKER_ID = "demo-participation"
COMMITTEES_MARKER_ID = "demo-participation-committees"
SURVEYS_MARKER_ID = "demo-participation-surveys"
COMMITTEE_NAME = "คณะกรรมการติดตามคุณภาพอาหารกลางวันและอาหารเสริม (นม)"
REVIEW_TITLE = "ทบทวนผลการดำเนินงานด้านอาหารกลางวันกับผู้มีส่วนได้ส่วนเสีย"
ADMIN = "admin"


@dataclass(frozen=True)
class DemoOpinion:
    key: str
    group: str
    answers: dict[str, str]
    contact: dict[str, str] | None = None


@dataclass(frozen=True)
class DemoOutcome:
    you_said_th: str
    you_said_en: str
    we_did_th: str
    we_did_en: str
    owner_unit: str
    status: str
    reason: str | None = None
    due_on: date | None = None


@dataclass(frozen=True)
class DemoConsultation:
    body: dict[str, Any]
    # The status the demo leaves it in: draft, open or concluded.
    target: str
    opinions: list[DemoOpinion] = field(default_factory=list)
    summary: str | None = None
    outcomes: list[DemoOutcome] = field(default_factory=list)


def _choice(code: str, th: str, en: str) -> dict[str, str]:
    return {"code": code, "label_th": th, "label_en": en}


def demo_consultations(today: date) -> list[DemoConsultation]:
    """The demo, dated around `today` (Bangkok) and inside its fiscal year."""
    start, end = (moment.date() for moment in fiscal_year_bounds(fiscal_year(today)))
    began = max(today - timedelta(days=30), start)
    # The draft opens in a fortnight, but within this fiscal year, whose plan it names.
    planned = min(today + timedelta(days=14), end - timedelta(days=1))
    lunch = DemoConsultation(
        target="concluded",
        body={
            "topic_th": "อาหารกลางวันและนมโรงเรียนในโรงเรียนขนาดเล็ก",
            "topic_en": "School lunches and milk in small schools",
            "description_th": (
                "สำนักงานขอรับฟังความคิดเห็นต่อคุณภาพอาหารกลางวันและอาหารเสริม (นม) "
                "ในโรงเรียนที่มีนักเรียนไม่เกิน 120 คน เพื่อปรับการจัดสรรงบประมาณ"
            ),
            "description_en": (
                "The office asks what you think of lunches and milk in schools of up to 120 "
                "pupils, to adjust how the budget is shared out."
            ),
            "mission_item": "S2",
            "groups": ["parents", "teachers", "school-directors", "community"],
            "opens_on": began.isoformat(),
            "closes_on": (today + timedelta(days=1)).isoformat(),
            "questions": [
                {
                    "id": "lunch",
                    "kind": "choice",
                    "text_th": "ท่านพอใจกับอาหารกลางวันของโรงเรียนเพียงใด",
                    "text_en": "How satisfied are you with the school's lunches?",
                    "choices": [
                        _choice("good", "พอใจ", "Satisfied"),
                        _choice("fair", "พอใช้", "Fair"),
                        _choice("poor", "ไม่พอใจ", "Not satisfied"),
                    ],
                    "required": True,
                },
                {
                    "id": "milk",
                    "kind": "choice",
                    "text_th": "นักเรียนได้รับนมที่มีคุณภาพครบทุกวันหรือไม่",
                    "text_en": "Do pupils get good milk every school day?",
                    "choices": [
                        _choice("always", "ครบทุกวัน", "Every day"),
                        _choice("mostly", "เกือบทุกวัน", "Most days"),
                        _choice("rarely", "ไม่สม่ำเสมอ", "Not regularly"),
                    ],
                },
                {
                    "id": "idea",
                    "kind": "text",
                    "text_th": "ข้อเสนอแนะเพิ่มเติม",
                    "text_en": "Anything else you suggest",
                },
            ],
        },
        opinions=[
            DemoOpinion(
                "lunch-1",
                "parents",
                {"lunch": "fair", "milk": "mostly", "idea": "อยากให้มีผลไม้ในมื้อกลางวันบ่อยขึ้น"},
            ),
            DemoOpinion(
                "lunch-2",
                "parents",
                {"lunch": "poor", "milk": "rarely", "idea": "ช่วงปิดภาคเรียนนมที่แจกเสียบ่อย"},
            ),
            DemoOpinion("lunch-3", "parents", {"lunch": "good", "milk": "always"}),
            DemoOpinion(
                "lunch-4",
                "teachers",
                {
                    "lunch": "fair",
                    "milk": "mostly",
                    "idea": "ครูต้องช่วยทำอาหารเอง อยากให้จ้างแม่ครัวประจำ",
                },
            ),
            DemoOpinion(
                "lunch-5", "teachers", {"lunch": "fair", "idea": "ผลไม้ตามฤดูกาลจากชุมชนราคาถูกกว่า"}
            ),
            DemoOpinion(
                "lunch-6",
                "school-directors",
                {"lunch": "poor", "milk": "rarely", "idea": "งบรายหัวไม่พอสำหรับโรงเรียนที่ไกลตลาด"},
            ),
            DemoOpinion(
                "lunch-7", "community", {"lunch": "good", "idea": "ชุมชนยินดีส่งผักปลอดสารให้โรงเรียน"}
            ),
        ],
        summary=(
            "ผู้ตอบ 7 ราย (ผู้ปกครอง 3 ครู 2 ผู้บริหาร 1 ชุมชน 1) ส่วนใหญ่เห็นว่าอาหารกลางวันพอใช้ "
            "ขอให้เพิ่มผลไม้และใช้ผลผลิตจากชุมชน นมเสียในช่วงปิดภาคเรียน "
            "และครูต้องช่วยทำอาหารเพราะไม่มีแม่ครัว"
        ),
        outcomes=[
            DemoOutcome(
                "อยากให้มีผลไม้ในมื้อกลางวันบ่อยขึ้น และใช้ผลผลิตจากชุมชน",
                "More fruit at lunch, bought from the community",
                "ปรับรายการอาหารให้มีผลไม้ตามฤดูกาลอย่างน้อย 3 วันต่อสัปดาห์ "
                "โดยซื้อจากกลุ่มเกษตรกรในตำบล ในโรงเรียนขนาดเล็ก 42 แห่ง",
                "Seasonal fruit at least three days a week, bought from the sub-district's "
                "farmers' groups, in 42 small schools",
                "promotion",
                "done",
            ),
            DemoOutcome(
                "นมที่แจกช่วงปิดภาคเรียนเสียบ่อย",
                "Milk handed out for the holidays often goes bad",
                "ตรวจการเก็บรักษานมของผู้ประกอบการ และเพิ่มเงื่อนไขการส่งมอบในสัญญาปีถัดไป",
                "Inspecting how suppliers store milk, and adding delivery terms to next year's contracts",
                "finance",
                "in_progress",
                due_on=today + timedelta(days=60),
            ),
            DemoOutcome(
                "ให้จ้างแม่ครัวประจำทุกโรงเรียน",
                "Hire a cook for every school",
                "ไม่สามารถใช้งบอาหารกลางวันจ้างแม่ครัวได้ สำนักงานประสานองค์การบริหารส่วนตำบลแทน",
                "The lunch budget cannot pay a cook; the office is asking the sub-district "
                "administrations instead",
                "finance",
                "not_adopted",
                reason="ระเบียบการใช้เงินอุดหนุนค่าอาหารกลางวันไม่ให้จ่ายเป็นค่าจ้าง",
            ),
        ],
    )
    teachers = DemoConsultation(
        target="open",
        body={
            "topic_th": "แผนพัฒนาครูและบุคลากรทางการศึกษา",
            "topic_en": "The plan for developing teachers and education personnel",
            "description_th": "ขอความคิดเห็นต่อรูปแบบและหัวข้อการพัฒนาครูที่ตรงกับความต้องการของโรงเรียน",
            "description_en": "What kind of training, on which subjects, do schools need?",
            "mission_item": "S4",
            "groups": ["teachers", "school-directors", "school-boards"],
            "opens_on": max(today - timedelta(days=7), start).isoformat(),
            "closes_on": (today + timedelta(days=30)).isoformat(),
            "questions": [
                {
                    "id": "format",
                    "kind": "choice",
                    "text_th": "รูปแบบการพัฒนาที่ท่านต้องการมากที่สุด",
                    "text_en": "The kind of training you want most",
                    "choices": [
                        _choice("online", "อบรมออนไลน์", "Online courses"),
                        _choice("onsite", "อบรมในพื้นที่", "Workshops nearby"),
                        _choice("coaching", "การนิเทศและพี่เลี้ยงในโรงเรียน", "Coaching in school"),
                    ],
                    "required": True,
                },
                {
                    "id": "subjects",
                    "kind": "text",
                    "text_th": "หัวข้อที่ควรพัฒนา",
                    "text_en": "Subjects to cover",
                },
            ],
        },
        opinions=[
            DemoOpinion(
                "teachers-1",
                "teachers",
                {"format": "coaching", "subjects": "การสอนอ่านเขียนภาษาไทยชั้น ป.1"},
            ),
            DemoOpinion(
                "teachers-2",
                "teachers",
                {"format": "online", "subjects": "การใช้ AI ช่วยเตรียมการสอน"},
            ),
            DemoOpinion(
                "teachers-3",
                "school-directors",
                {"format": "onsite", "subjects": "การบริหารโรงเรียนขนาดเล็กแบบรวมชั้น"},
                contact={"name": "สุนทร วงศ์ใหญ่", "email": "sunthorn.w@example.ac.th"},
            ),
            DemoOpinion("teachers-4", "school-boards", {"format": "coaching"}),
        ],
    )
    services = DemoConsultation(
        target="draft",
        body={
            "topic_th": "ช่องทางการให้บริการของสำนักงานเขตพื้นที่การศึกษา",
            "topic_en": "How the service area office serves the public",
            "mission_item": "S5",
            "groups": ["parents", "community", "partner-agencies"],
            "opens_on": planned.isoformat(),
            "closes_on": (planned + timedelta(days=31)).isoformat(),
            "questions": [
                {
                    "id": "channel",
                    "kind": "choice",
                    "text_th": "ท่านติดต่อสำนักงานทางใดสะดวกที่สุด",
                    "text_en": "How do you find it easiest to reach the office?",
                    "choices": [
                        _choice("line", "LINE", "LINE"),
                        _choice("phone", "โทรศัพท์", "Phone"),
                        _choice("visit", "มาที่สำนักงาน", "Visiting the office"),
                    ],
                }
            ],
        },
    )
    return [lunch, teachers, services]


class ParticipationClient:
    def __init__(self, http: httpx.Client, participation_url: str, workflow_url: str) -> None:
        self.http = http
        self.base = participation_url.rstrip("/")
        self.workflow = workflow_url.rstrip("/")
        self._token: str | None = None

    def auth(self) -> dict[str, str]:
        if self._token is None:
            answer = self.http.post(
                f"{self.workflow}/v1/auth/login",
                json={"username": ADMIN, "password": demo_password()},
            )
            if answer.status_code != 200:
                raise DemoError(f"sign-in as {ADMIN} failed: {answer.status_code} {answer.text}")
            self._token = str(answer.json()["access_token"])
        return {"Authorization": f"Bearer {self._token}"}

    def call(self, method: str, path: str, expect: tuple[int, ...], **kwargs: Any) -> Any:
        answer = self.http.request(method, f"{self.base}{path}", headers=self.auth(), **kwargs)
        if answer.status_code not in expect:
            raise DemoError(f"{method} {path}: {answer.status_code} {answer.text}")
        return answer.json()


def load_one(client: ParticipationClient, demo: DemoConsultation, say: Say) -> dict[str, Any]:
    """Bring one demo consultation to its target, taking only the steps still to take."""
    year = fiscal_year(date.fromisoformat(demo.body["opens_on"]))
    listed = client.call("GET", "/v1/consultations", (200,), params={"fiscal_year": year})
    found = [c for c in listed["consultations"] if c["topic_th"] == demo.body["topic_th"]]
    c = found[0] if found else client.call("POST", "/v1/consultations", (201,), json=demo.body)
    cid = c["consultation_id"]
    if demo.target == "draft":
        say(f"  consultation {cid}: {c['status']}")
        return dict(c)
    if c["status"] == "draft":
        c = client.call("POST", f"/v1/consultations/{cid}/commands/open", (200,))
    if c["status"] == "open":
        for opinion in demo.opinions:
            body: dict[str, Any] = {
                "group": opinion.group,
                "answers": opinion.answers,
                "submission_key": f"siang-demo-{opinion.key}",
            }
            if opinion.contact:
                body |= {"contact": opinion.contact, "consent": {"contact_me": True}}
            client.call("POST", f"/v1/public/consultations/{cid}/opinions", (200, 201), json=body)
    if demo.target == "concluded":
        if c["status"] == "open":
            c = client.call("POST", f"/v1/consultations/{cid}/commands/close", (200,))
        if c["status"] == "closed":
            c = client.call(
                "POST",
                f"/v1/consultations/{cid}/commands/conclude",
                (200,),
                json={"summary": demo.summary},
            )
    recorded = client.call("GET", "/v1/outcomes", (200,), params={"consultation_id": cid})
    if not recorded["outcomes"]:
        for o in demo.outcomes:
            client.call(
                "POST",
                "/v1/outcomes",
                (201,),
                json={
                    "consultation_id": cid,
                    "you_said_th": o.you_said_th,
                    "you_said_en": o.you_said_en,
                    "we_did_th": o.we_did_th,
                    "we_did_en": o.we_did_en,
                    "owner_unit": o.owner_unit,
                    "status": o.status,
                    "reason": o.reason,
                    "due_on": o.due_on.isoformat() if o.due_on else None,
                    "published": True,
                },
            )
    say(f"  consultation {cid}: {c['status']}, {len(demo.opinions)} opinions")
    return dict(c)


def demo_committee_days(today: date) -> dict[str, date]:
    """The committee's days, inside the fiscal year of `today` and not after it."""
    start = fiscal_year_bounds(fiscal_year(today))[0].date()
    signed = max(today - timedelta(days=40), start)
    term = min(signed + timedelta(days=5), today)
    meeting = min(term + timedelta(days=14), today)
    return {"signed_on": signed, "term_starts_on": term, "meeting": meeting}


def load_committee(client: ParticipationClient, today: date, say: Say) -> str:
    """The lunch committee with its members, order document and a closed meeting."""
    days = demo_committee_days(today)
    listed = client.call("GET", "/v1/committees", (200,))
    found = [c for c in listed["committees"] if c["name_th"] == COMMITTEE_NAME]
    number = f"{max(days['signed_on'].day, 1)}/{fiscal_year(today)}"
    c = (
        found[0]
        if found
        else client.call(
            "POST",
            "/v1/committees",
            (201,),
            json={
                "name_th": COMMITTEE_NAME,
                "name_en": "Committee on school lunches and milk",
                "purpose_th": "ติดตามคุณภาพอาหารกลางวันและนมโรงเรียนในโรงเรียนขนาดเล็ก",
                "mission_items": ["S2"],
                "order": {
                    "number": number,
                    "signed_on": days["signed_on"].isoformat(),
                    "title_th": "แต่งตั้งคณะกรรมการติดตามคุณภาพอาหารกลางวัน",
                },
                "term_starts_on": days["term_starts_on"].isoformat(),
            },
        )
    )
    cid = c["committee_id"]
    roster = client.call("GET", f"/v1/committees/{cid}", (200,))
    if not roster["members"]:
        for name, group, role, account in (
            ("สมศักดิ์ ใจดี", "parents", "chair", "committee"),
            ("วันดี ศรีสุข", "teachers", "member", None),
            ("ประยูร ทองมา", "community", "member", None),
            ("อรุณี แก้วกาญจนา", "school-directors", "secretary", None),
        ):
            member = {
                "name": name,
                "group": group,
                "role": role,
                "starts_on": days["term_starts_on"].isoformat(),
                "staff_id": account,
            }
            roster = client.call("POST", f"/v1/committees/{cid}/members", (201,), json=member)
    orders = client.call("GET", f"/v1/committees/{cid}/orders", (200,))["orders"]
    if not orders:
        pdf = one_page_pdf(
            f"Order {roster['order']['number']}",
            "Appointing the committee on school lunches and milk",
            "(a demo document of Siang)",
        )
        client.call(
            "POST",
            f"/v1/committees/{cid}/orders",
            (201,),
            data={
                "number": roster["order"]["number"],
                "signed_on": roster["order"]["signed_on"],
                "title_th": "แต่งตั้งคณะกรรมการติดตามคุณภาพอาหารกลางวัน",
            },
            files={"file": ("order.pdf", pdf, "application/pdf")},
        )
    meetings = client.call("GET", f"/v1/committees/{cid}/meetings", (200,))["meetings"]
    if not meetings:
        ids = [m["member_id"] for m in roster["members"] if m["active"]]
        meeting = client.call(
            "POST",
            f"/v1/committees/{cid}/meetings",
            (201,),
            json={
                "held_on": days["meeting"].isoformat(),
                "title_th": f"การประชุมครั้งที่ 1/{fiscal_year(today)}",
                "agenda": [
                    "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ",
                    "ผลการรับฟังความคิดเห็นเรื่องอาหารกลางวันและนม",
                    "แนวทางการจัดซื้อผลไม้จากชุมชน",
                ],
                "attendance": {i: ("absent" if n == 2 else "present") for n, i in enumerate(ids)},
                "minutes": (
                    "ประธานแจ้งผลการรับฟังความคิดเห็น 7 ราย ที่ประชุมพิจารณาข้อเสนอ"
                    "เรื่องผลไม้และนม และแนวทางการจัดซื้อจากกลุ่มเกษตรกรในตำบล"
                ),
                "resolutions": [
                    {
                        "text": "เห็นชอบให้จัดผลไม้ตามฤดูกาลอย่างน้อย 3 วันต่อสัปดาห์",
                        "mission_item": "S2",
                    },
                    {"text": "มอบกลุ่มส่งเสริมตรวจการเก็บรักษานมของผู้ประกอบการ"},
                ],
            },
        )
        meetings = [
            client.call(
                "POST", f"/v1/committees/{cid}/meetings/{meeting['meeting_id']}/close", (200,)
            )
        ]
    say(
        f"  committee {cid}: {len(roster['members'])} members, order attached, "
        f"{len(meetings)} meeting(s)"
    )
    return str(cid)


def load_review(client: ParticipationClient, today: date, say: Say) -> str:
    """A review of the lunch item: planned, held with stakeholders, reported."""
    year = fiscal_year(today)
    listed = client.call("GET", "/v1/reviews", (200,), params={"fiscal_year": year})
    found = [r for r in listed["reviews"] if r["title_th"] == REVIEW_TITLE]
    day = max(today - timedelta(days=3), fiscal_year_bounds(year)[0].date())
    r = (
        found[0]
        if found
        else client.call(
            "POST",
            "/v1/reviews",
            (201,),
            json={
                "title_th": REVIEW_TITLE,
                "title_en": "Reviewing the school-lunch work with stakeholders",
                "mission_item": "S2",
                "kind": "meeting",
                "planned_on": day.isoformat(),
            },
        )
    )
    rid = r["review_id"]
    if r["status"] == "planned":
        r = client.call(
            "POST",
            f"/v1/reviews/{rid}/hold",
            (200,),
            json={
                "held_on": day.isoformat(),
                "participants_by_group": {
                    "parents": 14,
                    "teachers": 9,
                    "school-directors": 4,
                    "community": 6,
                },
            },
        )
    if r["status"] == "held":
        outcomes = client.call("GET", "/v1/outcomes", (200,), params={"fiscal_year": year})
        linked = [o["outcome_id"] for o in outcomes["outcomes"] if o["mission_item"] == "S2"]
        r = client.call(
            "POST",
            f"/v1/reviews/{rid}/report",
            (200,),
            json={
                "findings": [
                    "ผู้ปกครองเห็นว่าผลไม้ในมื้อกลางวันเพิ่มขึ้นชัดเจน",
                    "นมช่วงปิดภาคเรียนยังเสียในบางโรงเรียนที่อยู่ไกล",
                    "ครูในโรงเรียนขนาดเล็กยังต้องช่วยทำอาหาร",
                ],
                "outcome_ids": linked[:2],
            },
        )
    say(f"  review {rid}: {r['status']}")
    return str(rid)


def demo_survey(today: date) -> dict[str, Any]:
    """A satisfaction survey of parents about learners' quality (S2), open this month."""
    # A week back, but never before 1 October: it belongs to this fiscal year.
    year_start = date(today.year if today.month >= 10 else today.year - 1, 10, 1)
    start = max(year_start, today - timedelta(days=7))
    return {
        "title_th": f"ความพึงพอใจของผู้ปกครองต่อคุณภาพผู้เรียน ปีงบประมาณ {fiscal_year(today)}",
        "title_en": f"Parents' satisfaction with learners' quality, FY {fiscal_year(today)}",
        "description_th": "สำนักงานขอทราบความพึงพอใจของท่านต่อการดำเนินงานตามพันธกิจด้านคุณภาพผู้เรียน",
        "description_en": "How satisfied are you with the office's work on learners' quality?",
        "mission_item": "S2",
        "group": "parents",
        "opens_on": start.isoformat(),
        "closes_on": (today + timedelta(days=30)).isoformat(),
        "items": [
            {"id": "teaching", "text_th": "คุณภาพการจัดการเรียนการสอน", "text_en": "Teaching"},
            {"id": "reading", "text_th": "การส่งเสริมการอ่านออกเขียนได้", "text_en": "Literacy"},
            {"id": "safety", "text_th": "ความปลอดภัยในสถานศึกษา", "text_en": "Safety at school"},
        ],
        "questions": [{"id": "idea", "text_th": "ข้อเสนอแนะเพื่อการพัฒนา", "text_en": "Suggestions"}],
    }


# Scores of teaching, reading, safety, and a suggestion, per demo answer.
DEMO_ANSWERS: list[tuple[dict[str, int], str]] = [
    ({"teaching": 5, "reading": 4, "safety": 4}, "อยากให้มีห้องสมุดเคลื่อนที่"),
    ({"teaching": 4, "reading": 3, "safety": 5}, ""),
    ({"teaching": 4, "reading": 4, "safety": 3}, "ทางม้าลายหน้าโรงเรียนสีจางแล้ว"),
    ({"teaching": 3, "reading": 2, "safety": 4}, ""),
    ({"teaching": 5, "reading": 5, "safety": 5}, ""),
    ({"teaching": 4, "reading": 3}, "ขอให้แจ้งผลการเรียนทาง LINE"),
]


def load_survey(client: ParticipationClient, today: date, say: Say) -> str:
    """Create and open the survey, send three signed links, and answer it: most through
    the public link, two through the personal links."""
    survey = client.call("POST", "/v1/mission-surveys", (201,), json=demo_survey(today))
    sid = survey["survey_id"]
    client.call("POST", f"/v1/mission-surveys/{sid}/commands/open", (200,))
    links = client.call(
        "POST",
        f"/v1/mission-surveys/{sid}/links",
        (200,),
        json={"recipients": ["ผู้ปกครอง ร.ร.บ้านหนองบัว", "ผู้ปกครอง ร.ร.วัดป่า", "ผู้ปกครอง ร.ร.บ้านโคก"]},
    )["links"]
    for i, (scores, idea) in enumerate(DEMO_ANSWERS):
        body: dict[str, Any] = {"scores": scores, "texts": {"idea": idea} if idea else {}}
        if i < 2:
            body["token"] = links[i]["token"]
        client.call("POST", f"/v1/public/mission-surveys/{sid}/responses", (201,), json=body)
    say(f"  mission survey {sid}: {len(DEMO_ANSWERS)} answers, 3 personal links sent")
    say(f"    an unused personal link: {links[2]['url']}")
    return str(sid)


def ensure_surveys_loaded(
    participation_url: str,
    workflow_url: str,
    *,
    mongo: MongoSettings,
    force: bool = False,
    say: Say = print,
) -> None:
    """Load the satisfaction-survey demo unless its own marker says it was loaded."""
    client, marker = _marker(mongo)
    with client:
        if not force and marker.find_one({"_id": SURVEYS_MARKER_ID}) is not None:
            say("mission survey demo: already loaded; skipped")
            return
        say("mission survey demo: loading…")
        today = datetime.now(BANGKOK).date()
        with httpx.Client(timeout=30) as http:
            survey_id = load_survey(
                ParticipationClient(http, participation_url, workflow_url), today, say
            )
        marker.replace_one(
            {"_id": SURVEYS_MARKER_ID},
            {"_id": SURVEYS_MARKER_ID, "loaded_at": datetime.now(UTC), "survey": survey_id},
            upsert=True,
        )
        base = participation_url.rstrip("/")
        say(f"  public page: {base}/mission-surveys/{survey_id}")
        say(f"  staff page:  {base}/staff/mission-surveys/{survey_id}")


def _marker(mongo: MongoSettings) -> tuple[MongoClient[dict[str, Any]], Any]:
    client: MongoClient[dict[str, Any]] = MongoClient(
        mongo.url, serverSelectionTimeoutMS=mongo.server_selection_timeout_ms, tz_aware=True
    )
    return client, client[mongo.database][MARKER_COLLECTION]


def ensure_loaded(
    participation_url: str,
    workflow_url: str,
    *,
    mongo: MongoSettings,
    force: bool = False,
    say: Say = print,
) -> None:
    """Load the participation demo (consultations and outcomes, then committees and
    reviews, then a satisfaction survey), each part unless its marker says it was loaded."""
    ensure_consultations_loaded(participation_url, workflow_url, mongo=mongo, force=force, say=say)
    ensure_committees_loaded(participation_url, workflow_url, mongo=mongo, force=force, say=say)
    ensure_surveys_loaded(participation_url, workflow_url, mongo=mongo, force=force, say=say)


def ensure_consultations_loaded(
    participation_url: str,
    workflow_url: str,
    *,
    mongo: MongoSettings,
    force: bool = False,
    say: Say = print,
) -> None:
    """Load the consultations and outcomes unless their marker says they were loaded."""
    client, marker = _marker(mongo)
    with client:
        if not force and marker.find_one({"_id": MARKER_ID}) is not None:
            say("participation demo: already loaded; skipped")
            return
        say("participation demo: loading…")
        today = datetime.now(BANGKOK).date()
        with httpx.Client(timeout=30) as http:
            api = ParticipationClient(http, participation_url, workflow_url)
            ids = [
                load_one(api, demo, say)["consultation_id"] for demo in demo_consultations(today)
            ]
        marker.replace_one(
            {"_id": MARKER_ID},
            {"_id": MARKER_ID, "loaded_at": datetime.now(UTC), "consultations": ids},
            upsert=True,
        )


def ensure_committees_loaded(
    participation_url: str,
    workflow_url: str,
    *,
    mongo: MongoSettings,
    force: bool = False,
    say: Say = print,
) -> None:
    """Load the committee and review demo unless its own marker says it was loaded (a
    database loaded before committees and reviews existed gets them too)."""
    client, marker = _marker(mongo)
    with client:
        if not force and marker.find_one({"_id": COMMITTEES_MARKER_ID}) is not None:
            say("committees and reviews demo: already loaded; skipped")
            return
        say("committees and reviews demo: loading…")
        today = datetime.now(BANGKOK).date()
        with httpx.Client(timeout=30) as http:
            api = ParticipationClient(http, participation_url, workflow_url)
            committee_id = load_committee(api, today, say)
            review_id = load_review(api, today, say)
        marker.replace_one(
            {"_id": COMMITTEES_MARKER_ID},
            {
                "_id": COMMITTEES_MARKER_ID,
                "loaded_at": datetime.now(UTC),
                "committee": committee_id,
                "review": review_id,
            },
            upsert=True,
        )
        say(f"  staff pages: {participation_url.rstrip('/')}/staff/committees/{committee_id}")
        say(f"               {participation_url.rstrip('/')}/staff/reviews/{review_id}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.local.demo_participation")
    env = os.environ
    parser.add_argument(
        "--participation",
        default=f"http://127.0.0.1:{env.get('SIANG_PARTICIPATION_PORT', '8005')}",
    )
    parser.add_argument(
        "--workflow", default=f"http://127.0.0.1:{env.get('SIANG_WORKFLOW_PORT', '8002')}"
    )
    parser.add_argument("--force", action="store_true", help="load even if loaded before")
    args = parser.parse_args(argv)
    try:
        ensure_loaded(args.participation, args.workflow, mongo=MongoSettings(), force=args.force)
    except (DemoError, httpx.HTTPError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
