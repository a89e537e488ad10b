"""submission.follow_up and submission.withdrawn → the complainant's commands on their
case (`add_info`, `withdraw` in the lifecycle table), each applied once: the processed-
event record, the case, its event store and the outbox in one transaction.

Intake checked the code and PIN (or the reply mail's sender) and refused a closed case
before publishing, but a case may close between that check and this one. Then nothing
the person sent is dropped: their words go on the case as an internal note for staff,
without a notice (the case is over; a public "message" would read as the office's).

A follow-up or withdrawal for a submission without a case (an opinion on a consultation,
which opens none) can never be applied: it is a dead letter with the reason."""

from __future__ import annotations

import logging
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from services.workflow.adapters.case_store import CaseNotFound
from services.workflow.context import WorkflowContext
from services.workflow.domain.errors import IllegalTransition
from services.workflow.domain.lifecycle import Actor, Command, CommandPayload, Role
from services.workflow.handlers.commands import apply_decision
from services.workflow.handlers.submissions import case_id_for
from shared.contract.events import CloudEvent, SubmissionFollowUp, SubmissionWithdrawn, Visibility
from shared.infra.kafka import Rejected
from shared.infra.mongo import Document, in_transaction

log = logging.getLogger(__name__)

COMPLAINANT = Actor(id="complainant", role=Role.complainant)
# Who writes the note when a follow-up or withdrawal reaches a case that can no longer
# take it.
LATE = Actor(id="complainant-late", role=Role.system)

FROM_COMPLAINANT = (SubmissionFollowUp, SubmissionWithdrawn)


def is_from_complainant(event: CloudEvent[Any]) -> bool:
    return isinstance(event.data, FROM_COMPLAINANT)


async def apply_from_complainant(ctx: WorkflowContext, event: CloudEvent[Any]) -> bool:
    """Apply one follow-up or withdrawal to its case; False when it was applied before.
    `Rejected` when its submission has no case."""
    data: SubmissionFollowUp | SubmissionWithdrawn = event.data
    case_id = case_id_for(data.submission_id)

    async def work(session: AsyncClientSession) -> bool:
        if not await ctx.processed.record(event.id, session):
            return False
        try:
            doc = await ctx.store.get(case_id, session)
        except CaseNotFound:
            raise Rejected(f"{event.type}: submission {data.submission_id} has no case") from None
        if isinstance(data, SubmissionFollowUp):
            await _add_info(ctx, doc, data, session)
        else:
            await _withdraw(ctx, doc, data, session)
        return True

    applied = await in_transaction(ctx.client, work)
    if applied:
        ctx.relay.wake()
        log.info("%s applied to case %s", event.type, case_id, extra={"case_id": case_id})
    return applied


async def _add_info(
    ctx: WorkflowContext, doc: Document, data: SubmissionFollowUp, session: AsyncClientSession
) -> None:
    payload = CommandPayload(
        text=data.text,
        follow_up_id=data.follow_up_id,
        attachments=tuple(data.attachments),
        channel=data.channel,
    )
    try:
        await apply_decision(ctx, doc, Command.add_info, COMPLAINANT, payload, session)
    except IllegalTransition:
        files = f" ({len(data.attachments)} files)" if data.attachments else ""
        note = (
            f"ผู้ร้องส่งข้อมูลเพิ่มเติมหลังปิดเรื่อง / the complainant added information "
            f"after the case closed{files}: {data.text}"
        )
        await _late_note(ctx, doc, note, session)


async def _withdraw(
    ctx: WorkflowContext, doc: Document, data: SubmissionWithdrawn, session: AsyncClientSession
) -> None:
    try:
        await apply_decision(
            ctx, doc, Command.withdraw, COMPLAINANT, CommandPayload(reason=data.reason), session
        )
    except IllegalTransition:
        reason = f": {data.reason}" if data.reason else ""
        note = (
            f"ผู้ร้องขอถอนเรื่องขณะที่เรื่องอยู่ในสถานะ {doc['status']} / the complainant asked "
            f"to withdraw while the case was {doc['status']}{reason}"
        )
        await _late_note(ctx, doc, note, session)


async def _late_note(
    ctx: WorkflowContext, doc: Document, note: str, session: AsyncClientSession
) -> None:
    payload = CommandPayload(text=note[:5000], visibility=Visibility.internal)
    await apply_decision(ctx, doc, Command.comment, LATE, payload, session)
