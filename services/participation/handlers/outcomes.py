"""Outcomes ("you said, we did"): recorded against a consultation and, if staff choose,
some of its opinions; then moved along their status table. Each write carries its event
to the outbox in the same transaction."""

from __future__ import annotations

import uuid

from pymongo.asynchronous.client_session import AsyncClientSession

from services.participation.adapters.consultation_store import StaleVersion, consultation_of
from services.participation.adapters.outcome_store import (
    history_entry,
    new_outcome,
    outcome_fields,
    outcome_of,
)
from services.participation.context import ParticipationContext
from services.participation.domain.errors import ConflictingField, Forbidden, NotFound
from services.participation.domain.lifecycle import MANAGERS, Actor
from services.participation.domain.outcomes import (
    Outcome,
    OutcomeChange,
    OutcomeDraft,
    apply_change,
    check_new,
)
from shared.contract.events import OutcomeRecorded, OutcomeUpdated
from shared.infra.mongo import Document, in_transaction

RECORD = "record an outcome"


async def record(ctx: ParticipationContext, draft: OutcomeDraft, actor: Actor) -> Document:
    if actor.role not in MANAGERS:
        raise Forbidden(actor.role, RECORD)

    async def work(session: AsyncClientSession) -> Document:
        try:
            found = await ctx.consultations.get(draft.consultation_id, session)
        except NotFound:
            raise ConflictingField(RECORD, "consultation_id", "is not a consultation") from None
        consultation = consultation_of(found)
        checked = check_new(draft, consultation.status, ctx.units(), ctx.today())
        wanted = set(checked.opinion_ids)
        if wanted:
            present = await ctx.consultations.opinions_in(
                consultation.consultation_id, sorted(wanted), session
            )
            missing = sorted(wanted - present)
            if missing:
                raise ConflictingField(
                    RECORD, "opinion_ids", f"name opinions not given on it: {', '.join(missing)}"
                )
        outcome = Outcome(
            **checked.model_dump(),
            outcome_id=f"oc-{uuid.uuid4().hex[:16]}",
            fiscal_year=consultation.fiscal_year,
            mission_item=consultation.mission_item,
        )
        doc = new_outcome(outcome, actor.id, ctx.now())
        event = OutcomeRecorded(
            outcome_id=outcome.outcome_id,
            consultation_id=outcome.consultation_id,
            fiscal_year=outcome.fiscal_year,
            mission_item=outcome.mission_item,
            owner_unit=outcome.owner_unit,
            status=outcome.status,
            due_on=outcome.due_on,
            done_on=outcome.done_on,
            published=outcome.published,
            opinions=len(outcome.opinion_ids),
            you_said_th=outcome.you_said_th,
            you_said_en=outcome.you_said_en,
            we_did_th=outcome.we_did_th,
            we_did_en=outcome.we_did_en,
            reason=outcome.reason,
            actor=actor.id,
        )
        await ctx.outcomes.insert(doc, [ctx.envelope(outcome.consultation_id, event)], session)
        return doc

    doc = await in_transaction(ctx.client, work)
    ctx.relay.wake()
    ctx.metrics.outcomes.labels(doc["status"]).inc()
    return doc


async def change(
    ctx: ParticipationContext,
    outcome_id: str,
    body: OutcomeChange,
    actor: Actor,
    expected_version: int | None = None,
) -> Document:
    if actor.role not in MANAGERS:
        raise Forbidden(actor.role, "update an outcome")

    async def work(session: AsyncClientSession) -> Document:
        doc = await ctx.outcomes.get(outcome_id, session)
        if expected_version is not None and doc["version"] != expected_version:
            raise StaleVersion(outcome_id)
        before = outcome_of(doc)
        after = apply_change(before, body, ctx.today())
        now = ctx.now()
        changes = {**outcome_fields(after), "updated_at": now}
        event = OutcomeUpdated(
            outcome_id=outcome_id,
            consultation_id=after.consultation_id,
            fiscal_year=after.fiscal_year,
            mission_item=after.mission_item,
            from_status=before.status,
            to_status=after.status,
            reason=after.reason,
            due_on=after.due_on,
            done_on=after.done_on,
            published=after.published,
            we_did_th=after.we_did_th,
            we_did_en=after.we_did_en,
            actor=actor.id,
        )
        history = history_entry(actor.id, now, before, after)
        envelope = ctx.envelope(after.consultation_id, event)
        return await ctx.outcomes.update(doc, changes, history, [envelope], session)

    doc = await in_transaction(ctx.client, work)
    ctx.relay.wake()
    ctx.metrics.outcomes.labels(doc["status"]).inc()
    return doc
