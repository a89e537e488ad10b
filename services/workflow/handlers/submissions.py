"""submission.received → one case, routed, triaged and (when someone can take it)
assigned, with its clocks started: all in one transaction with the processed-event
record and the outbox, so a redelivered or re-published submission opens nothing new."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from services.workflow.adapters.case_store import NewCase, clocks_doc
from services.workflow.context import WorkflowContext
from services.workflow.domain.assignment import StaffMember, choose_assignee, named_staff_ids
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
from shared.contract.events import CaseOpened, CaseStatus, CloudEvent, SubmissionReceived
from shared.infra.mongo import in_transaction
from shared.thai.calendar import to_bangkok

log = logging.getLogger(__name__)
SYSTEM = Actor(id="system", role=Role.system)
_CASE_NS = uuid.UUID("6f1d2c3e-5a4b-4c8d-9e0f-516961e67300")


def case_id_for(submission_id: str) -> str:
    """The case of a submission has an id derived from it: one submission, one case."""
    return f"c-{uuid.uuid5(_CASE_NS, submission_id).hex[:20]}"


class UnitQueues:
    """The staff, open-case counts and round-robin cursors of the units a batch touches,
    read once per transaction and written back once at the end."""

    def __init__(self, ctx: WorkflowContext, session: AsyncClientSession) -> None:
        self.ctx = ctx
        self.session = session
        self.units: dict[str, tuple[list[StaffMember], dict[str, int], str | None]] = {}
        self.loaded = False
        self.added: dict[str, int] = {}
        self.moved: dict[str, str] = {}

    async def of(self, unit: str) -> tuple[list[StaffMember], dict[str, int], str | None]:
        if not self.loaded:
            # Everyone at once: two reads per batch instead of two per unit.
            self.loaded = True
            members, counts = await self.ctx.directory.everyone(self.session)
            cursors = await self.ctx.directory.all_cursors(self.session)
            for name, people in members.items():
                mine = {p.id: counts.get(p.id, 0) for p in people}
                self.units[name] = (people, mine, cursors.get(name))
        return self.units.setdefault(unit, ([], {}, None))

    def assigned(self, unit: str, staff_id: str) -> None:
        members, counts, _ = self.units[unit]
        counts[staff_id] = counts.get(staff_id, 0) + 1
        self.units[unit] = (members, counts, staff_id)
        self.added[staff_id] = self.added.get(staff_id, 0) + 1
        self.moved[unit] = staff_id

    async def flush(self) -> None:
        await self.ctx.directory.add_open_many(self.added, self.session)
        await self.ctx.directory.move_cursors(self.moved, self.session)


async def open_case(ctx: WorkflowContext, event: CloudEvent[Any]) -> bool:
    """Open the case of one submission; False when it was already opened."""
    return await open_cases(ctx, [event]) == 1


async def open_cases(ctx: WorkflowContext, events: list[CloudEvent[Any]]) -> int:
    """Open the cases of a batch of submissions in ONE transaction; returns how many
    were new. Events already processed, and submissions that already have a case (a
    re-published submission, or the same one twice in the batch), open nothing."""

    async def work(session: AsyncClientSession) -> list[tuple[str, SubmissionReceived]]:
        fresh = await ctx.processed.record_many([e.id for e in events], session)
        todo: dict[str, SubmissionReceived] = {}
        for e in events:
            if e.id in fresh and isinstance(e.data, SubmissionReceived):
                todo.setdefault(case_id_for(e.data.submission_id), e.data)
        for existing in await ctx.store.existing(list(todo), session):
            todo.pop(existing)
        if not todo:
            return []
        queues = UnitQueues(ctx, session)
        recent = await _recent_cases(ctx, list(todo.values()), session)
        built = [await _build(ctx, sub, case_id, queues, recent) for case_id, sub in todo.items()]
        await ctx.store.insert_many(built, session)
        await queues.flush()
        return list(todo.items())

    opened = await in_transaction(ctx.client, work)
    if opened:
        ctx.relay.wake()
        now = ctx.clock.now()
        for case_id, sub in opened:
            if ctx.metrics:
                ctx.metrics.processing_latency.observe(
                    max((now - sub.received_at).total_seconds(), 0)
                )
            log.info("opened case %s", case_id, extra={"case_id": case_id})
    return len(opened)


async def _recent_cases(
    ctx: WorkflowContext, subs: list[SubmissionReceived], session: AsyncClientSession
) -> list[RecentCase]:
    keys = sorted({k for sub in subs for k in contact_keys(sub.contact, ctx.contact_key)})
    since = ctx.clock.now() - timedelta(days=ctx.routing.duplicate_window_days)
    return [
        RecentCase(
            case_id=d["_id"],
            category=d["category"],
            contact_keys=frozenset(d.get("contact_keys", [])),
            opened_at=d["opened_at"],
        )
        for d in await ctx.store.recent_by_contact(keys, since, session)
    ]


async def _build(
    ctx: WorkflowContext,
    sub: SubmissionReceived,
    case_id: str,
    queues: UnitQueues,
    recent: list[RecentCase],
) -> NewCase:
    now = ctx.clock.now()
    keys = sorted(contact_keys(sub.contact, ctx.contact_key))
    decision = route(sub, ctx.catalogue, ctx.routing, recent, ctx.contact_key)
    # A later submission of the same batch may be a duplicate of this one.
    recent.append(
        RecentCase(
            case_id=case_id, category=sub.category, contact_keys=frozenset(keys), opened_at=now
        )
    )
    members, open_counts, cursor = await queues.of(decision.unit)
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
        queues.assigned(decision.unit, assignee)
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
    return NewCase(case=case, complainant=complainant, events=events)
