"""The privacy commands (PDPA): erase a person, export everything held about them, and
erase those whose cases have been closed longer than their kind is kept.

An erasure is one transaction: the person leaves the personal-data store, each of their
cases is marked `personal_data_erased_at` and loses its contact keys and the comment of
its survey answer, which may name people (with an internal timeline line and a
`case.personal_data_erased` event, in the case's event store and outbox), their LINE
photos leave intake's bucket and their survey comments intake's answers, and the request
is recorded in `erasure_requests`. The events tell notifications to erase its copies."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from services.workflow.adapters.case_store import CaseNotFound
from services.workflow.adapters.erasures import ErasureStore, erasure_document
from services.workflow.context import WorkflowContext
from services.workflow.domain.erasure import check_basis, decide_erasure, free_text_erasure
from services.workflow.domain.errors import DomainError
from services.workflow.domain.retention import RetentionSettings, due_for_retention
from services.workflow.handlers.surveys import NOT_SOLVED
from shared.contract.events import CasePersonalDataErased, LegalBasis
from shared.infra.mongo import Document, in_transaction
from shared.infra.personal_data import Reader

log = logging.getLogger(__name__)

SYSTEM = "system"
EXPORT_PURPOSE = "right of access export"
#: What the export shows of a case: what the person sent and what the public may see.
_CASE_FIELDS = (
    "tracking_code",
    "kind",
    "complaint_type",
    "category",
    "channel",
    "language",
    "subject",
    "description",
    "occurred_on",
    "location",
    "status",
    "unit",
    "received_at",
    "opened_at",
    "closed_at",
    "close_reason",
    "public_answer",
    # Their own answer to the satisfaction survey (rating, solved, comment, when).
    "survey",
    "consent",
    "personal_data_erased_at",
)


class NoPersonalData(DomainError):
    """The case was sent anonymously: there is nobody to erase or export."""

    code = "no_personal_data"


@dataclass(frozen=True, slots=True)
class Requester:
    """Who asks: the signed-in admin (or the retention job)."""

    staff_id: str
    role: str


@dataclass(frozen=True, slots=True)
class Erasure:
    record: Document
    #: The request only repeated an earlier one: nothing was erased now.
    repeated: bool


def erasures_of(ctx: WorkflowContext) -> ErasureStore:
    return ErasureStore(ctx.store.cases.database)


async def person_of(ctx: WorkflowContext, tracking_code: str | None, person_id: str | None) -> str:
    """The person an admin names by a case's tracking code or directly; CaseNotFound if
    neither a case nor the store knows them."""
    if tracking_code is not None:
        case = await ctx.store.by_tracking_code(tracking_code)
        if case is None:
            raise CaseNotFound(tracking_code)
        if not case.get("person_id"):
            raise NoPersonalData(f"case {tracking_code} holds no personal data")
        return str(case["person_id"])
    assert person_id is not None  # the request model wants one of the two
    if not await ctx.store.by_person(person_id) and not await ctx.store.contacts([person_id]):
        raise CaseNotFound(person_id)
    return person_id


async def erase_person(
    ctx: WorkflowContext,
    person_id: str,
    basis: LegalBasis,
    note: str | None,
    requester: Requester,
) -> Erasure:
    """Erase `person_id` (see the module's docstring). Asking again answers the earlier
    request, marked `repeated`, and erases nothing."""
    note = check_basis(basis, note)
    erasures = erasures_of(ctx)
    erasure_id = str(uuid.uuid4())

    async def work(session: AsyncClientSession) -> Document | None:
        now = ctx.clock.now()
        cases = await erasures.cases_of(person_id, session)
        on_file = bool(await ctx.store.contacts([person_id], session))
        decision = decide_erasure(person_id, cases, on_file)
        if decision.repeated:
            return None
        await ctx.store.people.erase([person_id], session)
        for case_id in decision.case_ids:
            doc = await ctx.store.get(case_id, session)
            event = CasePersonalDataErased(
                case_id=case_id, person_id=person_id, erasure_id=erasure_id, legal_basis=basis
            )
            entry = _timeline_entry(now, requester, doc["status"], basis)
            await ctx.store.update(
                doc,
                {"personal_data_erased_at": now},
                entry,
                [ctx.envelope(case_id, event)],
                session,
            )
            await erasures.blank_free_text(case_id, free_text_erasure(doc, NOT_SOLVED), session)
        await erasures.forget_contact_keys(decision.case_ids, session)
        await erasures.blank_survey_comments(decision.case_ids, session)
        photos = await erasures.delete_attachments(
            person_id, [str(c["submission_id"]) for c in cases if c.get("submission_id")], session
        )
        record = erasure_document(
            erasure_id,
            person_id=person_id,
            case_ids=decision.case_ids,
            basis=basis,
            note=note,
            requested_by=requester.staff_id,
            at=now,
            attachments=photos,
        )
        await erasures.record(record, session)
        return record

    record = await in_transaction(ctx.client, work)
    if record is None:
        earlier = await erasures.latest_for(person_id)
        if earlier is None:
            raise CaseNotFound(person_id)
        return Erasure(record=earlier, repeated=True)
    ctx.relay.wake()
    log.info(
        "erased person %s (%s): %d case(s), erasure %s",
        person_id,
        basis.value,
        len(record["case_ids"]),
        erasure_id,
    )
    return Erasure(record=record, repeated=False)


def _timeline_entry(now: datetime, by: Requester, status: str, basis: LegalBasis) -> Document:
    return {
        "at": now,
        "actor": by.staff_id,
        "role": by.role,
        "command": "erase_personal_data",
        "from_status": status,
        "to_status": status,
        "visibility": "internal",
        # The note stays as API readers know it; the case page reads the basis in words.
        "reason": f"personal data erased ({basis.value})",
        "legal_basis": basis.value,
        "public_reason": None,
    }


async def export_person(ctx: WorkflowContext, person_id: str, reader: Reader) -> Document:
    """Everything held about the person (right of access, PDPA section 30): their
    personal-data document, their cases' fields and public timelines, the log of reads
    of their data. The export is itself logged as a read, so it shows in it."""
    cases = [await ctx.store.get(c["_id"]) for c in await ctx.store.by_person(person_id)]
    about = cases[0]["_id"] if cases else None
    await ctx.store.people.read_for(reader, [person_id], about=about)
    held = await ctx.store.people.export(person_id)
    reads = held.pop("reads", []) if held is not None else await _reads(ctx, person_id)
    return {
        "person_id": person_id,
        "personal_data": held,
        "cases": [_case_export(c) for c in cases],
        "reads": reads,
        "erasures": [
            {k: v for k, v in e.items() if k != "person_id"}
            for e in await erasures_of(ctx).for_person(person_id)
        ],
    }


async def _reads(ctx: WorkflowContext, person_id: str) -> list[Document]:
    cursor = ctx.store.people.reads.find({"person_id": person_id}, {"_id": 0}).sort("at", 1)
    return [r async for r in cursor]


def _case_export(doc: Document) -> dict[str, Any]:
    return {
        "case_id": doc["_id"],
        **{k: doc.get(k) for k in _CASE_FIELDS},
        "timeline": [e for e in doc.get("timeline", []) if e.get("visibility") == "public"],
    }


async def retention_once(ctx: WorkflowContext, settings: RetentionSettings, batch: int) -> int:
    """Erase the people of up to `batch` cases whose retention has run out; how many
    people were erased."""
    now = ctx.clock.now()
    erasures = erasures_of(ctx)
    limits = {k.value: at for k, at in settings.closed_before(now).items()}
    due = due_for_retention(await erasures.retained_closed(limits, batch), now, settings)
    system = Requester(staff_id=SYSTEM, role=SYSTEM)
    erased = 0
    for person_id in dict.fromkeys(d.person_id for d in due):
        done = await erase_person(ctx, person_id, LegalBasis.retention, None, system)
        erased += not done.repeated
    return erased
