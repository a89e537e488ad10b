"""Submissions become routed, assigned cases; commands follow the lifecycle; deadlines
are reported once — all against the real Kafka and MongoDB-wire server."""

from __future__ import annotations

import asyncio
from typing import Any

from services.workflow.handlers.submissions import case_id_for
from shared.contract import topics
from shared.contract.events import ComplaintType, parse_event
from tests.integration.workflow.conftest import Workflow
from tests.support import eventually, read_topic


async def case_of(wf: Workflow, submission_id: str) -> dict[str, Any] | None:
    return await wf.ctx.store.cases.find_one({"_id": case_id_for(submission_id)})


async def test_submission_becomes_an_assigned_case_with_events_in_order(workflow: Workflow) -> None:
    sub = await workflow.submit()
    case = await eventually(lambda: case_of(workflow, sub.submission_id), what="case opened")
    assert case["unit"] == "admin" and case["status"] == "assigned"
    assert case["assignee"] in {"admin.a", "admin.b"}
    assert case["tracking_code"] == sub.tracking_code

    records = await read_topic(
        workflow.kafka.bootstrap_servers, workflow.kafka.topic_prefix + topics.CASES, 5
    )
    events = [parse_event(r.value) for r in records]
    names = [e.type.removeprefix("th.go.siang.").removesuffix(".v1") for e in events]
    assert names == [
        "case.opened",
        "case.status_changed",
        "case.triaged",
        "case.status_changed",
        "case.assigned",
    ]
    assert {r.key for r in records} == {case["_id"].encode()}
    assert events[0].data.deadlines  # the three clocks' due dates travel with the case
    assert events[-1].data.assignee == case["assignee"]


async def test_one_case_per_submission_even_when_delivered_twice(workflow: Workflow) -> None:
    from shared.contract.events import make_event

    sub = await workflow.submit()
    # The same submission re-published as a new event (a retrying channel).
    await workflow.publisher.publish(make_event(sub, source="/tests", subject=sub.submission_id))
    sentinel = await workflow.submit()
    await eventually(lambda: case_of(workflow, sentinel.submission_id), what="sentinel case")
    assert await workflow.ctx.store.cases.count_documents({"submission_id": sub.submission_id}) == 1
    staff = await workflow.ctx.store.cases.count_documents({})
    assert staff == 2


async def test_misconduct_goes_to_a_supervisor_never_the_named_person(workflow: Workflow) -> None:
    sub = await workflow.submit(
        category="teacher-conduct", complaint_type=ComplaintType.misconduct, named_person="legal.a"
    )
    case = await eventually(lambda: case_of(workflow, sub.submission_id), what="case opened")
    assert case["priority"] == "high"
    assert case["assignee"] == "legal.head"
    assert "legal.a" in case["excluded_assignees"]
    named = await workflow.login("legal.a")
    listed = await workflow.http.get("/v1/cases", headers=named)
    assert case["_id"] not in {c["case_id"] for c in listed.json()["cases"]}
    hidden = await workflow.http.get(f"/v1/cases/{case['_id']}", headers=named)
    assert hidden.status_code == 404
    head = await workflow.login("legal.head")
    r = await workflow.http.post(
        f"/v1/cases/{case['_id']}/commands/assign", json={"assignee": "legal.a"}, headers=head
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "conflict_of_interest"


async def test_staff_walk_a_case_to_resolved_and_illegal_commands_are_409(
    workflow: Workflow,
) -> None:
    sub = await workflow.submit()
    case = await eventually(lambda: case_of(workflow, sub.submission_id), what="case opened")
    auth = await workflow.login(case["assignee"])
    url = f"/v1/cases/{case['_id']}/commands"
    refused = await workflow.http.post(f"{url}/resolve", json={"public_answer": "x"}, headers=auth)
    assert refused.status_code == 409
    assert refused.json()["error"]["details"] == {"state": "assigned", "command": "resolve"}
    assert (await workflow.http.post(f"{url}/start", json={}, headers=auth)).status_code == 200
    missing = await workflow.http.post(f"{url}/resolve", json={}, headers=auth)
    assert (
        missing.status_code == 422
        and missing.json()["error"]["details"]["field"] == "public_answer"
    )
    done = await workflow.http.post(
        f"{url}/resolve", json={"public_answer": "ส่งหนังสือรับรองทางไปรษณีย์แล้ว"}, headers=auth
    )
    assert done.status_code == 200
    body = done.json()
    assert body["status"] == "resolved" and body["public_answer"].startswith("ส่งหนังสือ")
    assert [t["command"] for t in body["timeline"]] == [
        "open",
        "triage",
        "assign",
        "start",
        "resolve",
    ]
    resolution = next(c for c in body["clocks"] if c["clock"] == "resolution")
    assert resolution["stopped_at"] is not None


async def test_two_concurrent_commands_one_wins_one_409(workflow: Workflow) -> None:
    sub = await workflow.submit()
    case = await eventually(lambda: case_of(workflow, sub.submission_id), what="case opened")
    auth = await workflow.login(case["assignee"])
    url = f"/v1/cases/{case['_id']}/commands/start"
    headers = {**auth, "If-Match": str(case["version"])}
    first, second = await asyncio.gather(
        workflow.http.post(url, json={}, headers=headers),
        workflow.http.post(url, json={}, headers=headers),
    )
    assert sorted([first.status_code, second.status_code]) == [200, 409]


async def test_deadline_scan_reports_each_threshold_once_and_escalates(workflow: Workflow) -> None:
    sub = await workflow.submit()
    case = await eventually(lambda: case_of(workflow, sub.submission_id), what="case opened")
    admin = await workflow.login("admin")
    r = await workflow.http.post("/v1/admin/clock", json={"seconds": 40 * 86400}, headers=admin)
    assert r.status_code == 200
    first = await workflow.http.post("/v1/admin/scan", headers=admin)
    second = await workflow.http.post("/v1/admin/scan", headers=admin)
    assert first.json()["emitted"] > 0 and second.json()["emitted"] == 0
    records = await read_topic(
        workflow.kafka.bootstrap_servers,
        workflow.kafka.topic_prefix + topics.CASES,
        5 + first.json()["emitted"],
    )
    events = [parse_event(r.value) for r in records]
    breaches = [e.data for e in events if e.type.endswith("sla_breached.v1")]
    warnings = [e.data for e in events if e.type.endswith("sla_warning.v1")]
    # acknowledge was met by the assignment; first response and resolution were not.
    assert sorted(b.clock for b in breaches) == ["first_response", "resolution"]
    assert all(b.escalated_to == "admin.head" for b in breaches)
    assert sorted((w.clock, w.threshold_percent) for w in warnings) == [
        ("first_response", 50),
        ("first_response", 75),
        ("resolution", 50),
        ("resolution", 75),
    ]
    assert all(e.subject == case["_id"] for e in events)


async def test_events_committed_but_not_yet_published_survive_a_crash(workflow: Workflow) -> None:
    from shared.infra.outbox import OutboxRelay

    await workflow.ctx.relay.stop()  # the process "dies" after its commits, before relaying
    sub = await workflow.submit()
    await eventually(lambda: case_of(workflow, sub.submission_id), what="case opened")
    assert await workflow.ctx.store.outbox.pending_count() == 5  # events, in one row
    # A new process starts its relay: everything committed is published, in order.
    relay = OutboxRelay(workflow.ctx.store.outbox, workflow.publisher, name="workflow-outbox")
    relay.start()
    try:
        records = await read_topic(
            workflow.kafka.bootstrap_servers, workflow.kafka.topic_prefix + topics.CASES, 5
        )
        assert parse_event(records[0].value).type.endswith("case.opened.v1")
        await eventually(lambda: _drained(workflow), what="outbox drained")
    finally:
        await relay.stop()


async def _drained(wf: Workflow) -> bool:
    return await wf.ctx.store.outbox.pending_count() == 0
