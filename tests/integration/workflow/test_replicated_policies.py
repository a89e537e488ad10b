"""Two workflow replicas on one MongoDB database: an admin changes the routing rules, the
deadline policies or a member of staff through replica A, and replica B, which opens the
cases (A consumes nothing here), applies the change to the next case within seconds,
without a restart."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from services.workflow.app import create_app
from services.workflow.handlers.submissions import case_id_for
from services.workflow.settings import WorkflowSettings
from shared.infra.kafka import EventPublisher
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.workflow.conftest import Workflow
from tests.support import eventually

#: How long a change may take to reach the other replica before the test fails: the
#: replica asks every `config_check_seconds` (2), plus a case's way through Kafka.
WITHIN_SECONDS = 15.0


@dataclass
class Replicas:
    a: Workflow  # takes the admin's change
    b: Workflow  # opens the cases

    async def case_of_a_new_submission(self, **fields: Any) -> dict[str, Any]:
        sub = await self.b.submit(contact=None, **fields)

        async def probe() -> dict[str, Any] | None:
            return await self.b.ctx.store.cases.find_one({"_id": case_id_for(sub.submission_id)})

        return await eventually(probe, what="case opened")

    async def until_a_new_case(self, holds: Callable[[dict[str, Any]], bool]) -> float:
        """Seconds from now until a case opened by B for a new submission shows the change
        (each try a new submission, as a stream of them would be)."""
        started = time.monotonic()
        while time.monotonic() - started < WITHIN_SECONDS:
            if holds(await self.case_of_a_new_submission()):
                return time.monotonic() - started
        raise AssertionError(f"replica B did not apply the change within {WITHIN_SECONDS} s")


@contextlib.asynccontextmanager
async def replica(kafka: KafkaSettings, mongo: MongoSettings, name: str) -> AsyncIterator[Workflow]:
    settings = WorkflowSettings(kafka=kafka, mongo=mongo, scan_interval_seconds=3600)
    app = create_app(settings)
    async with EventPublisher(kafka) as publisher, app.router.lifespan_context(app):
        await app.state.runtime.wait_connected(30)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{name}") as http:
            yield Workflow(app, http, publisher, kafka)


@pytest.fixture
async def replicas(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> AsyncIterator[Replicas]:
    # A on topics of its own: every case of the test is opened by B, so a case showing
    # the change proves B applied it.
    elsewhere = kafka_settings.model_copy(
        update={"topic_prefix": f"{kafka_settings.topic_prefix}a."}
    )
    # Entered in order: A has seeded the staff directory before B starts.
    async with (
        replica(elsewhere, mongo_settings, "workflow-a") as a,
        replica(kafka_settings, mongo_settings, "workflow-b") as b,
    ):
        yield Replicas(a, b)


async def put_as_admin(wf: Workflow, path: str, body: Any) -> None:
    r = await wf.http.put(path, json=body, headers=await wf.login("admin"))
    assert r.status_code == 200, r.text


async def test_a_routing_rule_changed_on_one_replica_routes_the_next_case_on_the_other(
    replicas: Replicas,
) -> None:
    before = await replicas.case_of_a_new_submission()
    assert before["unit"] == "admin"  # the catalogue's unit for documents
    routing = (
        await replicas.a.http.get("/v1/admin/routing", headers=await replicas.a.login("admin"))
    ).json()
    await put_as_admin(
        replicas.a, "/v1/admin/routing", {**routing, "category_units": {"documents": "legal"}}
    )
    took = await replicas.until_a_new_case(lambda case: case["unit"] == "legal")
    print(f"\nrouting change reached replica B's next case in {took:.1f} s")
    # B's own API says so too, and every later case is routed the new way.
    shown = await replicas.b.http.get("/v1/admin/routing", headers=await replicas.b.login("admin"))
    assert shown.json()["category_units"] == {"documents": "legal"}
    assert (await replicas.case_of_a_new_submission())["unit"] == "legal"


async def test_a_deadline_policy_changed_on_one_replica_applies_to_the_next_case_on_the_other(
    replicas: Replicas,
) -> None:
    def first_response(case: dict[str, Any]) -> int:
        return int(case["clocks"]["first_response"]["business_days"])

    assert first_response(await replicas.case_of_a_new_submission()) == 5
    sla = (
        await replicas.a.http.get("/v1/admin/sla", headers=await replicas.a.login("admin"))
    ).json()
    await put_as_admin(
        replicas.a, "/v1/admin/sla", {**sla, "default": {**sla["default"], "first_response": 2}}
    )
    took = await replicas.until_a_new_case(lambda case: first_response(case) == 2)
    print(f"\ndeadline policy change reached replica B's next case in {took:.1f} s")


async def test_staff_deactivated_on_one_replica_get_no_new_case_on_the_other(
    replicas: Replicas,
) -> None:
    leaving = {"admin.a", "admin.b"}
    before = [(await replicas.case_of_a_new_submission())["assignee"] for _ in range(3)]
    assert leaving & set(before), before  # they take the unit's cases until they leave
    admin = await replicas.a.login("admin")
    accounts = (
        await replicas.a.http.get("/v1/admin/staff", params={"unit": "admin"}, headers=admin)
    ).json()
    for account in accounts:
        if account["id"] in leaving:
            await put_as_admin(
                replicas.a, f"/v1/admin/staff/{account['id']}", {**account, "active": False}
            )
    # The directory is read afresh for every batch, so no wait at all: none of the next
    # cases goes to them (with no one else to take them, they wait in the unit's queue).
    assignees = [(await replicas.case_of_a_new_submission())["assignee"] for _ in range(4)]
    assert not leaving & set(assignees), assignees
