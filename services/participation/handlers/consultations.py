"""Consultation commands from staff (create, edit the draft, open, close, reopen,
conclude) and from the system (close one past its last day): checked by the lifecycle
table, applied under the version read, their events written to the outbox in the same
transaction."""

from __future__ import annotations

import logging
import uuid

from pymongo.asynchronous.client_session import AsyncClientSession

from services.participation.adapters.consultation_store import (
    StaleVersion,
    consultation_of,
    draft_fields,
    new_consultation,
)
from services.participation.context import ParticipationContext
from services.participation.domain.consultation import ConsultationDraft, check_draft
from services.participation.domain.errors import Forbidden
from services.participation.domain.lifecycle import (
    MANAGERS,
    SYSTEM,
    Actor,
    Command,
    CommandPayload,
    decide,
)
from services.participation.handlers.past_last_day import close_each
from shared.contract.events import ConsultationStatus
from shared.infra.mongo import Document, in_transaction

log = logging.getLogger(__name__)
# When a consultation last reached each status.
_STAMPS = {
    ConsultationStatus.draft: "updated_at",
    ConsultationStatus.open: "opened_at",
    ConsultationStatus.closed: "closed_at",
    ConsultationStatus.concluded: "concluded_at",
}


def new_consultation_id() -> str:
    return f"cn-{uuid.uuid4().hex[:16]}"


async def create(ctx: ParticipationContext, draft: ConsultationDraft, actor: Actor) -> Document:
    """A new consultation, as a draft (nothing is published until it opens)."""
    if actor.role not in MANAGERS:
        raise Forbidden(actor.role, "create a consultation")
    check_draft(draft, await ctx.plans.get(draft.fiscal_year), ctx.groups)
    doc = new_consultation(new_consultation_id(), draft, actor.id, actor.role.value, ctx.now())
    await ctx.consultations.insert(doc)
    return doc


async def edit(
    ctx: ParticipationContext,
    consultation_id: str,
    draft: ConsultationDraft,
    actor: Actor,
    expected_version: int | None = None,
) -> Document:
    """Replace a draft's fields (only a draft: once open, people are answering it)."""
    plan = await ctx.plans.get(draft.fiscal_year)

    async def work(session: AsyncClientSession) -> Document:
        doc = await _read(ctx, consultation_id, expected_version, session)
        decision = decide(
            consultation_of(doc), Command.edit, actor, CommandPayload(), ctx.now(), ctx.today()
        )
        check_draft(draft, plan, ctx.groups, "edit a consultation")
        changes = {**draft_fields(draft), "updated_at": ctx.now()}
        timeline = decision.timeline.model_dump(mode="json") | {"at": decision.timeline.at}
        return await ctx.consultations.update(doc, changes, timeline, [], session)

    return await in_transaction(ctx.client, work)


async def run_command(
    ctx: ParticipationContext,
    consultation_id: str,
    command: Command,
    actor: Actor,
    payload: CommandPayload,
    expected_version: int | None = None,
) -> Document:
    """Apply a lifecycle command; returns the consultation after it. Raises the
    lifecycle's typed errors, `NotFound`, or `StaleVersion`."""

    async def work(session: AsyncClientSession) -> tuple[Document, ConsultationStatus]:
        doc = await _read(ctx, consultation_id, expected_version, session)
        now = ctx.now()
        decision = decide(consultation_of(doc), command, actor, payload, now, ctx.today())
        after = decision.consultation
        changes: Document = {
            "status": after.status.value,
            "closes_on": after.closes_on.isoformat(),
            "summary": after.summary,
            "updated_at": now,
            _STAMPS[after.status]: now,
        }
        timeline = decision.timeline.model_dump(mode="json") | {"at": now}
        events = [ctx.envelope(consultation_id, data) for data in decision.events]
        updated = await ctx.consultations.update(doc, changes, timeline, events, session)
        return updated, decision.timeline.from_status

    result, before = await in_transaction(ctx.client, work)
    ctx.relay.wake()
    ctx.metrics.transitions.labels(command.value, before.value, result["status"]).inc()
    return result


async def close_past_last_day(ctx: ParticipationContext) -> int:
    """Close every open consultation whose last day has passed; returns how many."""
    reason = CommandPayload(reason="the last day for opinions has passed")
    return await close_each(
        await ctx.consultations.open_past(ctx.today().isoformat()),
        lambda cid: run_command(ctx, cid, Command.close, SYSTEM, reason),
        "consultations",
    )


async def _read(
    ctx: ParticipationContext,
    consultation_id: str,
    expected_version: int | None,
    session: AsyncClientSession,
) -> Document:
    doc = await ctx.consultations.get(consultation_id, session)
    if expected_version is not None and doc["version"] != expected_version:
        raise StaleVersion(consultation_id)
    return doc
