"""The privacy commands on the real servers: an admin erases the person behind a
tracking code (the store, the case's contact keys, a LINE photo, the request recorded,
`case.personal_data_erased` in the event store and outbox), asking again erases nothing,
an unknown code is 404; the right-of-access export and its read log; the retention job
erases only the people whose cases were closed longer ago than their kind is kept; an
erasure blanks the survey comment (the case's and intake's copy) and keeps the score, and
the case page says so, and why it was erased, in Thai and English; an answer that comes
after the erasure is kept without its comment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from gridfs import AsyncGridFSBucket

from services.workflow.handlers.privacy import retention_once
from shared.contract.events import Consent, Contact, Kind, SurveyAnswered, make_event
from shared.infra.event_store import stored_events
from shared.infra.personal_data import PEOPLE, READS
from tests.integration.workflow.conftest import Workflow
from tests.integration.workflow.test_case_page import shown, sign_in
from tests.integration.workflow.test_complainant_contact import opened
from tests.integration.workflow.test_survey_reopen import resolved_case
from tests.support import eventually

COMMENT = "คุณสมปองที่ห้องธุรการบอกให้กลับไปก่อน ยังไม่มีใครโทรมา"
SOMCHAI = Contact(name="สมชาย ใจดี", phone="+66812223333", email="somchai.jaidee@example.org")


async def _erase(wf: Workflow, headers: dict[str, str], **body: Any) -> Any:
    return await wf.http.post("/v1/admin/erasures", json=body, headers=headers)


async def test_erasure_by_tracking_code_removes_the_person_and_is_recorded(
    workflow: Workflow,
) -> None:
    sub = await workflow.submit(contact=SOMCHAI, consent=Consent(contact_me=True))
    case = await opened(workflow, sub.submission_id)
    assert case.get("contact_keys")
    db = workflow.ctx.store.cases.database
    bucket = AsyncGridFSBucket(db, bucket_name="attachments")
    await bucket.upload_from_stream(
        "photo.jpg",
        b"\xff\xd8\xff photo",
        metadata={"submission_id": sub.submission_id, "person_id": sub.person_id},
    )
    admin = await workflow.login("admin")

    r = await _erase(
        workflow, admin, tracking_code=sub.tracking_code, legal_basis="consent_withdrawn"
    )
    assert r.status_code == 201, r.text
    record = r.json()
    assert record["person_id"] == sub.person_id
    assert record["case_ids"] == [case["_id"]]
    assert (record["requested_by"], record["legal_basis"]) == ("admin", "consent_withdrawn")
    assert record["attachments_deleted"] == 1 and record["repeated"] is False

    assert await db[PEOPLE].count_documents({"_id": sub.person_id}) == 0
    after = await workflow.ctx.store.get(case["_id"])
    assert "contact_keys" not in after and after["personal_data_erased_at"] is not None
    assert after["timeline"][-1]["command"] == "erase_personal_data"
    assert await db["attachments.files"].count_documents({"metadata.person_id": sub.person_id}) == 0
    stored = await workflow.ctx.store.events.find_one(
        {"case_id": case["_id"], "types": "th.go.siang.case.personal_data_erased.v1"}
    )
    assert stored is not None
    data = stored_events(stored)[0]["data"]
    assert data == {
        "case_id": case["_id"],
        "person_id": sub.person_id,
        "erasure_id": record["erasure_id"],
        "legal_basis": "consent_withdrawn",
    }
    listed = (await workflow.http.get("/v1/admin/erasures", headers=admin)).json()
    assert record["erasure_id"] in [e["erasure_id"] for e in listed]

    # Again: the earlier erasure, marked repeated; no second record, no second event.
    again = await _erase(
        workflow, admin, tracking_code=sub.tracking_code, legal_basis="other", note="x"
    )
    assert again.status_code == 200, again.text
    assert again.json()["erasure_id"] == record["erasure_id"] and again.json()["repeated"]
    assert await db["erasure_requests"].count_documents({"person_id": sub.person_id}) == 1
    assert (
        await workflow.ctx.store.events.count_documents(
            {"case_id": case["_id"], "types": "th.go.siang.case.personal_data_erased.v1"}
        )
        == 1
    )


async def test_refusals(workflow: Workflow) -> None:
    admin = await workflow.login("admin")
    unknown = await _erase(workflow, admin, tracking_code="SG-0000-0000", legal_basis="retention")
    assert unknown.status_code == 404, unknown.text
    sub = await workflow.submit(contact=SOMCHAI)
    await opened(workflow, sub.submission_id)
    no_note = await _erase(workflow, admin, tracking_code=sub.tracking_code, legal_basis="other")
    assert no_note.status_code == 422, no_note.text
    # Who asks comes from the session, never from the body.
    smuggled = await _erase(
        workflow, admin, tracking_code=sub.tracking_code, legal_basis="retention", requested_by="x"
    )
    assert smuggled.status_code == 422
    supervisor = await workflow.login("admin.head")
    refused = await _erase(
        workflow, supervisor, tracking_code=sub.tracking_code, legal_basis="retention"
    )
    assert refused.status_code == 403
    assert (await workflow.http.get("/v1/admin/erasures")).status_code == 401


async def test_the_export_holds_everything_and_is_logged(workflow: Workflow) -> None:
    sub = await workflow.submit(contact=SOMCHAI, consent=Consent(contact_me=True))
    case = await opened(workflow, sub.submission_id)
    admin = await workflow.login("admin")
    r = await workflow.http.get(
        "/v1/admin/people/export", params={"tracking_code": sub.tracking_code}, headers=admin
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["person_id"] == sub.person_id
    assert body["personal_data"]["contact"]["email"] == SOMCHAI.email
    [exported] = body["cases"]
    assert exported["case_id"] == case["_id"] and exported["tracking_code"] == sub.tracking_code
    assert exported["subject"] == sub.subject
    assert all(e["visibility"] == "public" for e in exported["timeline"])
    assert [(x["staff_id"], x["purpose"]) for x in body["reads"]] == [
        ("admin", "right of access export")
    ]
    db = workflow.ctx.store.cases.database
    assert await db[READS].count_documents({"person_id": sub.person_id}) == 1


async def _closed(wf: Workflow, kind: Kind, days_ago: int) -> tuple[str, str]:
    sub = await wf.submit(
        contact=SOMCHAI, kind=kind, complaint_type=None if kind is not Kind.complaint else "service"
    )
    case = await opened(wf, sub.submission_id)
    closed_at = wf.ctx.clock.now() - timedelta(days=days_ago)
    await wf.ctx.store.cases.update_one(
        {"_id": case["_id"]},
        {"$set": {"status": "closed", "closed_at": closed_at, "close_reason": "resolved"}},
    )
    assert sub.person_id is not None
    return case["_id"], sub.person_id


async def test_retention_erases_only_what_is_due(workflow: Workflow) -> None:
    old_complaint = await _closed(workflow, Kind.complaint, 3660)
    young_complaint = await _closed(workflow, Kind.complaint, 3000)
    old_question = await _closed(workflow, Kind.question, 800)
    young_question = await _closed(workflow, Kind.question, 100)
    settings = workflow.ctx.settings.retention
    while await retention_once(workflow.ctx, settings, batch=1):
        pass
    db = workflow.ctx.store.cases.database
    for case_id, person_id in (old_complaint, old_question):
        assert await db[PEOPLE].count_documents({"_id": person_id}) == 0
        case = await workflow.ctx.store.get(case_id)
        assert case["personal_data_erased_at"] is not None
        record = await db["erasure_requests"].find_one({"person_id": person_id})
        assert record is not None
        assert (record["legal_basis"], record["requested_by"]) == ("retention", "system")
    for case_id, person_id in (young_complaint, young_question):
        assert await db[PEOPLE].count_documents({"_id": person_id}) == 1
        assert "personal_data_erased_at" not in await workflow.ctx.store.get(case_id)


async def test_an_erasure_blanks_the_survey_comment_and_the_page_says_so_in_words(
    workflow: Workflow,
) -> None:
    case_id = await resolved_case(workflow)
    answer = _answer(case_id)
    await workflow.publisher.publish(answer)
    db = workflow.ctx.store.cases.database
    # Intake's copy of the answer, as its survey page keeps it.
    await db["survey_answers"].insert_one(
        {"_id": case_id, **answer.data.model_dump(mode="python"), "event_id": answer.id}
    )

    async def reopened() -> dict[str, Any] | None:
        doc = await workflow.ctx.store.cases.find_one({"_id": case_id, "survey": {"$ne": None}})
        return doc if doc and doc["status"] == "in_progress" else None

    doc = await eventually(reopened, what="survey kept and case reopened")
    assert doc["survey"]["comment"] == COMMENT
    # The reason the survey reopened it names no one: the comment is on the case only.
    assert COMMENT not in str(doc["timeline"]) and COMMENT not in str(
        [d async for d in workflow.ctx.store.events.find({"case_id": case_id})]
    )
    await sign_in(workflow, doc["assignee"])
    assert COMMENT in shown((await workflow.http.get(f"/console/cases/{case_id}")).text)

    admin = await workflow.login("admin")
    r = await _erase(
        workflow, admin, tracking_code=doc["tracking_code"], legal_basis="data_subject_request"
    )
    assert r.status_code == 201, r.text

    after = await workflow.ctx.store.get(case_id)
    assert after["survey"]["comment"] is None and after["survey"]["rating"] == 1
    assert after["survey"]["solved"] is False
    kept = await db["survey_answers"].find_one({"_id": case_id})
    assert kept is not None and kept["comment"] is None and kept["rating"] == 1
    thai = shown((await workflow.http.get(f"/console/cases/{case_id}")).text)
    english = shown((await workflow.http.get(f"/console/cases/{case_id}?lang=en")).text)
    assert COMMENT not in thai and COMMENT not in english
    for words in (
        "1 จาก 5",
        "ลบแล้วพร้อมข้อมูลส่วนบุคคลของผู้ร้อง",
        "ลบข้อมูลส่วนบุคคลแล้ว",
        "ฐานทางกฎหมาย: ผู้ร้องขอให้ลบข้อมูล",
    ):
        assert words in thai, words
    for words in (
        "1 out of 5",
        "Erased with the complainant's personal data",
        "Personal data erased",
        "Legal basis: The complainant asked",
    ):
        assert words in english, words
    assert "data_subject_request" not in thai + english


async def test_a_survey_answered_after_the_erasure_keeps_its_score_not_its_comment(
    workflow: Workflow,
) -> None:
    case_id = await resolved_case(workflow)
    code = (await workflow.ctx.store.get(case_id))["tracking_code"]
    admin = await workflow.login("admin")
    erased = await _erase(workflow, admin, tracking_code=code, legal_basis="consent_withdrawn")
    assert erased.status_code == 201, erased.text
    await workflow.publisher.publish(_answer(case_id))

    async def surveyed() -> dict[str, Any] | None:
        return await workflow.ctx.store.cases.find_one({"_id": case_id, "survey": {"$ne": None}})

    doc = await eventually(surveyed, what="survey kept on the erased case")
    assert doc["survey"]["comment"] is None and doc["survey"]["comment_erased"] is True
    assert doc["survey"]["rating"] == 1 and COMMENT not in str(doc)


def _answer(case_id: str) -> Any:
    """The complainant's "not solved" answer, with a comment naming someone."""
    return make_event(
        SurveyAnswered(
            case_id=case_id, rating=1, solved=False, comment=COMMENT, answered_at=datetime.now(UTC)
        ),
        source="/tests",
        subject=case_id,
    )
