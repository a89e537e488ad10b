"""Opening cases: from a batch of submissions and a snapshot of the office, the new cases.

Each case is routed (unit, priority, who it names, a possible duplicate), triaged by the
system, assigned when someone in its unit can take it, and its clocks are started. Pure:
the caller reads the snapshot and writes the result, all in one transaction.

A submission names its sender only by `person_id`; the caller reads the batch's contacts
from the personal-data store and passes them in (`contacts`, by person id), because the
duplicate hint compares keyed hashes of them. The contacts go nowhere else: the case and
its events keep the reference.

The cases of a batch are opened one after the other, each seeing the queues as the
earlier ones left them: an assignment adds to the person's open cases and moves the
unit's round-robin cursor, so two cases of one unit do not both go to the same person
when others are as free.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from services.workflow.domain.assignment import StaffMember, choose_assignee, named_staff_ids
from services.workflow.domain.lifecycle import (
    Actor,
    CaseState,
    Command,
    CommandPayload,
    Decision,
    EventData,
    LifecyclePolicy,
    Role,
    TimelineEntry,
    decide,
)
from services.workflow.domain.routing import RecentCase, RoutingConfig, contact_keys, route
from services.workflow.domain.sla import ClockState, SlaConfig, apply_transition, start_clocks
from services.workflow.domain.sla_schedule import next_check_at
from shared.contract.catalogue import Catalogue
from shared.contract.events import CaseOpened, Clock, Contact, SubmissionReceived
from shared.contract.vocabulary import AssignmentReason
from shared.thai.calendar import ThaiCalendar
from shared.thai.dates import to_bangkok

SYSTEM = Actor(id="system", role=Role.system)


@dataclass(frozen=True)
class OpeningRules:
    """The office's rules and calendar, as configured."""

    catalogue: Catalogue
    routing: RoutingConfig
    sla: SlaConfig
    lifecycle: LifecyclePolicy
    calendar: ThaiCalendar
    # The secret the contact keys of recent cases were made with (see routing.contact_keys).
    contact_key: bytes


@dataclass(frozen=True)
class DirectorySnapshot:
    """The office as a batch finds it."""

    # The assignable people of each unit.
    staff: Mapping[str, Sequence[StaffMember]]
    # Open cases per person (missing: none).
    open_cases: Mapping[str, int]
    # Each unit's round-robin cursor: the last person assigned there.
    cursors: Mapping[str, str]
    # Cases lately opened for the batch's contacts, for the duplicate hint.
    recent: Sequence[RecentCase] = ()


@dataclass(frozen=True)
class RecentLookup:
    """Which earlier cases the duplicate hint of a batch may need."""

    contact_keys: list[str]
    since: datetime


@dataclass(frozen=True)
class OpenedCase:
    """A new case, in the state its first commands left it."""

    case_id: str
    submission: SubmissionReceived
    state: CaseState
    clocks: dict[Clock, ClockState]
    # The system's triage, then its assignment if any (the opening itself has no entry).
    timeline: tuple[TimelineEntry, ...]
    # case.opened first, then what each command produced, in the order to publish.
    events: tuple[EventData, ...]
    duplicate_hint: str | None
    contact_keys: tuple[str, ...]
    opened_at: datetime
    next_check_at: datetime | None


@dataclass(frozen=True)
class QueueChanges:
    """What a batch changes in the unit queues: open cases added per person, and the
    unit cursors moved (to the last person assigned in each unit)."""

    added: dict[str, int] = field(default_factory=dict)
    moved: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Opening:
    cases: list[OpenedCase]
    queues: QueueChanges


def opens_a_case(sub: SubmissionReceived) -> bool:
    """An opinion on a consultation (`consultation_id`) opens no case: the participation
    service counts it with the consultation's other opinions and staff read it there. As a
    case it would sit in a unit's queue under a 15-day answer clock no one owes, and count
    again in the complaint statistics."""
    return sub.consultation_id is None


def person_ids(submissions: Iterable[SubmissionReceived]) -> list[str]:
    """The people whose contacts a batch's opening needs (its duplicate hints)."""
    return sorted({sub.person_id for sub in submissions if sub.person_id})


def contact_of(sub: SubmissionReceived, contacts: Mapping[str, Contact]) -> Contact | None:
    """The sender's contact, if they left one and it is still on file."""
    return contacts.get(sub.person_id) if sub.person_id else None


def recent_lookup(
    submissions: Iterable[SubmissionReceived],
    rules: OpeningRules,
    now: datetime,
    contacts: Mapping[str, Contact] | None = None,
) -> RecentLookup:
    """The contact keys of a batch and how far back an earlier case still counts."""
    known = contacts or {}
    keys = {
        k for sub in submissions for k in contact_keys(contact_of(sub, known), rules.contact_key)
    }
    return RecentLookup(
        contact_keys=sorted(keys),
        since=now - timedelta(days=rules.routing.duplicate_window_days),
    )


class UnitQueues:
    """The unit queues during a batch: a copy of the snapshot's, plus what the batch's
    assignments changed, so that each case sees the earlier ones."""

    def __init__(self, directory: DirectorySnapshot) -> None:
        self.staff = directory.staff
        self.open_cases = dict(directory.open_cases)
        self.cursors = dict(directory.cursors)
        self.added: dict[str, int] = {}
        self.moved: dict[str, str] = {}

    def members(self, unit: str) -> list[StaffMember]:
        return list(self.staff.get(unit, ()))

    def assigned(self, unit: str, staff_id: str) -> None:
        self.open_cases[staff_id] = self.open_cases.get(staff_id, 0) + 1
        self.cursors[unit] = staff_id
        self.added[staff_id] = self.added.get(staff_id, 0) + 1
        self.moved[unit] = staff_id

    def changes(self) -> QueueChanges:
        return QueueChanges(added=dict(self.added), moved=dict(self.moved))


def open_cases(
    submissions: Sequence[tuple[str, SubmissionReceived]],
    directory: DirectorySnapshot,
    rules: OpeningRules,
    now: datetime,
    contacts: Mapping[str, Contact] | None = None,
) -> Opening:
    """The cases of `submissions` (case id, submission), opened at `now` in this order,
    and what they change in the unit queues. `contacts` holds the senders' contacts by
    person id (for the duplicate hint). The inputs are left as they were."""
    queues = UnitQueues(directory)
    recent = list(directory.recent)
    known = contacts or {}
    cases = [
        _open_one(sub, case_id, contact_of(sub, known), queues, recent, rules, now)
        for case_id, sub in submissions
    ]
    return Opening(cases=cases, queues=queues.changes())


def _open_one(
    sub: SubmissionReceived,
    case_id: str,
    contact: Contact | None,
    queues: UnitQueues,
    recent: list[RecentCase],
    rules: OpeningRules,
    now: datetime,
) -> OpenedCase:
    """One case of a batch; records its assignment in `queues` and itself in `recent`."""
    keys = sorted(contact_keys(contact, rules.contact_key))
    decision = route(sub, rules.catalogue, rules.routing, recent, rules.contact_key, contact)
    # A later submission of the same batch may be a duplicate of this one.
    recent.append(
        RecentCase(
            case_id=case_id, category=sub.category, contact_keys=frozenset(keys), opened_at=now
        )
    )
    members = queues.members(decision.unit)
    excluded = named_staff_ids(members, decision.exclude) | decision.exclude
    state = CaseState(
        case_id=case_id,
        unit=decision.unit,
        category=sub.category,
        priority=decision.priority,
        excluded_assignees=frozenset(excluded),
    )
    policy = rules.sla.policy_for(sub.kind, decision.priority, sub.complaint_type)
    # The legal clock runs from when the office received it, not from when we got to it.
    clocks = start_clocks(policy, sub.received_at, rules.calendar)
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
        # Notifications reads the contact behind it only to answer them, so only then.
        person_id=sub.person_id if sub.consent.contact_me else None,
        consent=sub.consent,
    )
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
            rules.lifecycle,
        )
    ]
    assignee = choose_assignee(
        members,
        unit=decision.unit,
        on=to_bangkok(now).date(),
        open_cases=queues.open_cases,
        last_assigned=queues.cursors.get(decision.unit),
        exclude=excluded,
        supervisors_only=decision.assign_to_supervisor,
    )
    if assignee is not None:
        reason = (
            AssignmentReason.misconduct_supervisor
            if decision.assign_to_supervisor
            else AssignmentReason.fewest_open_cases
        ).value
        steps.append(
            decide(
                steps[-1].case,
                Command.assign,
                SYSTEM,
                CommandPayload(assignee=assignee, reason=reason),
                now,
                rules.lifecycle,
            )
        )
        queues.assigned(decision.unit, assignee)
    events: list[EventData] = [opened]
    for step in steps:
        clocks = apply_transition(
            clocks,
            command=step.timeline.command,
            from_status=step.timeline.from_status,
            to_status=step.timeline.to_status,
            at=now,
            calendar=rules.calendar,
        )
        events.extend(step.events)
    return OpenedCase(
        case_id=case_id,
        submission=sub,
        state=steps[-1].case,
        clocks=clocks,
        timeline=tuple(step.timeline for step in steps),
        events=tuple(events),
        duplicate_hint=decision.duplicate_hint,
        contact_keys=tuple(keys),
        opened_at=now,
        next_check_at=next_check_at(clocks, now, rules.calendar),
    )
