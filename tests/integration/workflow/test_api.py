"""The staff API's queues and filters, admin policies and metrics, on the real servers.
(Public tracking and its PIN lock-out are intake's: `tests/integration/intake/test_tracking.py`.)"""

from __future__ import annotations

import re
from typing import Any

from services.workflow.handlers.submissions import case_id_for
from services.workflow.metrics import refresh
from shared.contract.events import Kind
from tests.integration.workflow.conftest import Workflow
from tests.support import eventually


async def opened(wf: Workflow, submission_id: str) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        return await wf.ctx.store.cases.find_one({"_id": case_id_for(submission_id)})

    return await eventually(probe, what="case opened")


async def test_queue_filters_and_cursor_pages(workflow: Workflow) -> None:
    subs = [
        await workflow.submit(
            subject=f"เรื่องที่ {i}",
            kind=Kind.question if i % 2 else Kind.complaint,
            complaint_type=None if i % 2 else "service",
        )
        for i in range(5)
    ]
    for s in subs:
        await opened(workflow, s.submission_id)
    head = await workflow.login("admin.head")
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await workflow.http.get("/v1/cases", params=params, headers=head)).json()
        seen += [c["case_id"] for c in page["cases"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 5 and len(set(seen)) == 5
    questions = (
        await workflow.http.get("/v1/cases", params={"kind": "question"}, headers=head)
    ).json()
    assert len(questions["cases"]) == 2
    found = (await workflow.http.get("/v1/cases", params={"text": "ที่ 3"}, headers=head)).json()
    assert [c["subject"] for c in found["cases"]] == ["เรื่องที่ 3"]
    other_unit = await workflow.login("finance.head")
    assert (await workflow.http.get("/v1/cases", headers=other_unit)).json()["cases"] == []


async def test_sla_policies_are_admin_only_and_lawful(workflow: Workflow) -> None:
    admin = await workflow.login("admin")
    staff = await workflow.login("admin.a")
    current = (await workflow.http.get("/v1/admin/sla", headers=admin)).json()
    assert current["default"]["resolution"] == 15
    assert (
        await workflow.http.put("/v1/admin/sla", json=current, headers=staff)
    ).status_code == 403
    unlawful = {
        **current,
        "default": {**current["default"], "first_response": 20, "resolution": 30},
    }
    r = await workflow.http.put("/v1/admin/sla", json=unlawful, headers=admin)
    assert r.status_code == 422


async def test_metrics_expose_workflow_figures(workflow: Workflow) -> None:
    sub = await workflow.submit()
    await opened(workflow, sub.submission_id)
    text = (await workflow.http.get("/metrics")).text
    assert "siang_submission_to_case_seconds_count 1.0" in text
    assert (
        'siang_events_consumed_total{outcome="ok",type="th.go.siang.submission.received.v1"}'
        in text
    )


async def test_the_open_cases_gauge_counts_every_open_status_and_no_closed_case(
    workflow: Workflow,
) -> None:
    ctx = workflow.ctx
    subs = [await workflow.submit() for _ in range(3)]
    ids = [case_id_for(s.submission_id) for s in subs]
    for sub in subs:
        await opened(workflow, sub.submission_id)
    unit = (await ctx.store.get(ids[0]))["unit"]
    await ctx.store.cases.update_one({"_id": ids[1]}, {"$set": {"status": "resolved"}})
    await ctx.store.cases.update_one({"_id": ids[2]}, {"$set": {"status": "closed"}})
    await refresh(ctx.store, ctx.metrics)
    text = (await workflow.http.get("/metrics")).text
    gauges = {
        found.group(1): float(found.group(2))
        for line in text.splitlines()
        if (found := re.match(rf'siang_open_cases{{status="(\w+)",unit="{unit}"}} (\S+)', line))
    }
    assert gauges["resolved"] == 1.0 and "closed" not in gauges
    assert sum(gauges.values()) == 2.0  # the two not closed
