"""The complainant's contact on the real servers: only in the personal-data store, shown
on a case's detail to staff who may see the case (as the consent allows), every such read
logged in `personal_data_reads`, never in lists; the duplicate hint still finds the same
phone, read from the store."""

from __future__ import annotations

from typing import Any

from services.workflow.handlers.submissions import case_id_for
from shared.contract.events import ComplaintType, Consent, Contact
from shared.infra.personal_data import READS
from tests.integration.workflow.conftest import Workflow
from tests.support import eventually

SOMSRI = Contact(name="สมศรี ใจงาม", phone="+66891234567", email="somsri.jai@example.org")


async def opened(wf: Workflow, submission_id: str) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        return await wf.ctx.store.cases.find_one({"_id": case_id_for(submission_id)})

    return await eventually(probe, what="case opened")


async def reads_of(wf: Workflow, case_id: str) -> list[dict[str, Any]]:
    db = wf.ctx.store.cases.database
    return [d async for d in db[READS].find({"about": case_id}, {"_id": 0})]


async def test_an_allowed_member_of_staff_sees_the_contact_and_the_read_is_logged(
    workflow: Workflow,
) -> None:
    sub = await workflow.submit(contact=SOMSRI, consent=Consent(contact_me=True))
    case = await opened(workflow, sub.submission_id)
    # The case keeps the reference only; the contact is nowhere in it.
    assert case["person_id"] == sub.person_id
    assert "somsri" not in repr(case) and "891234567" not in repr(case)

    head = await workflow.login("admin.head")
    detail = (await workflow.http.get(f"/v1/cases/{case['_id']}", headers=head)).json()
    # Their name stays with them: they did not agree to share it with the unit.
    assert detail["contact"] == {"phone": "+66891234567", "email": "somsri.jai@example.org"}
    [read] = await reads_of(workflow, case["_id"])
    assert (read["person_id"], read["staff_id"], read["about"]) == (
        sub.person_id,
        "admin.head",
        case["_id"],
    )
    assert read["purpose"] == "case detail (API)"

    # Lists never show a contact, and are not logged as reads.
    listed = (await workflow.http.get("/v1/cases", headers=head)).text
    assert "somsri" not in listed and "891234567" not in listed
    assert len(await reads_of(workflow, case["_id"])) == 1
    names = await workflow.ctx.store.cases.database.list_collection_names()
    assert "complainants" not in names


async def test_the_name_is_shown_only_with_consent_to_share_it(workflow: Workflow) -> None:
    sharing = await workflow.submit(
        contact=SOMSRI, consent=Consent(contact_me=True, share_name_with_unit=True)
    )
    silent = await workflow.submit(contact=SOMSRI, consent=Consent(contact_me=False))
    head = await workflow.login("admin.head")
    shared_case = await opened(workflow, sharing.submission_id)
    silent_case = await opened(workflow, silent.submission_id)
    shown = (await workflow.http.get(f"/v1/cases/{shared_case['_id']}", headers=head)).json()
    assert shown["contact"]["name"] == "สมศรี ใจงาม"
    # Not to be contacted: nothing shown, so nothing read.
    hidden = (await workflow.http.get(f"/v1/cases/{silent_case['_id']}", headers=head)).json()
    assert hidden["contact"] is None
    assert await reads_of(workflow, silent_case["_id"]) == []


async def test_the_person_a_misconduct_complaint_names_reads_nothing(workflow: Workflow) -> None:
    sub = await workflow.submit(
        contact=SOMSRI,
        consent=Consent(contact_me=True, share_name_with_unit=True),
        complaint_type=ComplaintType.misconduct,
        named_person="admin.a",
    )
    case = await opened(workflow, sub.submission_id)
    named = await workflow.login("admin.a")
    r = await workflow.http.get(f"/v1/cases/{case['_id']}", headers=named)
    assert r.status_code == 404 and "somsri" not in r.text
    assert await reads_of(workflow, case["_id"]) == []


async def test_the_same_phone_again_is_hinted_as_a_duplicate(workflow: Workflow) -> None:
    first = await workflow.submit(contact=Contact(phone="081-234-5678"))
    first_case = await opened(workflow, first.submission_id)
    again = await workflow.submit(contact=Contact(phone="+66812345678", email="other@example.org"))
    later = await opened(workflow, again.submission_id)
    assert later["duplicate_hint"] == first_case["_id"]
    assert "812345678" not in repr(later)
