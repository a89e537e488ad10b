"""Outcomes ("you said, we did"): recorded against what the office heard (a consultation
and, if staff choose, some of its opinions; a committee resolution; a pattern of
complaints), then moved along their status table. Each write carries its event to the
outbox in the same transaction; the write that first publishes an outcome carries
`participation.outcome_published` too, naming by reference the people who gave the
opinions it answers and consented to be contacted, so notifications tells each once."""

from __future__ import annotations

import uuid
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from services.participation.adapters.consultation_store import StaleVersion, consultation_of
from services.participation.adapters.meeting_store import meeting_of
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
    RECORD,
    Heard,
    Outcome,
    OutcomeChange,
    OutcomeDraft,
    announces,
    apply_change,
    basis_of,
    check_new,
    heard_complaints,
    heard_consultation,
    heard_resolution,
    parts,
    recounted,
    who_to_tell,
)
from shared.contract.events import (
    CloudEvent,
    OutcomeBasis,
    OutcomePublished,
    OutcomeRecorded,
    OutcomeUpdated,
)
from shared.infra.mongo import Document, in_transaction


def _key(outcome: Outcome) -> str:
    """The Kafka key: a consultation's events stay in order with it; others by their id."""
    return outcome.consultation_id or outcome.outcome_id


async def _heard(
    ctx: ParticipationContext, draft: OutcomeDraft, session: AsyncClientSession
) -> tuple[Heard, dict[str, str | None]]:
    """What the draft's basis is on file, and the consultation's topic when it is one."""
    basis = basis_of(draft)
    if basis is OutcomeBasis.consultation:
        assert draft.consultation_id is not None
        try:
            found = await ctx.consultations.get(draft.consultation_id, session)
        except NotFound:
            raise ConflictingField(RECORD, "consultation_id", "is not a consultation") from None
        c = consultation_of(found)
        heard = heard_consultation(c.status, c.fiscal_year, c.mission_item)
        wanted = set(draft.opinion_ids)
        if wanted:
            present = await ctx.consultations.opinions_in(
                c.consultation_id, sorted(wanted), session
            )
            missing = sorted(wanted - present)
            if missing:
                raise ConflictingField(
                    RECORD, "opinion_ids", f"name opinions not given on it: {', '.join(missing)}"
                )
        return heard, {"topic_th": c.topic_th, "topic_en": c.topic_en}
    if basis is OutcomeBasis.resolution:
        ref = draft.resolution
        assert ref is not None
        try:
            await ctx.committees.get(ref.committee_id, session)
            on_file = True
        except NotFound:
            on_file = False
        meeting = None
        if on_file:
            try:
                meeting = meeting_of(
                    await ctx.meetings.get(ref.committee_id, ref.meeting_id, session)
                )
            except NotFound:
                meeting = None
        return heard_resolution(ref, on_file, meeting), {}
    pattern = draft.complaints
    assert pattern is not None
    categories = frozenset(c.code for c in ctx.catalogue.categories)
    count = None
    if pattern.category in categories:
        count = await ctx.outcomes.complaint_counts.count(
            pattern.category, pattern.fiscal_year, pattern.round, pattern.unit
        )
    return heard_complaints(pattern, categories, await ctx.units(), count), {}


async def _published(
    ctx: ParticipationContext,
    outcome: Outcome,
    topic: dict[str, str | None],
    actor: Actor,
    session: AsyncClientSession,
) -> list[CloudEvent[Any]]:
    """`participation.outcome_published`, in parts: the consenting people of the
    opinions it answers (of a consultation; nobody for another basis)."""
    people = []
    if outcome.consultation_id is not None:
        givers = await ctx.consultations.givers(
            outcome.consultation_id, outcome.opinion_ids, session
        )
        people = who_to_tell(givers)
        if not topic:
            topic = dict(zip(("topic_th", "topic_en"), await _topic(ctx, outcome), strict=True))
    chunks = parts(people)
    return [
        ctx.envelope(
            _key(outcome),
            OutcomePublished(
                outcome_id=outcome.outcome_id,
                basis=outcome.basis,
                consultation_id=outcome.consultation_id,
                fiscal_year=outcome.fiscal_year,
                mission_item=outcome.mission_item,
                topic_th=topic.get("topic_th"),
                topic_en=topic.get("topic_en"),
                you_said_th=outcome.you_said_th,
                you_said_en=outcome.you_said_en,
                we_did_th=outcome.we_did_th,
                we_did_en=outcome.we_did_en,
                status=outcome.status,
                reason=outcome.reason,
                people=chunk,
                part=i,
                parts=len(chunks),
                actor=actor.id,
            ),
        )
        for i, chunk in enumerate(chunks, start=1)
    ]


async def _topic(ctx: ParticipationContext, outcome: Outcome) -> tuple[str | None, str | None]:
    if outcome.consultation_id is None:
        return None, None
    topics = await ctx.consultations.topics({outcome.consultation_id})
    return topics.get(outcome.consultation_id, (None, None))


async def record(ctx: ParticipationContext, draft: OutcomeDraft, actor: Actor) -> Document:
    if actor.role not in MANAGERS:
        raise Forbidden(actor.role, RECORD)

    units = await ctx.units()

    async def work(session: AsyncClientSession) -> Document:
        heard, topic = await _heard(ctx, draft, session)
        plan = None
        if heard.mission_item is None and draft.mission_item is not None:
            plan = await ctx.plans.get(heard.fiscal_year)
        outcome = check_new(draft, heard, plan, units, ctx.today(), f"oc-{uuid.uuid4().hex[:16]}")
        doc = new_outcome(outcome, actor.id, ctx.now())
        event = OutcomeRecorded(
            outcome_id=outcome.outcome_id,
            basis=outcome.basis,
            consultation_id=outcome.consultation_id,
            resolution=outcome.resolution,
            complaints=outcome.complaints,
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
        events = [ctx.envelope(_key(outcome), event)]
        if announces(outcome, announced=False):
            events += await _published(ctx, outcome, topic, actor, session)
        await ctx.outcomes.insert(doc, events, session)
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
        if after.complaints is not None:
            pattern = after.complaints
            after = recounted(
                after,
                await ctx.outcomes.complaint_counts.count(
                    pattern.category, pattern.fiscal_year, pattern.round, pattern.unit
                ),
            )
        now = ctx.now()
        changes: Document = {**outcome_fields(after), "updated_at": now}
        event = OutcomeUpdated(
            outcome_id=outcome_id,
            basis=after.basis,
            consultation_id=after.consultation_id,
            resolution=after.resolution,
            complaints=after.complaints,
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
        events = [ctx.envelope(_key(after), event)]
        # Outcomes published before announcements were kept count as announced.
        announced = doc.get("announced_at") is not None or (
            "announced_at" not in doc and before.published
        )
        if announces(after, announced=announced):
            changes["announced_at"] = now
            events += await _published(ctx, after, {}, actor, session)
        history = history_entry(actor.id, now, before, after)
        return await ctx.outcomes.update(doc, changes, history, events, session)

    doc = await in_transaction(ctx.client, work)
    ctx.relay.wake()
    ctx.metrics.outcomes.labels(doc["status"]).inc()
    return doc
