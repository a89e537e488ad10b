"""The complainant's contact on a case page: read from the personal-data store for one
member of staff, the read logged with who and why (`PersonalData.read_for`), and shown
as their consent allows (`services/workflow/domain/disclosure.py`).

The caller has already checked that the staff member may see the case at all (their
unit's, never one naming them), so a shielded person never reaches a read."""

from __future__ import annotations

from services.workflow.context import WorkflowContext
from services.workflow.domain.disclosure import may_read_contact, staff_view
from shared.contract.events import Consent
from shared.infra.auth import Principal
from shared.infra.mongo import Document
from shared.infra.personal_data import Reader


async def contact_for_staff(
    ctx: WorkflowContext, doc: Document, caller: Principal, purpose: str
) -> dict[str, str] | None:
    """What of the contact of case `doc` `caller` may see, read for `purpose`."""
    person_id = doc.get("person_id")
    consent = Consent.model_validate(doc.get("consent") or {})
    if not person_id or not may_read_contact(consent):
        return None
    found = await ctx.store.people.read_for(
        Reader(staff_id=caller.id, purpose=purpose), [person_id], about=doc["_id"]
    )
    return staff_view(found.get(person_id), consent)
