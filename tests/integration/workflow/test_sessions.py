"""Sessions on the real servers: a deactivated account's token, a changed password's old
tokens and signed-out sessions are refused within seconds; wrong passwords lock a
username (existing or not) and the lock lifts after its time; console forms need their
CSRF token."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from services.workflow.settings import WorkflowSettings
from shared.infra.auth import AuthSettings
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.workflow.conftest import DEMO_PASSWORD, Workflow, running_workflow

# A lock of a minute: longer than any test here takes on a loaded machine, so none ends
# in the middle of one. `brief_lock` locks for a second, to see a lock lift.
AUTH = AuthSettings(
    session_check_seconds=1, lockout_failures=3, lockout_window_seconds=60, lockout_seconds=60
)
BRIEF_LOCK = AUTH.model_copy(update={"lockout_seconds": 1})


def settings_with(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings, auth: AuthSettings
) -> WorkflowSettings:
    return WorkflowSettings(
        kafka=kafka_settings, mongo=mongo_settings, auth=auth, scan_interval_seconds=3600
    )


@pytest.fixture
async def workflow(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> AsyncIterator[Workflow]:
    async with running_workflow(settings_with(kafka_settings, mongo_settings, AUTH)) as w:
        yield w


@pytest.fixture
async def brief_lock(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> AsyncIterator[Workflow]:
    async with running_workflow(settings_with(kafka_settings, mongo_settings, BRIEF_LOCK)) as w:
        yield w


async def refused_within(http: httpx.AsyncClient, headers: dict[str, str], seconds: float) -> float:
    """How long until the token is refused (fails the test after `seconds`)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if (await http.get("/v1/auth/me", headers=headers)).status_code == 401:
            return time.monotonic() - started
        await asyncio.sleep(0.1)
    raise AssertionError(f"the token was still accepted after {seconds} s")


async def account(workflow: Workflow, staff_id: str) -> dict[str, Any]:
    admin = await workflow.login("admin")
    r = await workflow.http.get("/v1/admin/staff", headers=admin)
    return next(a for a in r.json() if a["id"] == staff_id)


async def test_a_deactivated_accounts_token_is_refused_within_seconds(workflow: Workflow) -> None:
    http = workflow.http
    legal = await workflow.login("legal.a")
    assert (await http.get("/v1/auth/me", headers=legal)).json()["id"] == "legal.a"
    admin = await workflow.login("admin")
    changed = {**await account(workflow, "legal.a"), "active": False}
    assert (
        await http.put("/v1/admin/staff/legal.a", json=changed, headers=admin)
    ).status_code == 200
    await refused_within(http, legal, 5)
    r = await http.post("/v1/auth/login", json={"username": "legal.a", "password": DEMO_PASSWORD})
    assert r.status_code == 401


async def test_an_account_changed_by_another_replica_is_refused_within_seconds(
    workflow: Workflow,
) -> None:
    """This process did not make the change: only its short memory of the account lags."""
    http = workflow.http
    legal = await workflow.login("legal.a")
    assert (await http.get("/v1/auth/me", headers=legal)).status_code == 200
    staff = workflow.ctx.directory.staff
    await staff.update_one({"_id": "legal.a"}, {"$set": {"active": False}})
    assert await refused_within(http, legal, 5) <= AUTH.session_check_seconds + 1


async def test_a_new_role_applies_at_once_and_ends_old_tokens(workflow: Workflow) -> None:
    http = workflow.http
    legal = await workflow.login("legal.a")
    admin = await workflow.login("admin")
    promoted = {**await account(workflow, "legal.a"), "role": "supervisor"}
    await http.put("/v1/admin/staff/legal.a", json=promoted, headers=admin)
    await refused_within(http, legal, 5)
    me = (await http.get("/v1/auth/me", headers=await workflow.login("legal.a"))).json()
    assert me["role"] == "supervisor"


async def test_a_password_change_ends_the_old_tokens(workflow: Workflow) -> None:
    http = workflow.http
    old = await workflow.login("legal.a")
    admin = await workflow.login("admin")
    body = {**await account(workflow, "legal.a"), "password": "a-new-password-2569"}
    assert (await http.put("/v1/admin/staff/legal.a", json=body, headers=admin)).status_code == 200
    await refused_within(http, old, 5)
    r = await http.post(
        "/v1/auth/login", json={"username": "legal.a", "password": "a-new-password-2569"}
    )
    assert r.status_code == 200
    fresh = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert (await http.get("/v1/auth/me", headers=fresh)).status_code == 200
    # A change that ends nothing (the e-mail) leaves the sessions alone.
    same = {**await account(workflow, "legal.a"), "email": "legal.a@example.go.th"}
    await http.put("/v1/admin/staff/legal.a", json=same, headers=admin)
    assert (await http.get("/v1/auth/me", headers=fresh)).status_code == 200


async def test_sign_out_everywhere_ends_every_session_of_the_account(workflow: Workflow) -> None:
    http = workflow.http
    laptop, phone = await workflow.login("legal.a"), await workflow.login("legal.a")
    other = await workflow.login("legal.b")
    r = await http.post("/v1/auth/sign-out-everywhere", headers=laptop)
    assert r.status_code == 204
    await refused_within(http, laptop, 5)
    await refused_within(http, phone, 5)
    assert (await http.get("/v1/auth/me", headers=other)).status_code == 200
    # Only an admin signs someone else out.
    fresh = await workflow.login("legal.a")
    r = await http.post("/v1/auth/staff/legal.b/sign-out-everywhere", headers=fresh)
    assert r.status_code == 403
    admin = await workflow.login("admin")
    r = await http.post("/v1/auth/staff/legal.b/sign-out-everywhere", headers=admin)
    assert r.status_code == 204
    await refused_within(http, other, 5)
    assert (await http.get("/v1/auth/me", headers=fresh)).status_code == 200
    r = await http.post("/v1/auth/staff/nobody/sign-out-everywhere", headers=admin)
    assert r.status_code == 404


async def test_the_cookie_alone_changes_nothing_through_the_api(workflow: Workflow) -> None:
    http = workflow.http
    token = (await workflow.login("legal.a"))["Authorization"].removeprefix("Bearer ")
    http.cookies.set("siang_token", token)
    assert (await http.get("/v1/auth/me")).status_code == 200
    assert (await http.post("/v1/auth/sign-out-everywhere")).status_code == 401


async def login(http: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await http.post("/v1/auth/login", json={"username": username, "password": password})


def lockouts(workflow: Workflow) -> float:
    registry = workflow.app.state.runtime.metrics.registry
    return float(registry.get_sample_value("siang_sign_in_lockouts_total") or 0)


async def test_wrong_passwords_lock_the_username(
    workflow: Workflow, caplog: pytest.LogCaptureFixture
) -> None:
    http = workflow.http
    caplog.set_level(logging.WARNING, logger="services.workflow.handlers.staff")
    assert (await login(http, "legal.a", "wrong-1")).status_code == 401
    assert (await login(http, "legal.a", "wrong-2")).status_code == 401
    locked = await login(http, "legal.a", "wrong-3")
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["Retry-After"]) <= AUTH.lockout_seconds
    assert locked.json()["error"]["code"] == "sign_in_locked"
    assert "try again" in locked.json()["error"]["message"]
    # While locked even the right password is refused, and says the same.
    right = await login(http, "legal.a", DEMO_PASSWORD)
    assert right.status_code == 429 and "Retry-After" in right.headers
    assert lockouts(workflow) == 1
    logged = [r.getMessage() for r in caplog.records if "sign-in locked" in r.getMessage()]
    assert logged and "legal.a" in logged[0] and "wrong-3" not in logged[0]
    # Another username is not locked by it.
    assert (await login(http, "legal.b", DEMO_PASSWORD)).status_code == 200


async def test_the_lock_lifts_after_its_time(brief_lock: Workflow) -> None:
    answers = [
        (await login(brief_lock.http, "legal.a", f"wrong-{n}")).status_code for n in range(3)
    ]
    assert answers == [401, 401, 429]  # the third locks it
    await asyncio.sleep(BRIEF_LOCK.lockout_seconds + 0.2)
    assert (await login(brief_lock.http, "legal.a", DEMO_PASSWORD)).status_code == 200


async def test_a_username_that_does_not_exist_locks_the_same_way(workflow: Workflow) -> None:
    http = workflow.http
    answers = [(await login(http, "nobody.here", f"guess-{i}")) for i in range(4)]
    assert [a.status_code for a in answers] == [401, 401, 429, 429]
    assert answers[0].json() == (await login(http, "legal.a", "wrong")).json()
    assert answers[2].json()["error"]["message"].startswith("too many failed sign-ins")


async def test_a_success_starts_the_count_afresh(workflow: Workflow) -> None:
    http = workflow.http
    for _ in range(2):
        assert (await login(http, "legal.a", "wrong")).status_code == 401
    assert (await login(http, "legal.a", DEMO_PASSWORD)).status_code == 200
    for _ in range(2):
        assert (await login(http, "legal.a", "wrong")).status_code == 401
    assert (await login(http, "legal.a", DEMO_PASSWORD)).status_code == 200


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


async def test_console_forms_need_their_csrf_token(workflow: Workflow) -> None:
    http = workflow.http
    page = await http.get("/console/login")
    assert "siang_csrf" in page.headers["set-cookie"]
    token = csrf_token(page.text)
    creds = {"username": "legal.a", "password": DEMO_PASSWORD}
    forged = await http.post("/console/login", data=creds)
    assert forged.status_code == 403 and "โหลดหน้าใหม่" in forged.text
    wrong = await http.post("/console/login", data={**creds, "csrf_token": "0" * 64})
    assert wrong.status_code == 403
    ok = await http.post("/console/login", data={**creds, "csrf_token": token})
    assert ok.status_code == 303
    http.cookies.set("siang_token", ok.cookies["siang_token"])
    queue = await http.get("/console?lang=en")
    assert "Sign out everywhere" in queue.text
    signed_in_token = csrf_token(queue.text)
    assert signed_in_token != token  # bound to the session now
    # The sign-in form's token is not good for the session's forms.
    assert (await http.post("/console/logout", data={"csrf_token": token})).status_code == 403
    refused = await http.post("/console/sign-out-everywhere", data={})
    assert refused.status_code == 403 and "did not come from this site" in refused.text
    assert (await http.get("/console")).status_code == 200  # still signed in
    out = await http.post("/console/sign-out-everywhere", data={"csrf_token": signed_in_token})
    assert out.status_code == 303 and out.headers["location"] == "/console/login"
    bearer = {"Authorization": f"Bearer {ok.cookies['siang_token']}"}
    await refused_within(http, bearer, 5)


async def test_the_console_sign_in_page_says_when_it_is_locked(workflow: Workflow) -> None:
    http = workflow.http
    token = csrf_token((await http.get("/console/login?lang=en")).text)
    answers = [
        await http.post(
            "/console/login",
            data={"username": "legal.a", "password": "wrong", "csrf_token": token},
        )
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [401, 401, 429]
    assert "Too many failed sign-ins" in answers[2].text
    assert answers[2].headers["Retry-After"]


async def test_cookies_are_secure_in_production_only(
    workflow: Workflow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Behind TLS in production the sign-in and CSRF cookies are never sent over plain
    HTTP; in development (plain HTTP on 127.0.0.1) they could not be, so they are not."""

    async def cookies_of_a_sign_in() -> list[str]:
        http = workflow.http
        http.cookies.clear()
        page = await http.get("/console/login")
        creds = {"username": "legal.a", "password": DEMO_PASSWORD}
        # Sent by hand: a client keeps a Secure cookie from going over plain HTTP.
        nonce = page.cookies["siang_csrf"]
        ok = await http.post(
            "/console/login",
            data={**creds, "csrf_token": csrf_token(page.text)},
            headers={"Cookie": f"siang_csrf={nonce}"},
        )
        assert ok.status_code == 303
        http.cookies.clear()
        return page.headers.get_list("set-cookie") + ok.headers.get_list("set-cookie")

    development = await cookies_of_a_sign_in()
    assert development and not any("secure" in c.lower() for c in development)
    monkeypatch.setenv("SIANG_ENV", "production")
    production = await cookies_of_a_sign_in()
    assert {c.split("=")[0] for c in production} >= {"siang_csrf", "siang_token"}
    assert all("; secure" in c.lower() for c in production), production
