"""What the access test needs of a case's files: a case sent on the public web form with a
photo and a place, assigned to the matrix's member of staff (the files open for the
assignee only, not the unit's other staff), and the id of its photo; and what the
staff-keyed entry rows send (a phone call, keyed in through intake's API or the console)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from services.workflow.handlers.submissions import case_id_for
from shared.infra.mongo import Document
from tests.support import eventually, png

if TYPE_CHECKING:
    from tests.integration.access.office import Office

PHOTO = png()
WEB_FORM = {
    "kind": "complaint",
    "complaint_type": "service",
    "category": "documents",
    "subject": "ป้ายหน้าสำนักงานชำรุด",
    "description": "ป้ายบอกทางหน้าสำนักงานหักลงมา เกรงว่าจะเป็นอันตราย",
    "location.text": "หน้าสำนักงานเขต ถนนมิตรภาพ",
}
# A phone call as a member of staff keys it in (no letter: nothing but the form's fields).
PHONE_ENTRY = {
    "channel": "phone",
    "kind": "question",
    "category": "documents",
    "subject": "สอบถามการขอหนังสือรับรอง",
    "description": "ผู้โทรถามว่าขอหนังสือรับรองได้ที่ใด",
    "contact.phone": "0812345678",
}


async def case_file_fixtures(office: Office, staff_id: str, supervisor_id: str) -> dict[str, Any]:
    """The photo's case, assigned to `staff_id` (by `supervisor_id` if routing chose
    another), and the photo's URL."""
    sent = await office.http["intake"].post(
        "/submit", data=WEB_FORM, files={"attachment1": ("sign.png", PHOTO, "image/png")}
    )
    assert sent.status_code == 200, sent.text
    code = re.search(r"SG-[0-9A-Z-]+", sent.text)
    assert code, sent.text
    cases = office.workflow.store.cases

    async def assigned() -> Document | None:
        doc = await cases.find_one({"tracking_code": code[0]})
        return doc if doc and doc.get("status") == "assigned" else None

    doc = await eventually(assigned, timeout=60, what=f"case {code[0]} opened and assigned")
    case_id = str(doc["_id"])
    assert case_id == case_id_for(str(doc["submission_id"]))
    workflow = office.http["workflow"]
    if doc.get("assignee") != staff_id:
        r = await workflow.post(
            f"/v1/cases/{case_id}/commands/assign",
            json={"assignee": staff_id},
            headers=await office.bearer(supervisor_id),
        )
        assert r.status_code == 200, r.text
    shown = await workflow.get(f"/v1/cases/{case_id}", headers=await office.bearer(staff_id))
    assert shown.status_code == 200, shown.text
    [photo] = shown.json()["files"]
    return {"case_id": case_id, "photo_url": photo["url"]}
