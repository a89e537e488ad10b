"""The console's case page in words: kind, category, unit, channel and the system's reason
for assigning it read as a person would say them, in Thai and in English; the assignee by
name; the complainant's survey answer and comment; the duplicate merged into the case by
its tracking code, and the case it was merged into on the duplicate's page."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

from services.workflow.handlers.submissions import case_id_for
from shared.contract.events import Channel, Kind, SubmissionReceived, SurveyAnswered, make_event
from tests.integration.workflow.conftest import DEMO_PASSWORD, Workflow
from tests.integration.workflow.test_sessions import csrf_token
from tests.support import eventually

COMMENT = "เจ้าหน้าที่ตอบเร็วและชัดเจน ขอบคุณค่ะ"


def shown(page: str) -> str:
    """What a person reads in the page's main part: its text, without tags or attributes."""
    main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main.split(">", 1)[1])))


async def opened(workflow: Workflow, sub: SubmissionReceived) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        doc = await workflow.ctx.store.cases.find_one({"_id": case_id_for(sub.submission_id)})
        return doc if doc and doc.get("assignee") else None

    return await eventually(probe, what="case opened and assigned")


async def sign_in(workflow: Workflow, username: str) -> None:
    http = workflow.http
    token = csrf_token((await http.get("/console/login")).text)
    signed = await http.post(
        "/console/login",
        data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token},
    )
    assert signed.status_code == 303, signed.text
    http.cookies.set("siang_token", signed.cookies["siang_token"])


async def test_the_case_page_reads_in_words_with_survey_and_duplicates(
    workflow: Workflow,
) -> None:
    question = dict(
        kind=Kind.question,
        complaint_type=None,
        category="personnel-matters",
        channel=Channel.email,
    )
    sub = await workflow.submit(subject="สอบถามเรื่องการย้ายครู", **question)
    case = await opened(workflow, sub)
    again = await workflow.submit(subject="ถามซ้ำเรื่องการย้ายครู", **question)
    duplicate = await opened(workflow, again)
    assignee = await workflow.ctx.directory.account(case["assignee"])
    assert assignee is not None and case["unit"] == "personnel"

    # The assignee answers; the complainant says in the survey it is solved, with a comment.
    api = await workflow.login(case["assignee"])
    commands = f"/v1/cases/{case['_id']}/commands"
    assert (await workflow.http.post(f"{commands}/start", json={}, headers=api)).status_code == 200
    resolved = await workflow.http.post(
        f"{commands}/resolve", json={"public_answer": "ย้ายได้ในรอบเดือนตุลาคม"}, headers=api
    )
    assert resolved.status_code == 200, resolved.text
    answer = SurveyAnswered(
        case_id=case["_id"], rating=4, solved=True, comment=COMMENT, answered_at=datetime.now(UTC)
    )
    await workflow.publisher.publish(make_event(answer, source="/tests", subject=case["_id"]))

    async def surveyed() -> dict[str, Any] | None:
        doc = await workflow.ctx.store.cases.find_one({"_id": case["_id"], "survey": {"$ne": None}})
        return doc

    await eventually(surveyed, what="survey answer kept on the case")

    # A member of the unit merges the second question into the first by its tracking code.
    await sign_in(workflow, duplicate["assignee"])
    page = await workflow.http.get(f"/console/cases/{duplicate['_id']}")
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version and 'for="merge-into_case_id"' in page.text
    merged = await workflow.http.post(
        f"/console/cases/{duplicate['_id']}/merge",
        data={
            "version": version.group(1),
            "into_case_id": sub.tracking_code.lower(),
            "csrf_token": csrf_token(page.text),
        },
    )
    assert merged.status_code == 303, shown(merged.text)
    duplicate_page = shown((await workflow.http.get(merged.headers["location"])).text)
    assert "รวมเข้ากับเรื่อง" in duplicate_page and sub.tracking_code in duplicate_page
    assert "ซ้ำกับเรื่องอื่น (รวมเรื่องแล้ว)" in duplicate_page  # why it was closed

    await sign_in(workflow, case["assignee"])
    thai = shown((await workflow.http.get(f"/console/cases/{case['_id']}")).text)
    for words in (
        "สอบถาม",  # the kind
        "การบรรจุ แต่งตั้ง ย้าย และสวัสดิการบุคลากร",  # the category
        "กลุ่มบริหารงานบุคคล",  # the unit
        "อีเมล",  # the channel
        "มอบหมายอัตโนมัติ: ผู้มีเรื่องค้างน้อยที่สุดในกลุ่มงาน",  # why the system chose
        assignee.name,
        "ระบบ (อัตโนมัติ)",  # who routed and assigned it
        COMMENT,
        "4 จาก 5",
        "ใช่ ได้รับการแก้ไขแล้ว",
        "เรื่องซ้ำที่รวมเข้ามาในเรื่องนี้",
        again.tracking_code,
        "ถามซ้ำเรื่องการย้ายครู",
        f"{datetime.now(UTC).year + 543}",  # B.E.
        "แก้ไขแล้วเสร็จ",  # the resolution deadline
    ):
        assert words in thai, words
    for code in ("personnel-matters", "question", "email", "fewest open cases", "system"):
        assert not re.search(rf"(?<![\w.@-]){re.escape(code)}(?![\w.-])", thai), code
    assert not re.search(r"(?<![\w.-])personnel(?![\w.-])", thai)  # the unit's code

    english = shown((await workflow.http.get(f"/console/cases/{case['_id']}?lang=en")).text)
    for words in (
        "Question",
        "Appointments, transfers and staff welfare",
        "Personnel Administration Division",
        "E-mail",
        "Assigned automatically: the fewest open cases in the unit",
        assignee.name,
        COMMENT,
        "4 out of 5",
        "Yes, solved",
        "Duplicates merged into this case",
        again.tracking_code,
        str(datetime.now(UTC).year),  # C.E.
    ):
        assert words in english, words
    assert "personnel-matters" not in english
    assert not re.search(r"(?<![\w.-])question(?![\w.-])", english)


async def test_a_merge_naming_no_case_says_so_in_words(workflow: Workflow) -> None:
    case = await opened(workflow, await workflow.submit())
    await sign_in(workflow, case["assignee"])
    page = await workflow.http.get(f"/console/cases/{case['_id']}")
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version
    refused = await workflow.http.post(
        f"/console/cases/{case['_id']}/merge",
        data={
            "version": version.group(1),
            "into_case_id": "SG-0000-0000-0000",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert refused.status_code == 422
    assert "ไม่พบเรื่องตามรหัสติดตามที่ระบุ" in shown(refused.text)


async def test_a_supervisor_assigns_by_name_never_to_the_person_named(
    workflow: Workflow,
) -> None:
    named = await workflow.ctx.directory.account("admin.b")
    assert named is not None
    case = await opened(workflow, await workflow.submit(named_person=named.name))
    assert case["unit"] == "admin" and case["assignee"] != "admin.b"
    await sign_in(workflow, "admin.head")
    page = await workflow.http.get(f"/console/cases/{case['_id']}")
    picker = re.search(r'<select id="assign-assignee"[^>]*>(.*?)</select>', page.text, re.S)
    assert picker and '<label for="assign-assignee">ผู้รับผิดชอบ</label>' in page.text
    offered = dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', picker.group(1)))
    assert "admin.b" not in offered  # the complaint names them
    assignee = await workflow.ctx.directory.account(case["assignee"])
    assert assignee is not None
    assert html.unescape(offered[case["assignee"]]).startswith(f"{assignee.name} (")
    assert re.search(r"เรื่องค้าง \d+ เรื่อง", offered[case["assignee"]])

    # A command sent without what it needs says so in words.
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version
    empty = await workflow.http.post(
        f"/console/cases/{case['_id']}/reject",
        data={"version": version.group(1), "csrf_token": csrf_token(page.text)},
    )
    assert empty.status_code == 422
    assert "กรุณากรอก: ข้อความถึงผู้ร้อง" in shown(empty.text)
