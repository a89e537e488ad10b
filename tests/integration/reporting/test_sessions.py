"""Reporting checks a staff token against the account in workflow's `staff` collection:
a deactivated or signed-out account is refused within seconds, and the role and unit are
the account's, not the token's."""

from __future__ import annotations

import asyncio
import time

import httpx

from services.workflow.adapters.staff_directory import StaffAccount
from services.workflow.app import create_app
from services.workflow.settings import WorkflowSettings
from shared.infra.auth import StaffRole, hash_password
from shared.infra.sessions import STAFF_COLLECTION
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.reporting.harness import Reporting, bearer, staff_id

PASSWORD = "a-password-for-tests"


async def refused_within(http: httpx.AsyncClient, headers: dict[str, str], seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        r = await http.get("/v1/reports/summary", params={"fiscal_year": 2570}, headers=headers)
        if r.status_code == 401:
            return time.monotonic() - started
        assert r.status_code == 200, r.text
        await asyncio.sleep(0.1)
    raise AssertionError(f"the token was still accepted after {seconds} s")


async def assert_accepted(reporting: Reporting, headers: dict[str, str]) -> None:
    r = await reporting.http.get(
        "/v1/reports/summary", params={"fiscal_year": 2570}, headers=headers
    )
    assert r.status_code == 200, r.text


async def test_a_deactivated_accounts_token_is_refused_within_seconds(
    reporting: Reporting,
) -> None:
    committee = bearer(StaffRole.committee)
    staff = reporting.ctx.store.db[STAFF_COLLECTION]
    await assert_accepted(reporting, committee)
    await staff.update_one(
        {"_id": staff_id(StaffRole.committee, None)}, {"$set": {"active": False}}
    )
    assert await refused_within(reporting.http, committee, 5) < 5


async def test_signing_out_everywhere_ends_the_token_on_reporting(reporting: Reporting) -> None:
    legal = bearer(StaffRole.staff, "legal")
    await assert_accepted(reporting, legal)
    staff = reporting.ctx.store.db[STAFF_COLLECTION]
    # What the workflow's sign-out-everywhere, password change or new role writes.
    await staff.update_one(
        {"_id": staff_id(StaffRole.staff, "legal")}, {"$inc": {"session_version": 1}}
    )
    await refused_within(reporting.http, legal, 5)


async def test_the_unit_is_the_accounts_not_the_tokens(reporting: Reporting) -> None:
    """A token claiming another unit than its account's shows the account's unit only."""
    legal = bearer(StaffRole.staff, "legal")
    staff = reporting.ctx.store.db[STAFF_COLLECTION]
    await staff.update_one({"_id": staff_id(StaffRole.staff, "legal")}, {"$set": {"unit": "ict"}})
    reporting.ctx.sessions.forget(staff_id(StaffRole.staff, "legal"))
    r = await reporting.http.get(
        "/v1/reports/summary", params={"fiscal_year": 2570, "unit": "legal"}, headers=legal
    )
    assert r.status_code == 403 and "ict" in r.text


async def test_an_unknown_account_and_a_cookie_only_change_are_refused(
    reporting: Reporting,
) -> None:
    http = reporting.http
    stranger = bearer(StaffRole.admin, "nowhere")  # signed, but no such account
    r = await http.get("/v1/reports/summary", headers=stranger)
    assert r.status_code == 401
    admin = bearer(StaffRole.admin)["Authorization"].removeprefix("Bearer ")
    http.cookies.set("siang_token", admin)
    assert (await http.post("/v1/admin/rebuild")).status_code == 401


async def test_a_workflow_deactivation_ends_the_workflow_token_on_reporting(
    reporting: Reporting, kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    """The whole path: signed in at workflow, deactivated by an admin there, refused by
    reporting (which shares only the database) within 5 s."""
    settings = WorkflowSettings(kafka=kafka_settings, mongo=mongo_settings)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        directory = app.state.ctx.directory
        for account in (
            StaffAccount(id="chair", name="ประธาน", role=StaffRole.committee),
            StaffAccount(id="root", name="ผู้ดูแล", role=StaffRole.admin),
        ):
            await directory.save(account, hash_password(PASSWORD))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://workflow") as wf:

            async def login(username: str) -> dict[str, str]:
                r = await wf.post(
                    "/v1/auth/login", json={"username": username, "password": PASSWORD}
                )
                assert r.status_code == 200, r.text
                return {"Authorization": f"Bearer {r.json()['access_token']}"}

            chair, root = await login("chair"), await login("root")
            await assert_accepted(reporting, chair)
            staff = (await wf.get("/v1/admin/staff", headers=root)).json()
            account = next(a for a in staff if a["id"] == "chair")
            r = await wf.put(
                "/v1/admin/staff/chair", json={**account, "active": False}, headers=root
            )
            assert r.status_code == 200, r.text
            await refused_within(reporting.http, chair, 5)
