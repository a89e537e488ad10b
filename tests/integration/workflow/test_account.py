"""The account page and the password rules on the real servers: who is signed in, a
password change that keeps this browser signed in and ends every other session, the
rules' own words for a weak password, a wrong current password counted toward the
lock-out, and the admin API keeping the same rules."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator

import httpx
import pytest

from services.workflow.settings import WorkflowSettings
from shared.infra.auth import AuthSettings
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.workflow.conftest import DEMO_PASSWORD, Workflow, running_workflow
from tests.integration.workflow.test_sessions import account, refused_within

AUTH = AuthSettings(
    session_check_seconds=1, lockout_failures=3, lockout_window_seconds=600, lockout_seconds=120
)
NEW_PASSWORD = "ต้นมะขามริมคลอง-7"


@pytest.fixture
async def workflow(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> AsyncIterator[Workflow]:
    settings = WorkflowSettings(
        kafka=kafka_settings, mongo=mongo_settings, auth=AUTH, scan_interval_seconds=3600
    )
    async with running_workflow(settings) as workflow:
        yield workflow


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


async def console_sign_in(http: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    token = csrf_token((await http.get("/console/login")).text)
    return await http.post(
        "/console/login", data={"username": username, "password": password, "csrf_token": token}
    )


@contextlib.asynccontextmanager
async def signed_in_browser(workflow: Workflow, username: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client with its own cookies: one browser of `username`, signed in."""
    transport = httpx.ASGITransport(app=workflow.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://workflow") as http:
        r = await console_sign_in(http, username, DEMO_PASSWORD)
        assert r.status_code == 303, r.text
        yield http


async def change(
    http: httpx.AsyncClient, current: str, new: str, repeat: str | None = None, lang: str = "en"
) -> httpx.Response:
    token = csrf_token((await http.get(f"/console/account?lang={lang}")).text)
    return await http.post(
        "/console/account/password",
        data={"current": current, "new": new, "repeat": repeat or new, "csrf_token": token},
    )


async def test_the_account_page_says_who_is_signed_in_in_words(workflow: Workflow) -> None:
    assert (await workflow.http.get("/console/account")).headers["location"] == "/console/login"
    async with signed_in_browser(workflow, "legal.a") as http:
        thai = (await http.get("/console/account?lang=th")).text
        assert "ดวงใจ พลายงาม" in thai and "legal.a" in thai
        assert "เจ้าหน้าที่" in thai and "เปลี่ยนรหัสผ่าน" in thai
        english = (await http.get("/console/account?lang=en")).text
        assert "Staff" in english and "Change password" in english
        assert "Sign out everywhere" in english
        assert 'href="/console/account"' in english  # the header's link to it


async def test_a_new_password_ends_other_sessions_and_keeps_this_browser(
    workflow: Workflow,
) -> None:
    http = workflow.http
    other_session = await workflow.login("legal.a")
    async with signed_in_browser(workflow, "legal.a") as browser:
        before = browser.cookies["siang_token"]
        r = await change(browser, DEMO_PASSWORD, NEW_PASSWORD)
        assert r.status_code == 303 and r.headers["location"] == "/console/account?changed=1"
        assert browser.cookies["siang_token"] != before
        page = await browser.get("/console/account?changed=1&lang=en")
        assert page.status_code == 200 and "Password changed" in page.text
        await refused_within(http, other_session, 5)
        assert (await browser.get("/console/account")).status_code == 200  # still signed in
    old = await http.post("/v1/auth/login", json={"username": "legal.a", "password": DEMO_PASSWORD})
    assert old.status_code == 401
    new = await http.post("/v1/auth/login", json={"username": "legal.a", "password": NEW_PASSWORD})
    assert new.status_code == 200


async def test_each_broken_rule_is_said_and_nothing_changes(workflow: Workflow) -> None:
    async with signed_in_browser(workflow, "legal.a") as browser:
        weak = await change(browser, DEMO_PASSWORD, "ดวงใจ2569")
        assert weak.status_code == 422
        assert "at least 10 characters" in weak.text
        assert "first name or surname" in weak.text
        common = await change(browser, DEMO_PASSWORD, "Password2569!", lang="th")
        assert common.status_code == 422 and "ใช้กันทั่วไป" in common.text
        same = await change(browser, DEMO_PASSWORD, DEMO_PASSWORD)
        assert same.status_code == 422 and "differ from the current one" in same.text
        differs = await change(browser, DEMO_PASSWORD, NEW_PASSWORD, repeat=NEW_PASSWORD + "x")
        assert differs.status_code == 422 and "The two new passwords differ" in differs.text
        blank = await change(browser, "", NEW_PASSWORD)
        assert blank.status_code == 422 and "Fill in all three fields" in blank.text
    still = await workflow.http.post(
        "/v1/auth/login", json={"username": "legal.a", "password": DEMO_PASSWORD}
    )
    assert still.status_code == 200


async def test_wrong_current_passwords_count_toward_the_lock_out(workflow: Workflow) -> None:
    async with signed_in_browser(workflow, "legal.b") as browser:
        answers = [await change(browser, f"wrong-{n}", NEW_PASSWORD) for n in range(3)]
        assert [a.status_code for a in answers] == [422, 422, 429]
        assert "current password is wrong" in answers[0].text
        assert "Wait 2 minutes" in answers[2].text and answers[2].headers["Retry-After"]
        # Locked: even the right current password changes nothing, and signing in waits.
        right = await change(browser, DEMO_PASSWORD, NEW_PASSWORD)
        assert right.status_code == 429
        assert (await browser.get("/console/account")).status_code == 200  # still signed in
    sign_in = await console_sign_in(workflow.http, "legal.b", DEMO_PASSWORD)
    assert sign_in.status_code == 429


async def test_the_admin_api_keeps_the_password_rules(workflow: Workflow) -> None:
    http = workflow.http
    admin = await workflow.login("admin")
    legal = await account(workflow, "legal.a")
    named = await http.put(
        "/v1/admin/staff/legal.a", json={**legal, "password": "ดวงใจพลายงาม99"}, headers=admin
    )
    assert named.status_code == 422
    problems = named.json()["error"]["details"]["problems"]
    assert [p["rule"] for p in problems] == ["contains_name"]
    same = await http.put(
        "/v1/admin/staff/legal.a", json={**legal, "password": DEMO_PASSWORD}, headers=admin
    )
    assert same.status_code == 422 and "same_as_current" in same.text
    short = await http.put(
        "/v1/admin/staff/legal.a", json={**legal, "password": "short-1"}, headers=admin
    )
    assert short.status_code == 422
    fresh = {"id": "new.clerk", "name": "ใหม่ มาดี", "role": "staff", "unit": "legal"}
    common = await http.put(
        "/v1/admin/staff/new.clerk", json={**fresh, "password": "qwertyuiop123"}, headers=admin
    )
    assert common.status_code == 422 and "common" in common.text
    assert (await workflow.ctx.directory.get("new.clerk")) is None  # nothing was saved
    ok = await http.put(
        "/v1/admin/staff/new.clerk", json={**fresh, "password": NEW_PASSWORD}, headers=admin
    )
    assert ok.status_code == 200, ok.text


async def test_staff_change_their_own_password_through_the_api(workflow: Workflow) -> None:
    """What the account page does, for a client that signs in with a bearer token: the
    rules' own refusals, a wrong current password named, and on success a new token
    while every other session (the old token too) ends."""
    http = workflow.http
    other_device = await workflow.login("legal.a")
    this_device = await workflow.login("legal.a")

    async def change_via_api(current: str, new: str) -> httpx.Response:
        body = {"current_password": current, "new_password": new}
        return await http.post("/v1/auth/password", json=body, headers=this_device)

    weak = await change_via_api(DEMO_PASSWORD, "password123")
    assert weak.status_code == 422
    assert weak.json()["error"]["code"] == "weak_password"
    wrong = await change_via_api("not-my-password", NEW_PASSWORD)
    assert wrong.status_code == 422
    assert wrong.json()["error"]["details"] == {"field": "current_password"}

    changed = await change_via_api(DEMO_PASSWORD, NEW_PASSWORD)
    assert changed.status_code == 200, changed.text
    assert changed.json()["staff_id"] == "legal.a"
    new_token = {"Authorization": f"Bearer {changed.json()['access_token']}"}
    await refused_within(http, other_device, 5)
    await refused_within(http, this_device, 5)
    assert (await http.get("/v1/auth/me", headers=new_token)).json()["id"] == "legal.a"
    old = await http.post("/v1/auth/login", json={"username": "legal.a", "password": DEMO_PASSWORD})
    assert old.status_code == 401
    new = await http.post("/v1/auth/login", json={"username": "legal.a", "password": NEW_PASSWORD})
    assert new.status_code == 200
