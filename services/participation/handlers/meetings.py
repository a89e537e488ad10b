"""A committee's meetings: recorded (day, agenda, attendance, minutes, resolutions),
recorded again while open, closed once the minutes are approved. Each write carries
its event (member ids and counts per group, no name) to the outbox in one transaction."""

from __future__ import annotations

import uuid

from pymongo.asynchronous.client_session import AsyncClientSession

from services.participation.adapters.committee_store import committee_of, members_of
from services.participation.adapters.consultation_store import StaleVersion
from services.participation.adapters.meeting_store import (
    history_entry,
    meeting_fields,
    meeting_of,
    new_meeting,
)
from services.participation.context import ParticipationContext
from services.participation.domain.errors import Forbidden
from services.participation.domain.lifecycle import MANAGERS, Actor
from services.participation.domain.meetings import (
    CLOSE,
    RECORD,
    MeetingDraft,
    MeetingStatus,
    check_close,
    check_meeting,
    check_open,
    meeting_facts,
)
from shared.infra.mongo import Document, in_transaction
from shared.thai.fiscal import fiscal_year


def _manager(actor: Actor, action: str) -> None:
    if actor.role not in MANAGERS:
        raise Forbidden(actor.role, action)


async def record(
    ctx: ParticipationContext, committee_id: str, draft: MeetingDraft, actor: Actor
) -> Document:
    """A new meeting of the committee, recorded."""
    _manager(actor, RECORD)
    plan = await ctx.plans.get(fiscal_year(draft.held_on))

    async def work(session: AsyncClientSession) -> Document:
        committee_doc = await ctx.committees.get(committee_id, session)
        committee, members = committee_of(committee_doc), members_of(committee_doc)
        checked = check_meeting(draft, committee, members, plan)
        doc = new_meeting(f"mt-{uuid.uuid4().hex[:12]}", committee_id, checked, actor.id, ctx.now())
        event = meeting_facts(meeting_of(doc), committee, members, 1, actor.id)
        await ctx.meetings.insert(doc, [ctx.envelope(committee_id, event)], session)
        return doc

    doc = await in_transaction(ctx.client, work)
    ctx.relay.wake()
    return doc


async def record_again(
    ctx: ParticipationContext,
    committee_id: str,
    meeting_id: str,
    draft: MeetingDraft,
    actor: Actor,
    expected_version: int | None = None,
) -> Document:
    """The meeting's record replaced (attendance, minutes, resolutions...) while open."""
    _manager(actor, RECORD)
    plan = await ctx.plans.get(fiscal_year(draft.held_on))

    async def work(session: AsyncClientSession) -> Document:
        doc = await ctx.meetings.get(committee_id, meeting_id, session)
        if expected_version is not None and doc["version"] != expected_version:
            raise StaleVersion(meeting_id)
        check_open(meeting_of(doc))
        committee_doc = await ctx.committees.get(committee_id, session)
        committee, members = committee_of(committee_doc), members_of(committee_doc)
        checked = check_meeting(draft, committee, members, plan)
        now = ctx.now()
        changes = {**meeting_fields(checked), "updated_at": now}
        after = meeting_of({**doc, **changes})
        event = meeting_facts(after, committee, members, doc["version"] + 1, actor.id)
        history = history_entry(actor.id, now, "recorded_again")
        envelope = ctx.envelope(committee_id, event)
        return await ctx.meetings.update(doc, changes, history, [envelope], session)

    doc = await in_transaction(ctx.client, work)
    ctx.relay.wake()
    return doc


async def close(
    ctx: ParticipationContext,
    committee_id: str,
    meeting_id: str,
    actor: Actor,
    expected_version: int | None = None,
) -> Document:
    """The minutes approved: the meeting's record is final (409 once closed)."""
    _manager(actor, CLOSE)

    async def work(session: AsyncClientSession) -> Document:
        doc = await ctx.meetings.get(committee_id, meeting_id, session)
        if expected_version is not None and doc["version"] != expected_version:
            raise StaleVersion(meeting_id)
        meeting = meeting_of(doc)
        check_close(meeting)
        committee_doc = await ctx.committees.get(committee_id, session)
        committee, members = committee_of(committee_doc), members_of(committee_doc)
        now = ctx.now()
        changes = {"status": MeetingStatus.closed.value, "closed_at": now, "updated_at": now}
        after = meeting.model_copy(update={"status": MeetingStatus.closed})
        event = meeting_facts(after, committee, members, doc["version"] + 1, actor.id, closed=True)
        history = history_entry(actor.id, now, "closed")
        envelope = ctx.envelope(committee_id, event)
        return await ctx.meetings.update(doc, changes, history, [envelope], session)

    doc = await in_transaction(ctx.client, work)
    ctx.relay.wake()
    return doc
