"""The supervisor view on the real Kafka and MongoDB: a unit's load per person, its late
and escalated cases, handing cases over (each one the lifecycle's assign command, checked
against the version the page showed) and recording absences, which auto-assignment
honours. Staff, committee members and other units' supervisors are refused in words."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx

from services.workflow.domain.assignment import Absence
from services.workflow.domain.lifecycle import Actor, Command, CommandPayload, Role
from services.workflow.handlers.commands import run_command
from services.workflow.handlers.submissions import case_id_for
from services.workflow.scheduled import scan_once
from shared.infra.event_store import stored_events
from shared.thai.dates import buddhist_year, format_date, to_bangkok
from tests.integration.workflow.conftest import DEMO_PASSWORD, Workflow
from tests.integration.workflow.test_sessions import csrf_token
from tests.support import eventually

# Category `documents` goes to the Administration Division: admin.a and admin.b take its
# cases, admin.head supervises it.
SUPERVISOR, ANN, BEN = "admin.head", "admin.a", "admin.b"
ANN_NAME, BEN_NAME = "กาญจนา แก้วมณี", "อนุชา ทองคำ"


@asynccontextmanager
async def signed_in(workflow: Workflow, username: str) -> AsyncIterator[httpx.AsyncClient]:
    """A browser of its own, signed in to the console as `username`."""
    transport = httpx.ASGITransport(app=workflow.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://workflow") as http:
        token = csrf_token((await http.get("/console/login")).text)
        answer = await http.post(
            "/console/login",
            data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token},
        )
        assert answer.status_code == 303, answer.text
        http.cookies.set("siang_token", answer.cookies["siang_token"])
        yield http


def row(page: str, row_id: str) -> str:
    found = re.search(rf'<tr id="{re.escape(row_id)}">(.*?)</tr>', page, re.S)
    assert found, f"no row {row_id}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def version_shown(page: str, case_id: str) -> str:
    found = re.search(rf'name="case\.{case_id}" value="(\d+)"', page)
    assert found, f"case {case_id} is not offered"
    return found.group(1)


async def open_cases(workflow: Workflow, count: int) -> list[dict[str, Any]]:
    subs = [await workflow.submit(subject=f"ขอสำเนาคำสั่งแต่งตั้ง {i}") for i in range(count)]
    ids = [case_id_for(s.submission_id) for s in subs]

    async def assigned() -> list[dict[str, Any]]:
        found = [d async for d in workflow.ctx.store.cases.find({"_id": {"$in": ids}})]
        return found if len(found) == count and all(d.get("assignee") for d in found) else []

    cases = await eventually(assigned, what=f"{count} cases assigned")
    return sorted(cases, key=lambda d: d["tracking_code"])


async def test_a_supervisor_sees_the_load_and_hands_cases_over(workflow: Workflow) -> None:
    ctx = workflow.ctx
    today = to_bangkok(ctx.clock.now()).date()
    # Ben is away today: auto-assignment gives every new case to Ann.
    await ctx.directory.add_absence(BEN, "admin", Absence(start=today, end=today))
    cases = await open_cases(workflow, 5)
    assert {c["assignee"] for c in cases} == {ANN}

    async with signed_in(workflow, SUPERVISOR) as http:
        overview = await http.get("/console/supervisor")
        assert overview.status_code == 200, overview.text
        assert 'href="/console/supervisor"' in overview.text  # the header's link
        assert row(overview.text, f"load-{ANN}").startswith(f"{ANN_NAME} (เจ้าหน้าที่) 5 0 0 0")
        assert f"ลา ถึง {format_date(today, 'th', style='short')}" in row(
            overview.text, f"load-{BEN}"
        )
        assert "ไม่ได้รับเรื่องใหม่จากการมอบหมายอัตโนมัติ" in overview.text

        # The hand-over form says who is away and will not give them cases.
        anns = await http.get(f"/console/supervisor/people/{ANN}")
        assert anns.status_code == 200 and all(c["tracking_code"] in anns.text for c in cases)
        assert re.search(rf'<option value="{BEN}" disabled>{BEN_NAME} — ลาวันนี้', anns.text)
        first = cases[0]
        away = await http.post(
            "/console/supervisor/reassign",
            data={
                f"case.{first['_id']}": version_shown(anns.text, first["_id"]),
                "to": BEN,
                "back": f"/console/supervisor/people/{ANN}",
                "csrf_token": csrf_token(anns.text),
            },
        )
        assert away.status_code == 422 and f"{BEN_NAME} ลาในวันนี้" in away.text
        assert (await ctx.store.get(first["_id"]))["assignee"] == ANN

        # Ben is back: the supervisor removes his absence with the form beside it.
        removed = await http.post(
            "/console/supervisor/absences/remove",
            data={
                "person": BEN,
                "start": today.isoformat(),
                "end": today.isoformat(),
                "csrf_token": csrf_token(overview.text),
            },
        )
        assert removed.status_code == 303
        back = await http.get(removed.headers["location"])
        assert "ลบการลาแล้ว" in back.text and row(back.text, f"load-{BEN}").endswith("ปฏิบัติงาน")

        # One case runs past its deadline and the scan escalates it to the supervisor.
        late = cases[1]
        past = ctx.clock.now() - timedelta(days=3)
        await ctx.store.cases.update_one(
            {"_id": late["_id"]},
            {"$set": {"clocks.resolution.due_at": past, "next_check_at": past}},
        )
        assert await scan_once(ctx) >= 1
        overview = await http.get("/console/supervisor")
        breach = re.search(
            r'<table class="sv-stack" id="late-table">(.*?)</table>', overview.text, re.S
        )
        assert breach and late["tracking_code"] in breach.group(1)
        assert ANN_NAME in breach.group(1) and "แจ้งหัวหน้าแล้ว" in breach.group(1)
        assert "วันทำการ" in breach.group(1)
        assert row(overview.text, f"load-{ANN}").startswith(f"{ANN_NAME} (เจ้าหน้าที่) 5 1")

        # Four are chosen; one of them changes before the form is sent.
        anns = await http.get(f"/console/supervisor/people/{ANN}")
        chosen = cases[1:5]
        form = {f"case.{c['_id']}": version_shown(anns.text, c["_id"]) for c in chosen}
        meanwhile = chosen[3]
        await run_command(
            ctx,
            meanwhile["_id"],
            Command.comment,
            Actor(id=ANN, role=Role.staff),
            CommandPayload(text="โทรสอบถามผู้ร้องแล้ว"),
        )
        before = {c["_id"]: await ctx.store.get(c["_id"]) for c in chosen}
        result = await http.post(
            "/console/supervisor/reassign",
            data={
                **form,
                "to": BEN,
                "reason": "แบ่งงานช่วงกาญจนาไปอบรม",
                "back": f"/console/supervisor/people/{ANN}",
                "csrf_token": csrf_token(anns.text),
            },
        )
        assert result.status_code == 200, result.text
        assert f"โอนแล้ว 3 เรื่อง ให้แก่ {BEN_NAME}" in result.text
        not_moved = re.search(r'id="not-moved-table">(.*?)</table>', result.text, re.S)
        assert not_moved and meanwhile["tracking_code"] in not_moved.group(1)
        assert "มีการเปลี่ยนแปลงเรื่องนี้ระหว่างนี้" in not_moved.group(1)

    for c in chosen[:3]:
        after = await ctx.store.get(c["_id"])
        assert after["assignee"] == BEN and after["version"] == before[c["_id"]]["version"] + 1
        assert after["timeline"][-1]["command"] == "assign"
        assert after["timeline"][-1]["actor"] == SUPERVISOR
        stored = [d async for d in ctx.store.events.find({"case_id": c["_id"]}).sort("seq", 1)]
        newest = stored[-1]
        # One event for the hand-over, numbered after the case's earlier ones.
        assert newest["types"] == ["th.go.siang.case.assigned.v1"]
        assert newest["seq"] == before[c["_id"]]["event_count"]
        data = stored_events(newest)[0]["data"]
        assert (data["assignee"], data["previous_assignee"]) == (BEN, ANN)
        assert data["reason"] == "แบ่งงานช่วงกาญจนาไปอบรม"
    assert (await ctx.store.get(meanwhile["_id"]))["assignee"] == ANN
    ann, ben = await ctx.directory.get(ANN), await ctx.directory.get(BEN)
    assert ann is not None and ben is not None
    assert (ann["open_cases"], ben["open_cases"]) == (2, 3)


async def test_a_long_late_list_is_read_fifty_at_a_time(workflow: Workflow) -> None:
    ctx = workflow.ctx
    cases = await open_cases(workflow, 53)
    now = ctx.clock.now()
    # Each a day later than the next, so the order (the latest first) is known.
    for n, c in enumerate(cases):
        due = now - timedelta(days=2 + n)
        await ctx.store.cases.update_one(
            {"_id": c["_id"]}, {"$set": {"clocks.resolution.due_at": due}}
        )
    codes = [c["tracking_code"] for c in reversed(cases)]

    def late_listed(page: str) -> list[str]:
        table = re.search(r'id="late-table">(.*?)</table>', page, re.S)
        assert table, "no late table"
        return re.findall(r">(SG-[0-9A-Z-]+)</a>", table.group(1))

    async with signed_in(workflow, SUPERVISOR) as http:
        first = await http.get("/console/supervisor?lang=en")
        assert "Cases 1–50 of 53, the latest first" in first.text
        assert "Page 1 of 2" in first.text
        assert late_listed(first.text) == codes[:50]
        following = re.search(r'<a href="([^"]+)#late" rel="next">', first.text)
        assert following, "no link to the next page"
        second = await http.get(following.group(1).replace("&amp;", "&"))
        assert "Cases 51–53 of 53" in second.text
        assert late_listed(second.text) == codes[50:]
        # A kept link past the end shows the last page; a mangled one the first.
        assert late_listed((await http.get("/console/supervisor?late_page=9")).text) == codes[50:]
        mangled = await http.get("/console/supervisor?late_page=two")
        assert mangled.status_code == 200 and late_listed(mangled.text) == codes[:50]
        thai = await http.get("/console/supervisor?late_page=2&lang=th")
        assert "เรื่องที่ 51–53 จาก 53 เรื่อง" in thai.text


async def test_a_supervisor_records_an_absence_in_buddhist_era(workflow: Workflow) -> None:
    today = to_bangkok(workflow.ctx.clock.now()).date()
    tomorrow = today + timedelta(days=1)
    async with signed_in(workflow, SUPERVISOR) as http:
        page = await http.get("/console/supervisor")
        token = csrf_token(page.text)
        typed = f"{tomorrow.day}/{tomorrow.month}/{buddhist_year(tomorrow.year)}"
        wrong = await http.post(
            "/console/supervisor/absences",
            data={"person": ANN, "start": typed, "end": "31/2/2569", "csrf_token": token},
        )
        assert wrong.status_code == 422 and "กรุณากรอกวันที่ให้ถูกต้อง" in wrong.text
        assert f'value="{typed}"' in wrong.text  # what was typed comes back
        backwards = await http.post(
            "/console/supervisor/absences",
            data={"person": ANN, "start": typed, "end": today.isoformat(), "csrf_token": token},
        )
        assert backwards.status_code == 422 and "วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น" in backwards.text
        other_unit = await http.post(
            "/console/supervisor/absences",
            data={"person": "personnel.a", "start": typed, "end": typed, "csrf_token": token},
        )
        assert other_unit.status_code == 422 and "ไม่พบบุคคลนี้ในกลุ่มงาน" in other_unit.text
        saved = await http.post(
            "/console/supervisor/absences",
            data={"person": ANN, "start": typed, "end": typed, "csrf_token": token},
        )
        assert saved.status_code == 303
        page = await http.get(saved.headers["location"])
        shown = format_date(tomorrow, "th", style="short")
        assert "บันทึกการลาแล้ว" in page.text and f"{shown} ถึง {shown}" in page.text
        assert str(buddhist_year(tomorrow.year)) in shown
        english = await http.get("/console/supervisor?lang=en")
        assert f"{format_date(tomorrow, 'en', style='short')} to" in english.text
    person = await workflow.ctx.directory.account(ANN)
    assert person is not None and person.absences == [Absence(start=tomorrow, end=tomorrow)]


async def test_only_supervisors_and_admins_see_the_view(workflow: Workflow) -> None:
    for username in (ANN, "committee", "coordinator"):
        async with signed_in(workflow, username) as http:
            page = await http.get("/console/supervisor")
            assert page.status_code == 403 and "สำหรับหัวหน้ากลุ่มงาน" in page.text, username
            assert 'href="/console/supervisor"' not in page.text
            posted = await http.post(
                "/console/supervisor/absences",
                data={
                    "person": ANN,
                    "start": "2030-01-01",
                    "end": "2030-01-02",
                    "csrf_token": csrf_token(page.text),
                },
            )
            assert posted.status_code == 403, username
    async with signed_in(workflow, "personnel.head") as http:
        own = await http.get("/console/supervisor?lang=en")
        assert own.status_code == 200 and "Personnel Administration Division" in own.text
        other = await http.get("/console/supervisor?unit=admin&lang=en")
        assert other.status_code == 403 and "their own unit" in other.text
    async with signed_in(workflow, "admin") as http:
        picked = await http.get("/console/supervisor?unit=legal")
        assert picked.status_code == 200 and 'id="unit"' in picked.text
        assert "กลุ่มกฎหมายและคดี" in picked.text and "ดวงใจ พลายงาม" in picked.text
        nowhere = await http.get("/console/supervisor?unit=nowhere")
        assert nowhere.status_code == 404 and "ไม่พบกลุ่มงานนี้" in nowhere.text
    assert (await workflow.http.get("/console/supervisor")).status_code == 303  # signed out
