"""The whole office in one process for the access tests: intake, workflow, notifications,
reporting and participation built by their real factories on one Kafka and one database, a caller of
each kind, and the things a call needs (a real case opened through intake and workflow,
its tracking code and PIN, a survey link, a channel API key)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
import uvicorn
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from pydantic import SecretStr

from services.intake.adapters.api_keys import ApiKeys
from services.intake.app import create_app as create_intake
from services.intake.domain.api_keys import issue_key
from services.intake.settings import FacebookSettings, IntakeSettings, LineSettings
from services.notifications.app import create_app as create_notifications
from services.notifications.settings import (
    DigestSettings,
    NotificationsSettings,
    RetrySettings,
)
from services.participation.app import create_app as create_participation
from services.participation.settings import ParticipationSettings
from services.reporting.app import create_app as create_reporting
from services.reporting.settings import ReportingSettings
from services.workflow.app import create_app as create_workflow
from services.workflow.context import WorkflowContext
from services.workflow.handlers.submissions import case_id_for
from services.workflow.settings import WorkflowSettings
from shared.contract.events import Channel
from shared.contract.survey_token import sign_survey_token
from shared.infra import csrf
from shared.infra.auth import AuthSettings, StaffRole, issue_token
from shared.infra.mongo import Document
from shared.infra.sessions import SESSION_VERSION
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.access.case_files import case_file_fixtures
from tests.integration.access.committee_papers import papers_fixtures
from tests.integration.access.mission_surveys import surveys_fixtures
from tests.integration.access.staff_work import staff_work_fixtures
from tests.integration.participation.conftest import consultation_body
from tests.support import eventually

DEMO_PASSWORD = "siang-demo-2569"
SERVICES = ("intake", "workflow", "notifications", "reporting", "participation")
COOKIE = "siang_token"  # the console's and the reporting pages' session cookie
LOGIN_PAGE = "/console/login"
LINE_SECRET = "matrix-line-channel-secret"
FACEBOOK_SECRET = "matrix-facebook-app-secret"
FACEBOOK_VERIFY = "matrix-facebook-verify-token"

# The signed-in callers: accounts of the demo directory (`deploy/config/staff.yaml`); the
# staff member and supervisor are of unit `admin`, where the `documents` category goes.
ACCOUNTS = {
    "staff": "admin.a",
    "supervisor": "admin.head",
    "committee": "committee",
    "participation": "coordinator",  # the demo directory's coordinator, (re)written by the admin
    "admin": "admin",
}
# An account the admin endpoints change and sign out (the callers' own stay usable).
TARGET = {"id": "matrix.target", "name": "บัญชีทดสอบ", "role": "committee", "unit": None}


def route_keys(app: FastAPI, service: str) -> set[str]:
    """`"<service> <METHOD> <path>"` for every route of `app`. Starlette adds HEAD to a
    plain GET route, answered as the GET: it is the GET's row."""
    keys = set()
    for route in iter_route_contexts(app.routes):
        methods = set(route.methods or ())
        if "GET" in methods:
            methods.discard("HEAD")
        keys |= {f"{service} {m} {route.path}" for m in methods}
    return keys


@dataclass
class Fixtures:
    case_id: str
    tracking_code: str
    pin: str
    survey_token: str
    routing: Any
    sla: Any
    target_id: str
    target_account: dict[str, Any]
    # Participation: an open consultation with an opinion (contact details left, with
    # consent) and an outcome; a draft to edit; a draft per caller to open; the plan.
    consultation_id: str
    opinion_id: str
    outcome_id: str
    outcome: dict[str, Any]
    draft_id: str
    drafts: dict[str, str]
    fiscal_year: int
    plan: dict[str, Any]
    # A committee with one member for each caller to retire (a member retires once).
    committee_id: str
    committee: dict[str, Any]
    member: dict[str, Any]
    members: dict[str, str]
    # Its papers, meetings and reviews (`committee_papers.py`).
    papers: dict[str, Any]
    # Mission satisfaction surveys (`mission_surveys.py`).
    surveys: dict[str, Any]
    # What the coordinator's staff pages act on once per caller (`staff_work.py`).
    work: dict[str, Any]
    # A case with a photo, assigned to the matrix's member of staff (`case_files.py`).
    files: dict[str, Any]
    # A channel key for the admin pages to revoke (not the channel caller's own).
    revocable_key_id: str = ""


@dataclass
class Office:
    apps: dict[str, FastAPI]
    http: dict[str, httpx.AsyncClient]
    auth: AuthSettings
    api_key: str = ""

    @property
    def workflow(self) -> WorkflowContext:
        return self.apps["workflow"].state.ctx  # type: ignore[no-any-return]

    async def token(self, staff_id: str) -> str:
        """A token of `staff_id` as its sign-in would give now: it carries the account's
        current session version, so a test that ends the account's sessions (as the
        sign-out-everywhere rows do) leaves the next call a valid token."""
        doc = await self.workflow.directory.staff.find_one({"_id": staff_id})
        assert doc is not None, f"no account {staff_id}"
        return issue_token(
            self.auth,
            id=staff_id,
            name=doc["name"],
            role=StaffRole(doc["role"]),
            unit=doc.get("unit"),
            session_version=int(doc.get(SESSION_VERSION, 0)),
        )

    async def bearer(self, staff_id: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {await self.token(staff_id)}"}

    async def submit(self, body: dict[str, Any]) -> tuple[str, str, str]:
        """A submission through intake's API; its case id, tracking code and PIN once the
        workflow has opened and assigned the case."""
        r = await self.http["intake"].post("/v1/submissions", json=body)
        assert r.status_code == 202, r.text
        answer = r.json()
        case_id = case_id_for(answer["submission_id"])

        async def assigned() -> Document | None:
            doc = await self.workflow.store.cases.find_one({"_id": case_id})
            return doc if doc and doc.get("status") == "assigned" else None

        await eventually(assigned, timeout=60, what=f"case {case_id} opened and assigned")
        return case_id, answer["tracking_code"], answer["tracking_pin"]

    async def send(
        self,
        service: str,
        role: str,
        *,
        method: str,
        path: str,
        params: dict[str, Any] | None = None,
        json: Any = None,
        form: dict[str, str] | None = None,
        page: bool = False,
        csrf_form: bool = False,
        signing_in: bool = False,
        token: str | None = None,
        content: bytes | None = None,
        extra_headers: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> httpx.Response:
        """One request as `role` would send it: a channel key in `X-API-Key`; a staff
        token as a bearer header, or for a page as the session cookie; a console form with
        its CSRF token. No cookie survives from one call to the next."""
        client = self.http[service]
        client.cookies.clear()
        headers: dict[str, str] = dict(extra_headers or {})
        cookies: dict[str, str] = {}
        if role == "channel_key":
            headers["X-API-Key"] = self.api_key
        if token is not None:
            if page:
                cookies[COOKIE] = token
            else:
                headers["Authorization"] = f"Bearer {token}"
        if csrf_form:
            nonce = csrf.new_nonce()
            cookies[csrf.COOKIE] = nonce
            session = "" if signing_in else cookies.get(COOKIE, "")
            form = {**(form or {}), csrf.FIELD: csrf.form_token(self.auth.secret, nonce, session)}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        return await client.request(
            method,
            path,
            params=params,
            json=json,
            data=form,
            content=content,
            headers=headers,
            files=files,
        )


def outcome(r: httpx.Response) -> str | int:
    """What a cell of the matrix says of this answer (see `matrix.py`)."""
    # The console sends to its own path; the other services to the console's address.
    if 300 <= r.status_code < 400 and urlsplit(r.headers.get("location", "")).path == LOGIN_PAGE:
        return "login"
    if 200 <= r.status_code < 400:
        return "ok"
    return r.status_code


@contextlib.asynccontextmanager
async def running(kafka: KafkaSettings, mongo: MongoSettings) -> AsyncIterator[Office]:
    """The five services, started and connected, with the participation coordinator and
    the target account created by the admin, and a LINE channel key."""
    # Accounts are re-read on every request: a session ended by one call must not be
    # trusted by the next one's cache.
    auth = AuthSettings(session_check_seconds=0)
    # The console's "new case" form sends to intake over HTTP on the caller's token:
    # intake is served on a real port too (started below, once its lifespan has run).
    intake_port = free_port()
    apps = {
        "intake": create_intake(
            IntakeSettings(
                kafka=kafka,
                mongo=mongo,
                auth=auth,
                web_burst=100,
                track_burst=1000,
                # Signed calls are read; nothing may reach the real LINE (a closed port).
                line=LineSettings(
                    channel_secret=SecretStr(LINE_SECRET),
                    api_base_url="http://127.0.0.1:9",
                    data_base_url="http://127.0.0.1:9",
                ),
                facebook=FacebookSettings(
                    app_secret=SecretStr(FACEBOOK_SECRET),
                    verify_token=SecretStr(FACEBOOK_VERIFY),
                    graph_base_url="http://127.0.0.1:9",
                ),
            )
        ),
        "workflow": create_workflow(
            WorkflowSettings(
                kafka=kafka,
                mongo=mongo,
                auth=auth,
                allow_clock_override=True,
                scan_interval_seconds=3600,
                intake_url=f"http://127.0.0.1:{intake_port}",
            )
        ),
        "notifications": create_notifications(
            NotificationsSettings(
                kafka=kafka,
                mongo=mongo,
                auth=auth,
                digest=DigestSettings(enabled=False),
                retry=RetrySettings(max_attempts=1),
            )
        ),
        "reporting": create_reporting(ReportingSettings(kafka=kafka, mongo=mongo, auth=auth)),
        "participation": create_participation(
            ParticipationSettings(kafka=kafka, mongo=mongo, auth=auth)
        ),
    }
    async with contextlib.AsyncExitStack() as stack:
        http: dict[str, httpx.AsyncClient] = {}
        for name, app in apps.items():
            await stack.enter_async_context(app.router.lifespan_context(app))
            await app.state.runtime.wait_connected(60)
            http[name] = await stack.enter_async_context(
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app), base_url=f"http://{name}", timeout=60
                )
            )
        await stack.enter_async_context(serving(apps["intake"], intake_port))
        office = Office(apps, http, auth)
        directory = office.workflow.directory

        async def seeded() -> bool:
            return await directory.staff.find_one({"_id": "admin"}) is not None

        await eventually(seeded, timeout=60, what="the demo staff directory")
        admin = await office.bearer("admin")
        # The coordinator keeps the demo directory's password: setting it again would be
        # refused (a new password must differ from the current one).
        for account in (
            {
                "id": ACCOUNTS["participation"],
                "name": "ผู้ประสานงานการมีส่วนร่วม",
                "role": StaffRole.participation.value,
                "unit": None,
            },
            {**TARGET, "password": DEMO_PASSWORD},
        ):
            r = await http["workflow"].put(
                f"/v1/admin/staff/{account['id']}", json=account, headers=admin
            )
            assert r.status_code == 200, r.text
        issued = issue_key(Channel.line, label="access matrix", now=datetime.now(UTC))
        await ApiKeys(apps["intake"].state.runtime.db).add(issued.record)
        office.api_key = issued.key
        yield office


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def serving(app: FastAPI, port: int) -> AsyncIterator[None]:
    """`app` (already started) answering on a real port of this event loop."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    task = asyncio.create_task(server.serve())

    async def started() -> bool | None:
        return server.started or None

    try:
        await eventually(started, what=f"intake serving on port {port}")
        yield
    finally:
        server.should_exit = True
        await task


async def fixtures(office: Office, body: dict[str, Any]) -> Fixtures:
    case_id, code, pin = await office.submit(body)
    survey = apps_survey_secret(office)
    return Fixtures(
        case_id=case_id,
        tracking_code=code,
        pin=pin,
        survey_token=sign_survey_token(case_id, secret=survey),
        routing=office.workflow.routing.model_dump(mode="json"),
        sla=office.workflow.sla.model_dump(mode="json"),
        target_id=str(TARGET["id"]),
        target_account=dict(TARGET),
        files=await case_file_fixtures(office, ACCOUNTS["staff"], ACCOUNTS["supervisor"]),
        **await participation_fixtures(office),
        revocable_key_id=await revocable_key(office),
    )


async def revocable_key(office: Office) -> str:
    """The id of a channel key nobody uses, for the admin pages to revoke."""
    issued = issue_key(Channel.api, label="to revoke", now=datetime.now(UTC))
    await ApiKeys(office.apps["intake"].state.runtime.db).add(issued.record)
    return issued.record.key_id


async def participation_fixtures(office: Office) -> dict[str, Any]:
    """What the participation rows need, made through its API by the coordinator."""
    http = office.http["participation"]
    coordinator = await office.bearer(ACCOUNTS["participation"])

    async def created() -> str:
        r = await http.post("/v1/consultations", json=consultation_body(), headers=coordinator)
        assert r.status_code == 201, r.text
        return str(r.json()["consultation_id"])

    async def opened() -> str:
        consultation_id = await created()
        url = f"/v1/consultations/{consultation_id}/commands/open"
        r = await http.post(url, headers=coordinator)
        assert r.status_code == 200, r.text
        return consultation_id

    consultation_id = await opened()
    r = await http.post(
        f"/v1/public/consultations/{consultation_id}/opinions",
        json={
            "group": "parents",
            "answers": {"lunch": "good"},
            "contact": {"name": "มาลี ใจงาม", "email": "malee@example.com"},
            "consent": {"contact_me": True},
        },
    )
    assert r.status_code == 201, r.text
    opinion_id = str(r.json()["opinion_id"])
    outcome = {
        "consultation_id": consultation_id,
        "you_said_th": "อยากให้มีผลไม้ทุกวัน",
        "we_did_th": "เพิ่มงบผลไม้ในอาหารกลางวัน",
        "owner_unit": "promotion",
        "opinion_ids": [opinion_id],
    }
    r = await http.post("/v1/outcomes", json=outcome, headers=coordinator)
    assert r.status_code == 201, r.text
    year = 2570
    plan = await http.get(f"/v1/missions/{year}", headers=coordinator)
    assert plan.status_code == 200, plan.text
    outcome_id = str(r.json()["outcome_id"])
    committee = {
        "name_th": "คณะกรรมการติดตามคุณภาพอาหารกลางวัน",
        "order": {"number": "123/2570", "signed_on": "2026-10-15"},
        "term_starts_on": "2026-11-01",
    }
    r = await http.post("/v1/committees", json=committee, headers=coordinator)
    assert r.status_code == 201, r.text
    committee_id = str(r.json()["committee_id"])
    member = {"name": "ประเสริฐ ชาวนา", "group": "parents", "starts_on": "2026-11-01"}
    members: dict[str, str] = {}
    for role in ("public", "channel_key", *ACCOUNTS):
        url = f"/v1/committees/{committee_id}/members"
        r = await http.post(
            url, json={**member, "name": f"{member['name']} {role}"}, headers=coordinator
        )
        assert r.status_code == 201, r.text
        members[role] = str(r.json()["members"][-1]["member_id"])
    papers = await papers_fixtures(http, coordinator, committee_id, ACCOUNTS["committee"])
    return {
        "papers": papers,
        "surveys": await surveys_fixtures(http, coordinator),
        "work": await staff_work_fixtures(http, coordinator, committee_id),
        "committee_id": committee_id,
        "committee": committee,
        "member": member,
        "members": members,
        "consultation_id": consultation_id,
        "opinion_id": opinion_id,
        "outcome_id": outcome_id,
        "outcome": outcome,
        "draft_id": await created(),
        "drafts": {role: await created() for role in ("public", "channel_key", *ACCOUNTS)},
        "fiscal_year": year,
        "plan": plan.json(),
    }


def apps_survey_secret(office: Office) -> str:
    """The secret intake checks survey links with (notifications signs them with it)."""
    settings: IntakeSettings = office.apps["intake"].state.ctx.settings
    return settings.survey.secret.get_secret_value()
