"""submission.received → one case, routed, triaged and (when someone can take it)
assigned, with its clocks started: all in one transaction with the processed-event
record and the outbox, so a redelivered or re-published submission opens nothing new."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from services.workflow.adapters.case_store import clocks_doc
from services.workflow.domain.assignment import choose_assignee, named_staff_ids
from services.workflow.domain.lifecycle import (
    Actor,
    CaseState,
    Command,
    CommandPayload,
    Decision,
    Role,
    decide,
)
from services.workflow.domain.routing import RecentCase, contact_keys, route
from services.workflow.domain.sla import apply_transition, start_clocks
from services.workflow.domain.sla_schedule import next_check_at
from services.workflow.handlers.context import WorkflowContext
from shared.events import CaseOpened, CaseStatus, CloudEvent, SubmissionReceived
from shared.mongo import in_transaction
from shared.thai_calendar import to_bangkok

log = logging.getLogger(__name__)
SYSTEM = Actor(id="system", role=Role.system)
_CASE_NS = uuid.UUID("6f1d2c3e-5a4b-4c8d-9e0f-516961e67300")


def case_id_for(submission_id: str) -> str:
    """The case of a submission has an id derived from it: one submission, one case."""
    return f"c-{uuid.uuid5(_CASE_NS, submission_id).hex[:20]}"


async def open_case(ctx: WorkflowContext, event: CloudEvent[Any]) -> bool:
    """Open the case of a submission; False when it was already opened."""
    sub: SubmissionReceived = event.data
    case_id = case_id_for(sub.submission_id)

    async def work(session: AsyncClientSession) -> bool:
        if not await ctx.processed.record(event.id, session):
            return False
        if await ctx.store.exists(case_id, session):
            return False
        await _open(ctx, sub, case_id, session)
        return True

    opened = await in_transaction(ctx.client, work)
    if opened:
        ctx.relay.wake()
        if ctx.metrics:
            latency = (ctx.clock.now() - sub.received_at).total_seconds()
            ctx.metrics.processing_latency.observe(max(latency, 0.0))
        log.info("opened case %s", case_id, extra={"case_id": case_id, "event_id": event.id})
    return opened


async def _open(
    ctx: WorkflowContext, sub: SubmissionReceived, case_id: str, session: AsyncClientSession
) -> None:
    now = ctx.clock.now()
    keys = sorted(contact_keys(sub.contact, ctx.contact_key))
    since = now - timedelta(days=ctx.routing.duplicate_window_days)
    recent = [
        RecentCase(
            case_id=d["_id"],
            category=d["category"],
            contact_keys=frozenset(d.get("contact_keys", [])),
            opened_at=d["opened_at"],
        )
        for d in await ctx.store.recent_by_contact(keys, since, session)
    ]
    decision = route(sub, ctx.catalogue, ctx.routing, recent, ctx.contact_key)
    members, open_counts = await ctx.directory.members(decision.unit, session)
    excluded = named_staff_ids(members, decision.exclude) | decision.exclude
    state = CaseState(
        case_id=case_id,
        unit=decision.unit,
        category=sub.category,
        priority=decision.priority,
        excluded_assignees=frozenset(excluded),
    )
    policy = ctx.sla.policy_for(sub.kind, decision.priority, sub.complaint_type)
    # The legal clock runs from when the office received it, not from when we got to it.
    clocks = start_clocks(policy, sub.received_at, ctx.calendar)
    opened = CaseOpened(
        case_id=case_id,
        submission_id=sub.submission_id,
        tracking_code=sub.tracking_code,
        channel=sub.channel,
        kind=sub.kind,
        complaint_type=sub.complaint_type,
        category=sub.category,
        unit=decision.unit,
        priority=decision.priority,
        language=sub.language,
        subject=sub.subject,
        received_at=sub.received_at,
        deadlines={c: s.due_at for c, s in clocks.items()},
        contact=sub.contact if sub.consent.contact_me else None,
        consent=sub.consent,
    )
    events = [ctx.envelope(case_id, opened)]
    timeline: list[dict[str, Any]] = [
        {
            "at": now,
            "actor": "system",
            "role": "system",
            "command": "open",
            "from_status": None,
            "to_status": CaseStatus.received.value,
            "visibility": "public",
            "public_reason": None,
            "reason": None,
        }
    ]
    steps: list[Decision] = [
        decide(
            state,
            Command.triage,
            SYSTEM,
            CommandPayload(
                unit=decision.unit,
                priority=decision.priority,
                duplicate_hint=decision.duplicate_hint,
            ),
            now,
            ctx.policy,
        )
    ]
    cursor = await ctx.directory.cursor(decision.unit, session)
    assignee = choose_assignee(
        members,
        unit=decision.unit,
        on=to_bangkok(now).date(),
        open_cases=open_counts,
        last_assigned=cursor,
        exclude=excluded,
        supervisors_only=decision.assign_to_supervisor,
    )
    if assignee is not None:
        reason = "misconduct: supervisor" if decision.assign_to_supervisor else "fewest open cases"
        steps.append(
            decide(
                steps[-1].case,
                Command.assign,
                SYSTEM,
                CommandPayload(assignee=assignee, reason=reason),
                now,
                ctx.policy,
            )
        )
        await ctx.directory.add_open(assignee, 1, session)
        await ctx.directory.move_cursor(decision.unit, assignee, session)
    for step in steps:
        clocks = apply_transition(
            clocks,
            command=step.timeline.command,
            from_status=step.timeline.from_status,
            to_status=step.timeline.to_status,
            at=now,
            calendar=ctx.calendar,
        )
        events.extend(ctx.envelope(case_id, data) for data in step.events)
        timeline.append(step.timeline.model_dump(mode="python"))
    final = steps[-1].case
    case = {
        "_id": case_id,
        "version": 1,
        "event_count": len(events),
        **final.model_dump(mode="python", exclude={"case_id", "excluded_assignees"}),
        "excluded_assignees": sorted(final.excluded_assignees),
        "submission_id": sub.submission_id,
        "tracking_code": sub.tracking_code,
        "tracking_pin_hash": sub.tracking_pin_hash,
        "kind": sub.kind.value,
        "complaint_type": sub.complaint_type,
        "channel": sub.channel.value,
        "language": sub.language.value,
        "subject": sub.subject,
        "description": sub.description,
        "occurred_on": sub.occurred_on.isoformat() if sub.occurred_on else None,
        "location": sub.location.model_dump() if sub.location else None,
        "consultation_id": sub.consultation_id,
        "keyed_by": sub.keyed_by,
        "received_at": sub.received_at,
        "opened_at": now,
        "updated_at": now,
        "duplicate_hint": decision.duplicate_hint,
        "clocks": clocks_doc(clocks),
        "next_check_at": next_check_at(clocks, now, ctx.calendar),
        "timeline": timeline,
    }
    complainant = {
        "_id": case_id,
        "contact": sub.contact.model_dump() if sub.contact else None,
        "consent": sub.consent.model_dump(),
        "named_person": sub.named_person,
        "contact_keys": keys,
        "category": sub.category,
        "opened_at": now,
    }
    await ctx.store.insert(case, complainant, events, session)
