"""survey.answered → the answer is kept on the case (the first one: intake takes one per
case), where the staff console shows it; and when the complainant says the issue is not
solved, within the window after resolution (14 days by default), the case is reopened by
the system — subject to the lifecycle's limit on reopenings. Applied once per survey
event."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from services.workflow.adapters.case_store import CaseNotFound
from services.workflow.context import WorkflowContext
from services.workflow.domain.errors import DomainError
from services.workflow.domain.lifecycle import Actor, Command, CommandPayload, Role
from services.workflow.handlers.commands import apply_decision
from shared.contract.events import CloudEvent, SurveyAnswered
from shared.infra.mongo import in_transaction

log = logging.getLogger(__name__)
SURVEY = Actor(id="survey", role=Role.system)
#: Why the survey reopened a case. Cases reopened before carry the comment after it, which
#: an erasure takes away (`handlers/privacy.py`).
NOT_SOLVED = "ผู้ร้องแจ้งว่ายังไม่ได้รับการแก้ไข / the complainant says it is not solved"


async def on_survey_answered(
    ctx: WorkflowContext, event: CloudEvent[Any], reopen_window: timedelta
) -> bool:
    """Reopen the case if the answer says "not solved" in time; True when reopened."""
    answer: SurveyAnswered = event.data

    async def work(session: AsyncClientSession) -> bool:
        if not await ctx.processed.record(event.id, session):
            return False
        try:
            doc = await ctx.store.get(answer.case_id, session)
        except CaseNotFound:
            log.warning("survey for unknown case %s", answer.case_id)
            return False
        # Kept beside the case, not as a lifecycle step: its version stays, so a command
        # a member of staff is sending meanwhile is not refused as stale.
        kept = answer.model_dump(mode="python", exclude={"case_id"})
        if doc.get("personal_data_erased_at") is not None and kept.get("comment"):
            # Answered after the complainant's data was erased: the score counts, the
            # free text (which may name people) is not kept with it.
            kept.update(comment=None, comment_erased=True)
        await ctx.store.keep_survey(doc["_id"], kept, session)
        if answer.solved:
            return False
        resolved_at = doc.get("resolved_at")
        if resolved_at is None or answer.answered_at - resolved_at > reopen_window:
            return False
        # The comment stays out of the reason: it is on the case (the survey), where an
        # erasure blanks it, not in the timeline and the `case.reopened` event.
        try:
            await apply_decision(
                ctx, doc, Command.reopen, SURVEY, CommandPayload(reason=NOT_SOLVED), session
            )
        except DomainError as exc:
            # Too many reopenings, or closed for another reason: the answer still counts
            # in the reports, the case stays as it is.
            log.info("survey did not reopen %s: %s", answer.case_id, exc)
            return False
        return True

    reopened = await in_transaction(ctx.client, work)
    if reopened:
        ctx.relay.wake()
    return reopened
