"""The supervisor view: a unit's load per person and its late cases, handing chosen cases
over to another member of the unit, and the unit's absences. A supervisor acts on their
own unit, an admin on any.

A hand-over is the lifecycle's `assign` command on each case (one `case.assigned` each,
checked against the version the supervisor saw), all in one transaction written in a
handful of statements whatever the number of cases: the people, the cases (a read per
32), the cases' updates, their events, the outbox rows and the open-case counts."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date

from pymongo.asynchronous.client_session import AsyncClientSession

from services.workflow.adapters.case_store import StaleVersion
from services.workflow.adapters.unit_cases import chosen, open_case, open_in_unit
from services.workflow.context import WorkflowContext
from services.workflow.domain.assignment import Absence, StaffMember, StaffRole
from services.workflow.domain.errors import (
    ConflictOfInterest,
    DomainError,
    Forbidden,
    IllegalTransition,
    InvalidField,
    NotFound,
)
from services.workflow.domain.lifecycle import Actor, Command, CommandPayload, Role
from services.workflow.domain.supervision import (
    MOST_PER_HANDOVER,
    AbsenceRefused,
    HandOver,
    LateCase,
    LatePage,
    Load,
    OpenCase,
    ReceiverRefused,
    current_absences,
    hand_over,
    late_cases,
    late_page,
    lateness,
    new_absence,
    receivers,
    unit_load,
    why_not_receiver,
)
from services.workflow.handlers.commands import Change, count_transition, decide_change
from shared.contract.catalogue import Unit
from shared.infra.auth import Principal
from shared.infra.auth import StaffRole as AccountRole
from shared.infra.mongo import in_transaction
from shared.thai.dates import parse_date, to_bangkok

log = logging.getLogger(__name__)

#: Who uses the supervisor view.
SUPERVISORS = frozenset({AccountRole.supervisor, AccountRole.admin})
# A hand-over that keeps meeting a concurrent change is read again this many times.
_ATTEMPTS = 3


def supervised_unit(ctx: WorkflowContext, caller: Principal, asked: str | None) -> Unit:
    """The unit the caller supervises here: a supervisor's own, any for an admin (the one
    asked, else the first). `Forbidden` for anyone else, `NotFound` for no such unit."""
    if caller.role not in SUPERVISORS:
        raise Forbidden(
            caller.role.value, "use the supervisor view", "only supervisors and admins may"
        )
    if caller.role is AccountRole.supervisor:
        if caller.unit is None or (asked and asked != caller.unit):
            raise Forbidden(caller.role.value, f"supervise unit {asked}", "not their unit")
        asked = caller.unit
    units = ctx.catalogue.units
    found = next((u for u in units if u.code == asked), None) if asked else units[0]
    if found is None:
        raise NotFound(f"no unit {asked}", unit=asked)
    return found


@dataclass(frozen=True)
class UnitView:
    unit: Unit
    today: date
    loads: list[Load]
    unassigned: Load
    late: LatePage
    # Everyone of the unit who takes cases, and those who may receive them today.
    people: list[StaffMember]
    receivers: list[StaffMember]

    @property
    def names(self) -> dict[str, str]:
        return {p.id: p.name or p.id for p in self.people}

    def absences(self, person: StaffMember) -> list[Absence]:
        return current_absences(person, self.today)


async def unit_view(
    ctx: WorkflowContext, caller: Principal, asked: str | None, late_page_number: int = 1
) -> UnitView:
    """The unit's load per person and a page of its late cases, as of now: two reads."""
    unit = supervised_unit(ctx, caller, asked)
    people = await _people(ctx, unit.code)
    cases = await open_in_unit(ctx.store.cases, unit.code, hidden_from=caller.id)
    now = ctx.clock.now()
    loads, unassigned = unit_load(people, cases, now, ctx.calendar)
    today = to_bangkok(now).date()
    return UnitView(
        unit=unit,
        today=today,
        loads=loads,
        unassigned=unassigned,
        late=late_page(late_cases(cases, now, ctx.calendar), late_page_number),
        people=people,
        receivers=receivers(people, unit.code, today),
    )


@dataclass(frozen=True)
class CasesView:
    """One person's open cases (or, with `person` None, those nobody in the unit has)."""

    view: UnitView
    person: StaffMember | None
    cases: list[LateCase | OpenCase]


async def cases_view(
    ctx: WorkflowContext, caller: Principal, asked: str | None, staff_id: str | None
) -> CasesView:
    """The open cases of `staff_id` in the unit (None: of nobody in it), late ones marked."""
    view = await unit_view(ctx, caller, asked)
    person = next((p for p in view.people if p.id == staff_id), None)
    if staff_id is not None and person is None:
        raise NotFound(f"nobody {staff_id} in unit {view.unit.code}", staff_id=staff_id)
    cases = await open_in_unit(
        ctx.store.cases, view.unit.code, hidden_from=caller.id, assignee=staff_id
    )
    if staff_id is None:
        members = {p.id for p in view.people}
        cases = [c for c in cases if c.assignee not in members]
    now = ctx.clock.now()
    shown: list[LateCase | OpenCase] = []
    for case in cases:
        late = lateness(case, now, ctx.calendar)
        shown.append(LateCase(case, late) if late else case)
    return CasesView(view=view, person=person, cases=shown)


async def _people(
    ctx: WorkflowContext, unit: str, session: AsyncClientSession | None = None
) -> list[StaffMember]:
    members, _ = await ctx.directory.members(unit, session)
    # Staff first, then supervisors, each by name: the order of the load table.
    return sorted(members, key=lambda m: (m.role is StaffRole.supervisor, m.name or m.id))


@dataclass(frozen=True)
class NotMoved:
    case_id: str
    case: OpenCase | None
    # A `HandOver` value, or what the lifecycle said: names_receiver, not_assignable...
    reason: str


@dataclass(frozen=True)
class HandedOver:
    unit: Unit
    to: StaffMember
    moved: list[OpenCase]
    not_moved: list[NotMoved]


async def reassign(
    ctx: WorkflowContext,
    caller: Principal,
    asked: str | None,
    picks: Mapping[str, int],
    to: str,
    reason: str | None = None,
) -> HandedOver:
    """Hand the cases `picks` (case id: the version the caller saw) over to `to`. Each
    goes through the lifecycle's assign command; those that cannot (changed meanwhile,
    gone, already theirs, refused by the lifecycle) are listed with the reason and the
    others move all the same. `ReceiverRefused` when `to` may not receive cases today."""
    unit = supervised_unit(ctx, caller, asked)
    if not picks:
        raise InvalidField("reassign", "cases", "none chosen")
    if len(picks) > MOST_PER_HANDOVER:
        raise InvalidField("reassign", "cases", f"more than {MOST_PER_HANDOVER} at once")
    actor = Actor(id=caller.id, role=Role(caller.role.value))
    payload = CommandPayload(assignee=to, reason=reason or None)

    async def work(session: AsyncClientSession) -> HandedOver:
        today = to_bangkok(ctx.clock.now()).date()
        people = await _people(ctx, unit.code, session)
        receiver = next((p for p in people if p.id == to), None)
        why = why_not_receiver(receiver, unit.code, today)
        if why is not None:
            raise ReceiverRefused(to, why)
        assert receiver is not None  # why_not_receiver says not_in_unit for nobody
        docs = await chosen(
            ctx.store.cases, unit.code, list(picks), hidden_from=caller.id, session=session
        )
        changes: list[Change] = []
        moved: list[OpenCase] = []
        not_moved: list[NotMoved] = []
        for case_id, seen in picks.items():
            doc = docs.get(case_id)
            case = open_case(doc) if doc else None
            verdict = hand_over(case, seen, to)
            if doc is None or case is None or verdict is not HandOver.move:
                not_moved.append(NotMoved(case_id, case, verdict.value))
                continue
            try:
                changes.append(decide_change(ctx, doc, Command.assign, actor, payload))
            except DomainError as exc:
                not_moved.append(NotMoved(case_id, case, _refusal(exc)))
                continue
            moved.append(case)
        await ctx.store.update_many(
            [(c.doc, c.changes, c.timeline, c.events) for c in changes], session
        )
        counts: Counter[str] = Counter()
        for c in changes:
            counts.update(c.open_cases)
        await ctx.directory.add_open_many(dict(counts), session)
        for c in changes:
            count_transition(ctx, c)
        return HandedOver(unit=unit, to=receiver, moved=moved, not_moved=not_moved)

    done = await _until_consistent(ctx, work)
    if done.moved:
        ctx.relay.wake()
    log.info(
        "handed over %d cases in unit %s to %s by %s (%d not moved)",
        len(done.moved),
        unit.code,
        to,
        caller.id,
        len(done.not_moved),
    )
    return done


async def _until_consistent(
    ctx: WorkflowContext, work: Callable[[AsyncClientSession], Awaitable[HandedOver]]
) -> HandedOver:
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            return await in_transaction(ctx.client, work)
        except StaleVersion:
            # A case changed between the read and the write: read them all again, and
            # that one is listed as changed.
            if attempt == _ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _refusal(exc: DomainError) -> str:
    if isinstance(exc, ConflictOfInterest):
        return "names_receiver"
    if isinstance(exc, IllegalTransition):
        return "not_assignable"
    return "refused"


async def record_absence(
    ctx: WorkflowContext,
    caller: Principal,
    asked: str | None,
    staff_id: str,
    start: str,
    end: str,
) -> Absence:
    """Record that `staff_id`, of the unit, is away from `start` to `end` (as typed:
    B.E. or C.E.). `AbsenceRefused` for dates that cannot be, `NotFound` for nobody."""
    unit = supervised_unit(ctx, caller, asked)
    try:
        first, last = parse_date(start), parse_date(end)
    except ValueError:
        raise AbsenceRefused("date") from None
    absence = new_absence(first, last, to_bangkok(ctx.clock.now()).date())
    if not await ctx.directory.add_absence(staff_id, unit.code, absence):
        raise NotFound(f"nobody {staff_id} in unit {unit.code}", staff_id=staff_id)
    log.info("absence of %s recorded by %s: %s", staff_id, caller.id, absence)
    return absence


async def remove_absence(
    ctx: WorkflowContext,
    caller: Principal,
    asked: str | None,
    staff_id: str,
    start: str,
    end: str,
) -> None:
    """Remove the absence of `staff_id` from `start` to `end` (ISO, as the page sends
    them); `NotFound` when there is no such absence of a member of the unit."""
    unit = supervised_unit(ctx, caller, asked)
    try:
        absence = Absence(start=date.fromisoformat(start), end=date.fromisoformat(end))
    except ValueError:
        raise AbsenceRefused("date") from None
    if not await ctx.directory.remove_absence(staff_id, unit.code, absence):
        raise NotFound(f"no such absence of {staff_id}", staff_id=staff_id)
    log.info("absence of %s removed by %s: %s", staff_id, caller.id, absence)
