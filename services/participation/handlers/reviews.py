"""Reviews of performance with stakeholders (measure 2.1): planned against a mission
item, held (participants counted per group), reported (findings, outcomes); each step
checked by the table in `domain/reviews.py` under the version read, its event written
to the outbox in the same transaction."""

from __future__ import annotations

import uuid

from pymongo.asynchronous.client_session import AsyncClientSession

from services.participation.adapters.consultation_store import StaleVersion
from services.participation.adapters.review_store import (
    history_entry,
    new_review,
    review_fields,
    review_of,
)
from services.participation.context import ParticipationContext
from services.participation.domain.errors import ConflictingField, NotFound
from services.participation.domain.lifecycle import Actor
from services.participation.domain.reviews import (
    PLAN,
    Command,
    Decision,
    Held,
    Report,
    ReviewDraft,
    hold,
    plan_review,
    report,
)
from shared.infra.mongo import Document, in_transaction
from shared.thai.fiscal import fiscal_year


async def plan(ctx: ParticipationContext, draft: ReviewDraft, actor: Actor) -> Document:
    mission_plan = await ctx.plans.get(fiscal_year(draft.planned_on))
    review, event = plan_review(f"rv-{uuid.uuid4().hex[:12]}", draft, mission_plan, actor)
    if draft.committee_id is not None:
        try:
            await ctx.committees.get(draft.committee_id)
        except NotFound:
            raise ConflictingField(PLAN, "committee_id", "is not a committee") from None
    doc = new_review(review, actor.id, ctx.now())

    async def work(session: AsyncClientSession) -> Document:
        await ctx.reviews.insert(doc, [ctx.envelope(review.review_id, event)], session)
        return doc

    await in_transaction(ctx.client, work)
    ctx.relay.wake()
    return doc


async def run_command(
    ctx: ParticipationContext,
    review_id: str,
    body: Held | Report,
    actor: Actor,
    expected_version: int | None = None,
) -> Document:
    """Hold (a `Held` body) or report (a `Report`) a review; the review after. Raises the table's typed errors,
    `NotFound`, or `StaleVersion`."""

    async def work(session: AsyncClientSession) -> Document:
        doc = await ctx.reviews.get(review_id, session)
        if expected_version is not None and doc["version"] != expected_version:
            raise StaleVersion(review_id)
        before = review_of(doc)
        decision: Decision
        if isinstance(body, Held):
            decision = hold(before, body, ctx.groups, actor, ctx.today())
        else:
            known = await ctx.outcomes.existing(body.outcome_ids, session)
            decision = report(before, body, known, actor, ctx.today())
        now = ctx.now()
        after = decision.review
        changes = {**review_fields(after), "updated_at": now}
        command = Command.hold if isinstance(body, Held) else Command.report
        history = history_entry(
            actor.id, now, command.value, before.status.value, after.status.value
        )
        envelope = ctx.envelope(review_id, decision.event)
        return await ctx.reviews.update(doc, changes, history, [envelope], session)

    doc = await in_transaction(ctx.client, work)
    ctx.relay.wake()
    return doc
