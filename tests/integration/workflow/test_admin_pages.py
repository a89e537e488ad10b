"""The admin pages of the console, driven as a browser without JavaScript would: each form
posted as its page gave it (every field, the CSRF token), changed where a person would
change it. Each save applies at once, is recorded in the history with who and when, and
a form that cannot be saved comes back naming the row at fault, with nothing saved."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import httpx

from services.workflow.domain.admin_history import HistoryEntry, Subject
from tests.integration.workflow.conftest import DEMO_PASSWORD, Workflow
from tests.integration.workflow.test_sessions import csrf_token

STRONG = "ระฆังทองเหลือง-7731"


class _Form(HTMLParser):
    """The fields a browser would post for the form whose action is `action`."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.fields = action, False, {}
        self.select: str | None = None
        self.first: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select:
            self.first.setdefault(self.select, a.get("value", ""))
            if "selected" in a:
                self.fields[self.select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self.select:
            self.fields.setdefault(self.select, self.first.get(self.select, ""))
            self.select = None
        elif tag == "form":
            self.inside = False


def form_of(html: str, action: str) -> dict[str, str]:
    parser = _Form(action)
    parser.feed(html)
    assert parser.fields, f"no form posting to {action}"
    return parser.fields


async def signed_in_console(wf: Workflow, username: str) -> httpx.AsyncClient:
    http = wf.http
    token = csrf_token((await http.get("/console/login")).text)
    r = await http.post(
        "/console/login",
        data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token},
    )
    assert r.status_code == 303, r.text
    http.cookies.set("siang_token", r.cookies["siang_token"])
    return http


async def post_page(
    http: httpx.AsyncClient, path: str, changes: dict[str, str], action: str | None = None
) -> httpx.Response:
    """Open `path`, change its form as a person would, send it."""
    page = await http.get(path)
    assert page.status_code == 200, page.text
    return await http.post(action or path, data={**form_of(page.text, action or path), **changes})


def row(html: str, row_id: str) -> str:
    found = re.search(rf'<(tr|fieldset|div) id="{re.escape(row_id)}"[^>]*>(.*?)</\1>', html, re.S)
    assert found, f"no row {row_id}"
    return found.group(0)


async def test_only_admins_see_the_admin_pages(workflow: Workflow) -> None:
    http = workflow.http
    assert (await http.get("/console/admin/routing")).status_code == 303  # to sign in
    await signed_in_console(workflow, "admin.head")  # a supervisor
    for path in ("/console/admin", "/console/admin/staff", "/console/admin/history"):
        r = await http.get(path)
        assert r.status_code == 403 and "ผู้ดูแลระบบเท่านั้น" in r.text
    assert 'href="/console/admin"' not in (await http.get("/console")).text
    await signed_in_console(workflow, "admin")
    index = await http.get("/console/admin")
    assert index.status_code == 200 and 'href="/console/admin"' in index.text
    assert "/admin/channel-keys" in index.text and "/admin/templates" in index.text
    # A form without its token changes nothing.
    r = await http.post("/console/admin/routing", data={"unit.documents": "legal"})
    assert r.status_code == 403 and workflow.ctx.routing.category_units == {}


async def test_a_routing_rule_changed_on_the_page_applies_and_is_recorded(
    workflow: Workflow,
) -> None:
    http = await signed_in_console(workflow, "admin")
    page = await http.get("/console/admin/routing")
    assert "การส่งต่อเรื่อง" in page.text and "หนังสือรับรอง" in page.text  # a category's name
    bad = await post_page(
        http,
        "/console/admin/routing",
        {"unit.documents": "nowhere", "duplicate_window_days": "สองสัปดาห์"},
    )
    assert bad.status_code == 422
    assert 'class="wrong"' in row(bad.text, "cat.documents") and "nowhere" in bad.text
    assert "จำนวนเต็ม" in row(bad.text, "duplicate_window_days")
    assert workflow.ctx.routing.category_units == {} and await workflow.ctx.history.count() == 0

    saved = await post_page(
        http, "/console/admin/routing", {"unit.documents": "legal", "priority.documents": "high"}
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("?saved=1")
    assert "บันทึกแล้ว" in (await http.get(saved.headers["location"])).text
    assert workflow.ctx.routing.category_units == {"documents": "legal"}
    stored = await workflow.ctx.settings_store.settings.find_one({"_id": "routing"})
    assert stored is not None and stored["config"]["category_units"] == {"documents": "legal"}
    history = (await http.get("/console/admin/history")).text
    assert "การส่งต่อเรื่อง" in history and "(admin)" in history
    assert "กลุ่มกฎหมายและคดี" in history  # the new unit, by its name
    # The JSON API's change is recorded the same way.
    api = await workflow.http.put(
        "/v1/admin/routing",
        json={**workflow.ctx.routing.model_dump(mode="json"), "duplicate_window_days": 7},
        headers=await workflow.login("admin"),
    )
    assert api.status_code == 200 and await workflow.ctx.history.count() == 2


async def test_deadline_policies_are_edited_row_by_row(workflow: Workflow) -> None:
    http = await signed_in_console(workflow, "admin")
    page = (await http.get("/console/admin/sla")).text
    rules = len(workflow.ctx.sla.rules)
    new = f"rule{rules + 1}"
    assert f'name="{new}.acknowledge"' in page  # a blank row to add a rule
    bad = await post_page(
        http, "/console/admin/sla", {"default.first_response": "20", "rule2.acknowledge": "9"}
    )
    assert bad.status_code == 422
    assert "มาตรา 38" in row(bad.text, "default") and 'class="wrong"' in row(bad.text, "rule2")
    assert workflow.ctx.sla.default.first_response == 5
    saved = await post_page(
        http,
        "/console/admin/sla",
        {
            "default.first_response": "4",
            f"{new}.kind": "feedback",
            f"{new}.acknowledge": "1",
            f"{new}.first_response": "2",
            f"{new}.resolution": "3",
            "rule1.remove": "1",
        },
    )
    assert saved.status_code == 303
    sla = workflow.ctx.sla
    assert sla.default.first_response == 4 and len(sla.rules) == rules
    assert sla.rules[-1].kind is not None and sla.rules[-1].kind.value == "feedback"
    english = (await http.get("/console/admin/history?lang=en")).text
    assert "Deadline policies" in english and "Default · First response" in english


async def test_units_are_renamed_and_added_and_staff_join_a_new_one(workflow: Workflow) -> None:
    http = await signed_in_console(workflow, "admin")
    bad = await post_page(http, "/console/admin/units", {"th.legal": " ", "new.code": "Bad"})
    assert bad.status_code == 422
    assert 'class="wrong"' in row(bad.text, "unit.legal") and "new" in bad.text
    saved = await post_page(
        http,
        "/console/admin/units",
        {
            "en.legal": "Legal Division",
            "new.code": "welfare",
            "new.name_th": "กลุ่มสวัสดิการนักเรียน",
            "new.name_en": "Student Welfare Division",
        },
    )
    assert saved.status_code == 303
    units = {u.code: u for u in workflow.ctx.catalogue.units}
    assert units["legal"].name_en == "Legal Division" and "welfare" in units
    # The new unit is one to route to and to put staff in, on the pages and the API.
    assert "กลุ่มสวัสดิการนักเรียน" in (await http.get("/console/admin/routing")).text
    created = await post_page(
        http,
        "/console/admin/staff",
        {
            "username": "welfare.a",
            "name": "ดารุณี ศรีสวัสดิ์",
            "unit": "welfare",
            "role": "staff",
            "password": STRONG,
        },
    )
    assert created.status_code == 303, created.text
    listed = await workflow.http.get("/v1/admin/units", headers=await workflow.login("admin"))
    assert "welfare" in {u["code"] for u in listed.json()}


async def test_office_closures_are_saved_in_be_and_skip_deadlines(workflow: Workflow) -> None:
    http = await signed_in_console(workflow, "admin")
    bad = await post_page(http, "/console/admin/closures", {"day1": "31/2/2569"})
    assert bad.status_code == 422 and 'class="wrong"' in row(bad.text, "row1")
    saved = await post_page(
        http,
        "/console/admin/closures",
        {"day1": "2/1/2569", "note1": "ปิดซ่อมระบบไฟฟ้า", "day2": "2026-01-05"},
    )
    assert saved.status_code == 303
    assert workflow.ctx.calendar.closures == {date(2026, 1, 2), date(2026, 1, 5)}
    assert not workflow.ctx.calendar.is_business_day(date(2026, 1, 5))
    page = (await http.get("/console/admin/closures")).text
    assert "2 มกราคม 2569" in page and "ปิดซ่อมระบบไฟฟ้า" in page and 'value="2/1/2569"' in page
    english = (await http.get("/console/admin/closures?lang=en")).text
    assert 'value="2026-01-02"' in english and "2569" not in english
    removed = await post_page(http, "/console/admin/closures", {"remove1": "1"})
    assert removed.status_code == 303
    assert workflow.ctx.calendar.closures == {date(2026, 1, 5)}


async def test_staff_are_created_changed_deactivated_and_given_a_password(
    workflow: Workflow,
) -> None:
    http = await signed_in_console(workflow, "admin")
    new = {
        "username": "legal.c",
        "name": "วรรณา ทองดี",
        "unit": "legal",
        "role": "staff",
        "email": "legal.c@siang.invalid",
    }
    weak = await post_page(http, "/console/admin/staff", {**new, "password": "password1"})
    assert weak.status_code == 422 and "ใช้กันทั่วไป" in row(weak.text, "password")
    taken = await post_page(http, "/console/admin/staff", {**new, "username": "legal.head"})
    assert taken.status_code == 422
    created = await post_page(http, "/console/admin/staff", {**new, "password": STRONG})
    assert created.status_code == 303
    assert created.headers["location"] == "/console/admin/staff/legal.c?saved=1"
    person = await workflow.http.post(
        "/v1/auth/login", json={"username": "legal.c", "password": STRONG}
    )
    assert person.status_code == 200
    token = {"Authorization": f"Bearer {person.json()['access_token']}"}

    page = "/console/admin/staff/legal.c"
    moved = await post_page(http, page, {"role": "supervisor", "unit": "audit"}, page)
    assert moved.status_code == 303
    account = await workflow.ctx.directory.account("legal.c")
    assert account is not None and (account.role.value, account.unit) == ("supervisor", "audit")
    # A new role ends the person's sessions.
    assert (await workflow.http.get("/v1/cases", headers=token)).status_code == 401

    off = await post_page(http, page, {}, f"{page}/active")
    assert off.status_code == 303
    assert "ปิดการใช้งาน" in (await http.get(page)).text
    refused = await workflow.http.post(
        "/v1/auth/login", json={"username": "legal.c", "password": STRONG}
    )
    assert refused.status_code == 401
    on = await post_page(http, page, {}, f"{page}/active")
    assert on.status_code == 303
    temporary = "ตะเกียงเจ้าพายุ-2024"
    reset = await post_page(http, page, {"password": temporary}, f"{page}/password")
    assert reset.status_code == 303
    again = await workflow.http.post(
        "/v1/auth/login", json={"username": "legal.c", "password": temporary}
    )
    assert again.status_code == 200

    # An admin keeps their own account and role.
    mine = "/console/admin/staff/admin"
    kept = await post_page(http, mine, {"role": "staff", "unit": "legal"}, mine)
    assert kept.status_code == 422 and "บทบาทผู้ดูแลระบบของบัญชีตนเอง" in kept.text

    history = (await http.get("/console/admin/history")).text
    assert history.count("legal.c") >= 5
    assert "ตั้งใหม่ (ไม่แสดง)" in history  # a password set, never shown
    for secret in (STRONG, temporary, "argon2", "$2b$", "password_hash"):
        assert secret not in history
    stored = [e async for e in workflow.ctx.history.entries.find({"target": "legal.c"})]
    assert len(stored) == 5 and STRONG not in repr(stored) and "password_hash" not in repr(stored)


async def test_the_history_is_newest_first_a_page_at_a_time(workflow: Workflow) -> None:
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)

    async def record(session: Any) -> None:
        for i in range(55):
            entry = HistoryEntry(
                at=start + timedelta(minutes=i),
                by="admin",
                by_name="ผู้ดูแล",
                subject=Subject.staff,
                target=f"person.{i:02}",
            )
            await workflow.ctx.history.record(entry, session)

    async with workflow.ctx.client.start_session() as session:
        await record(session)
    http = await signed_in_console(workflow, "admin")
    first = (await http.get("/console/admin/history")).text
    assert "person.54" in first and "person.05" in first and "person.04" not in first
    assert first.index("person.54") < first.index("person.53")
    assert "หน้า 1 จาก 2" in first and 'rel="next"' in first
    second = (await http.get("/console/admin/history?page=2")).text
    assert "person.04" in second and "person.00" in second and "person.05" not in second
    for odd in ("x", "9" * 5000, "0"):
        assert (await http.get(f"/console/admin/history?page={odd}")).status_code == 200
    assert (await http.get("/console/admin/staff/No%20Such")).status_code == 404
    assert (await http.get("/console/admin/staff/nobody.here")).status_code == 404
