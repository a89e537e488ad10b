"""A "not solved" survey answer after resolution reopens the case, once; a "solved"
answer changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from services.workflow.handlers.submissions import case_id_for
from services.workflow.handlers.surveys import NOT_SOLVED
from shared.contract.events import SurveyAnswered, make_event
from tests.integration.workflow.conftest import Workflow
from tests.support import eventually


async def resolved_case(workflow: Workflow) -> str:
    sub = await workflow.submit()

    async def probe():
        return await workflow.ctx.store.cases.find_one({"_id": case_id_for(sub.submission_id)})

    case = await eventually(probe, what="case opened")
    auth = await workflow.login(case["assignee"])
    url = f"/v1/cases/{case['_id']}/commands"
    await workflow.http.post(f"{url}/start", json={}, headers=auth)
    r = await workflow.http.post(
        f"{url}/resolve", json={"public_answer": "ดำเนินการแล้ว"}, headers=auth
    )
    assert r.json()["status"] == "resolved"
    return str(case["_id"])


def survey(case_id: str, solved: bool):
    data = SurveyAnswered(
        case_id=case_id,
        rating=1 if not solved else 5,
        solved=solved,
        comment="ยังไม่ได้รับ" if not solved else None,
        answered_at=datetime.now(UTC),
    )
    return make_event(data, source="/tests", subject=case_id)


async def test_not_solved_reopens_the_case_once(workflow: Workflow) -> None:
    case_id = await resolved_case(workflow)
    event = survey(case_id, solved=False)
    await workflow.publisher.publish(event)
    await workflow.publisher.publish(event)  # redelivered

    async def reopened():
        doc = await workflow.ctx.store.cases.find_one({"_id": case_id})
        return doc if doc and doc["status"] == "in_progress" else None

    doc = await eventually(reopened, what="case reopened")
    other = await resolved_case(workflow)
    await workflow.publisher.publish(survey(other, solved=True))
    sentinel = await resolved_case(workflow)
    await workflow.publisher.publish(survey(sentinel, solved=False))
    await eventually(
        lambda: _status_is(workflow, sentinel, "in_progress"), what="sentinel reopened"
    )
    doc = await workflow.ctx.store.cases.find_one({"_id": case_id})
    assert doc["reopen_count"] == 1
    # Why, in words; the comment itself is on the case's survey, not in the timeline.
    assert (doc["timeline"][-1]["command"], doc["timeline"][-1]["reason"]) == ("reopen", NOT_SOLVED)
    assert doc["survey"]["comment"] == "ยังไม่ได้รับ"
    assert await _status_is(workflow, other, "resolved")


async def _status_is(workflow: Workflow, case_id: str, status: str) -> bool:
    doc = await workflow.ctx.store.cases.find_one({"_id": case_id})
    return bool(doc and doc["status"] == status)
