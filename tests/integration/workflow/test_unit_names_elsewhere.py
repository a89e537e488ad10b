"""An admin renames a unit and adds one on workflow's units page; reporting's dashboard
and participation's pages then name them so, through `siang.units.v1`, without a
restart or a call to workflow. An older or repeated `unit.changed` changes nothing, a
reporting rebuild keeps the names, and units saved before workflow published them are
announced once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
from fastapi import FastAPI

from services.participation.app import create_app as create_participation
from services.participation.settings import ParticipationSettings
from services.reporting.app import create_app as create_reporting
from services.reporting.settings import ReportingSettings
from services.workflow.handlers.policies import announce_units
from shared.contract import topics
from shared.contract.catalogue import Unit
from shared.contract.events import (
    CaseOpened,
    Channel,
    Kind,
    Priority,
    UnitChanged,
    make_event,
    parse_event,
)
from tests.integration.workflow.conftest import Workflow
from tests.integration.workflow.test_admin_pages import post_page, signed_in_console
from tests.support import eventually, read_topic
from tests.unit.reporting.histories import T0, event

LEGAL_EN, WELFARE_TH, WELFARE_EN = "Legal Division", "กลุ่มสวัสดิการนักเรียน", "Student Welfare"


@asynccontextmanager
async def serving(app: FastAPI, name: str) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        await app.state.runtime.wait_connected(30)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{name}") as http:
            yield http


def opened(case_id: str, unit: str) -> CaseOpened:
    return CaseOpened(
        case_id=case_id,
        submission_id=f"s-{case_id}",
        tracking_code=f"SG-{case_id.upper()}-9Q7Z",
        channel=Channel.web,
        kind=Kind.complaint,
        category="documents",
        unit=unit,
        priority=Priority.normal,
        subject="ขอหนังสือรับรอง",
        received_at=T0 + timedelta(days=1),
    )


async def test_a_renamed_and_an_added_unit_show_on_reports_and_participation(
    workflow: Workflow,
) -> None:
    kafka, mongo = workflow.kafka, workflow.ctx.settings.mongo
    group = kafka.topic_prefix  # one group per test: a shared one rebalances with others
    reporting_app = create_reporting(
        ReportingSettings(kafka=kafka, mongo=mongo, consumer_group=f"reporting-{group}")
    )
    participation_app = create_participation(
        ParticipationSettings(kafka=kafka, mongo=mongo, consumer_group=f"participation-{group}")
    )
    console = await signed_in_console(workflow, "admin")
    # The console's sign-in opens every service's staff pages.
    token = next(c.value for c in console.cookies.jar if c.name == "siang_token")
    cookie = {"siang_token": token}
    async with (
        serving(reporting_app, "reporting") as reporting,
        serving(participation_app, "participation") as participation,
    ):
        reporting.cookies.update(cookie)
        participation.cookies.update(cookie)
        # Cases of the file's unit and of one the file does not know yet.
        for case_id, unit in (("u1", "legal"), ("u2", "welfare")):
            await workflow.publisher.publish(event(opened(case_id, unit), T0))

        async def dashboard() -> str:
            r = await reporting.get("/dashboard", params={"fiscal_year": 2570, "lang": "en"})
            assert r.status_code == 200, r.text
            return r.text

        async def both_counted() -> bool:
            return "welfare" in await dashboard()

        await eventually(both_counted, timeout=60, what="the cases on the dashboard")
        before = await dashboard()
        assert "Legal Affairs Division" in before and WELFARE_EN not in before

        saved = await post_page(
            console,
            "/console/admin/units",
            {
                "en.legal": LEGAL_EN,
                "new.code": "welfare",
                "new.name_th": WELFARE_TH,
                "new.name_en": WELFARE_EN,
            },
        )
        assert saved.status_code == 303, saved.text
        units_page = (await console.get("/console/admin/units?lang=en")).text
        assert "still show" not in units_page  # the warning is gone: it holds now

        async def renamed_on_dashboard() -> str | None:
            text = await dashboard()
            return text if LEGAL_EN in text and WELFARE_EN in text else None

        text = await eventually(renamed_on_dashboard, timeout=60, what="new names on reports")
        assert text is not None and "Legal Affairs Division" not in text
        thai = await reporting.get("/dashboard", params={"fiscal_year": 2570})
        assert WELFARE_TH in thai.text

        async def renamed_on_participation() -> str | None:
            r = await participation.get("/staff/outcomes", params={"lang": "en"})
            assert r.status_code == 200, r.text
            return r.text if LEGAL_EN in r.text and WELFARE_EN in r.text else None

        await eventually(renamed_on_participation, timeout=60, what="new names on participation")
        # An added unit owns outcomes like any other.
        assert "welfare" in await participation_app.state.ctx.units()

        # A late, older record of the unit changes nothing: once a record sent after it
        # on the same key (so the same partition) shows, the older one was read too.
        stale = UnitChanged(code="legal", name_th="เก่า", name_en="Stale Name", version=0)
        later = UnitChanged(code="ict", name_th="ไอซีที", name_en="ICT Now", version=10**6)
        for data in (stale, later):
            await workflow.publisher.publish(make_event(data, source="/tests", subject="legal"))

        async def later_applied() -> bool:
            page = (await participation.get("/staff/outcomes?lang=en")).text
            return "ICT Now" in page and "ICT Now" in await dashboard()

        await eventually(later_applied, timeout=60, what="the later record applied")
        rebuilt = await reporting_app.state.ctx.rebuilder.run()
        assert rebuilt is not None
        after = await dashboard()
        assert LEGAL_EN in after and WELFARE_EN in after and "Stale Name" not in after
        page = (await participation.get("/staff/outcomes?lang=en")).text
        assert "Stale Name" not in page and LEGAL_EN in page


async def cleanup_policy(bootstrap: str, topic: str) -> str:
    from aiokafka.admin import AIOKafkaAdminClient  # type: ignore[import-untyped]
    from aiokafka.admin.config_resource import (  # type: ignore[import-untyped]
        ConfigResource,
        ConfigResourceType,
    )

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        found = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
    finally:
        await admin.close()
    (resource,) = found[0].to_object()["resources"]
    entries = {e["config_names"]: e["config_value"] for e in resource["config_entries"]}
    return str(entries["cleanup.policy"])


async def test_units_saved_before_they_were_published_are_announced_once(
    workflow: Workflow,
) -> None:
    # Units an admin saved before workflow published them: no record of announcing them.
    ctx = workflow.ctx
    legal = Unit(code="legal", name_th="กลุ่มกฎหมาย", name_en=LEGAL_EN)
    welfare = Unit(code="welfare", name_th=WELFARE_TH, name_en=WELFARE_EN)
    await ctx.settings_store.settings.insert_many(
        [
            {"_id": "units", "config": [u.model_dump(mode="json") for u in (legal, welfare)]},
            {"_id": "config_version", "n": 4},
        ]
    )
    assert await announce_units(ctx) == 2
    assert await announce_units(ctx) == 0  # once, whichever replica starts next
    topic = topics.with_prefix(workflow.kafka.topic_prefix, topics.UNITS)
    records = await read_topic(workflow.kafka.bootstrap_servers, topic, 2, settle=1)
    told = {r.key.decode(): parse_event(r.value).data for r in records}
    # The topic keeps each unit's latest record for good; its dead letters age out.
    assert await cleanup_policy(workflow.kafka.bootstrap_servers, topic) == "compact"
    dead = topics.dead_letters(topic)
    assert await cleanup_policy(workflow.kafka.bootstrap_servers, dead) == "delete"
    assert told == {
        "legal": UnitChanged(code="legal", name_th="กลุ่มกฎหมาย", name_en=LEGAL_EN, version=4),
        "welfare": UnitChanged(code="welfare", name_th=WELFARE_TH, name_en=WELFARE_EN, version=4),
    }
