"""What a unit's supervisor sees and decides: each person's load, the cases past a
deadline, who may receive cases handed over, and what an absence may be.

Pure: the handler reads the unit's people and open cases and passes them in.

- A person's *open* cases are those still to be worked (`ACTIVE_STATUSES`), as the
  officer's open-case counter counts them.
- A case is *late* when a clock still to be kept (not stopped) ran past its deadline, as
  of now or of its pause; it is *escalated* once the deadline scan reported that breach.
- A case is *due soon* when it is not late and a running clock is due by the end of the
  second working day after today.
- Whoever receives cases must be an active member of the unit who takes cases (staff or
  supervisor) and is not absent today: the same people auto-assignment would consider.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from services.workflow.domain.assignment import Absence, StaffMember
from services.workflow.domain.errors import DomainError
from services.workflow.domain.sla import ClockState, is_overdue
from shared.contract.events import CaseStatus, Clock
from shared.contract.vocabulary import ACTIVE_STATUSES
from shared.thai.calendar import ThaiCalendar
from shared.thai.dates import to_bangkok

#: "Due soon": by the end of this many working days after today.
DUE_SOON_DAYS = 2
#: One entry records at most a year (365 days, both ends included): a longer one is most
#: likely a mistyped year.
LONGEST_ABSENCE = timedelta(days=365)
#: The most cases one hand-over moves: a page of them, never a whole unit by mistake.
MOST_PER_HANDOVER = 200


@dataclass(frozen=True)
class OpenCase:
    """What the supervisor view needs of one of the unit's open cases."""

    case_id: str
    tracking_code: str
    subject: str
    status: CaseStatus
    version: int
    assignee: str | None
    clocks: Mapping[Clock, ClockState] = field(default_factory=dict)


@dataclass(frozen=True)
class Lateness:
    """The clock of a case furthest past its deadline."""

    clock: Clock
    due_at: datetime
    # Working days since the deadline, rounded up (a deadline passed this morning: 1).
    working_days: int
    escalated: bool


@dataclass(frozen=True)
class Load:
    """One person's cases (or, with `person` None, the unit's unassigned ones)."""

    person: StaffMember | None
    open: int = 0
    late: int = 0
    due_soon: int = 0
    awaiting_info: int = 0
    # The absence covering today, if any.
    absent: Absence | None = None

    @property
    def receives(self) -> bool:
        """Whether cases may be handed to this person today."""
        return self.person is not None and self.person.active and self.absent is None


@dataclass(frozen=True)
class LateCase:
    case: OpenCase
    lateness: Lateness


def lateness(case: OpenCase, now: datetime, calendar: ThaiCalendar) -> Lateness | None:
    """How late the case is, by its clock furthest past its deadline; None if on time."""
    late = [s for s in case.clocks.values() if s.stopped_at is None and is_overdue(s, now)]
    if not late:
        return None
    worst = min(late, key=lambda s: s.due_at)
    until = min(now, worst.paused_since) if worst.paused_since else now
    days = calendar.business_days_between(worst.due_at, until)
    return Lateness(
        clock=worst.clock,
        due_at=worst.due_at,
        working_days=max(1, math.ceil(days)),
        escalated=any(100 in s.emitted for s in late),
    )


def is_due_soon(case: OpenCase, now: datetime, calendar: ThaiCalendar) -> bool:
    """A running clock due by the end of the second working day after today (and none
    late: a late case is counted as late, not as due)."""
    if lateness(case, now, calendar) is not None:
        return False
    horizon = calendar.add_business_days(now, DUE_SOON_DAYS)
    return any(s.running and s.due_at <= horizon for s in case.clocks.values())


def absence_on(person: StaffMember, day: date) -> Absence | None:
    return next((a for a in person.absences if a.covers(day)), None)


def unit_load(
    people: Sequence[StaffMember],
    cases: Iterable[OpenCase],
    now: datetime,
    calendar: ThaiCalendar,
) -> tuple[list[Load], Load]:
    """Each person's load, in the order given, and the load nobody carries yet. A case
    of someone no longer in the unit counts as unassigned: nobody here works on it."""
    today = to_bangkok(now).date()
    counts: dict[str | None, Counter[str]] = {p.id: Counter() for p in people}
    counts[None] = Counter()
    for case in cases:
        if case.status not in ACTIVE_STATUSES:
            continue
        tally = counts.get(case.assignee, counts[None])
        tally["open"] += 1
        if lateness(case, now, calendar) is not None:
            tally["late"] += 1
        elif is_due_soon(case, now, calendar):
            tally["due_soon"] += 1
        if case.status is CaseStatus.awaiting_info:
            tally["awaiting_info"] += 1
    loads = [_load(p, counts[p.id], absence_on(p, today)) for p in people]
    return loads, _load(None, counts[None], None)


def _load(person: StaffMember | None, tally: Counter[str], absent: Absence | None) -> Load:
    return Load(
        person=person,
        open=tally["open"],
        late=tally["late"],
        due_soon=tally["due_soon"],
        awaiting_info=tally["awaiting_info"],
        absent=absent,
    )


def late_cases(cases: Iterable[OpenCase], now: datetime, calendar: ThaiCalendar) -> list[LateCase]:
    """The open cases past a deadline, the latest first (then the earliest deadline)."""
    found = [
        LateCase(c, late)
        for c in cases
        if c.status in ACTIVE_STATUSES and (late := lateness(c, now, calendar)) is not None
    ]
    return sorted(found, key=lambda f: (-f.lateness.working_days, f.lateness.due_at))


#: Late cases shown per page of the supervisor view (a unit can fall far behind).
LATE_PER_PAGE = 50


@dataclass(frozen=True)
class LatePage:
    """One page of the late list: its cases, which page (from 1) of how many, and the
    number of the whole list's first case shown on it."""

    cases: list[LateCase]
    number: int
    pages: int
    total: int

    @property
    def first(self) -> int:
        return (self.number - 1) * LATE_PER_PAGE + 1 if self.cases else 0

    @property
    def last(self) -> int:
        return self.first + len(self.cases) - 1 if self.cases else 0


def late_page(late: Sequence[LateCase], number: int) -> LatePage:
    """Page `number` of the late list; past the end it is the last page, so a link kept
    from before cases were handed over still shows something."""
    pages = max(1, math.ceil(len(late) / LATE_PER_PAGE))
    number = min(max(number, 1), pages)
    start = (number - 1) * LATE_PER_PAGE
    return LatePage(list(late[start : start + LATE_PER_PAGE]), number, pages, len(late))


class CannotReceive(StrEnum):
    """Why a person may not be handed cases today."""

    not_in_unit = "not_in_unit"
    inactive = "inactive"
    absent = "absent"


def why_not_receiver(person: StaffMember | None, unit: str, today: date) -> CannotReceive | None:
    """None when `person` may receive the unit's cases today, else why not."""
    if person is None or person.unit != unit:
        return CannotReceive.not_in_unit
    if not person.active:
        return CannotReceive.inactive
    if person.is_absent(today):
        return CannotReceive.absent
    return None


def receivers(people: Iterable[StaffMember], unit: str, today: date) -> list[StaffMember]:
    """The people of `unit` who may receive cases today, in the order given."""
    return [p for p in people if why_not_receiver(p, unit, today) is None]


class HandOver(StrEnum):
    """What became of one case chosen for a hand-over, before the lifecycle is asked."""

    move = "move"
    # Gone from the unit, closed, or never one the supervisor may see.
    not_found = "not_found"
    # Changed since the page showed it (a command, another hand-over, a scan).
    changed = "changed"
    already_theirs = "already_theirs"


def hand_over(case: OpenCase | None, seen_version: int, to: str) -> HandOver:
    """Whether a chosen case goes on to the lifecycle's assign command."""
    if case is None:
        return HandOver.not_found
    if case.version != seen_version:
        return HandOver.changed
    if case.assignee == to:
        return HandOver.already_theirs
    return HandOver.move


class AbsenceRefused(ValueError):
    """An absence that cannot be recorded as given; `code` names why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def new_absence(start: date, end: date, today: date) -> Absence:
    """The absence from `start` to `end` (both included), or `AbsenceRefused`: ending
    before it starts (`order`), over by today (`past`: it would change nothing), or
    longer than a year (`too_long`: most likely a mistyped year)."""
    if end < start:
        raise AbsenceRefused("order")
    if end < today:
        raise AbsenceRefused("past")
    if end - start >= LONGEST_ABSENCE:
        raise AbsenceRefused("too_long")
    return Absence(start=start, end=end)


def current_absences(person: StaffMember, today: date) -> list[Absence]:
    """The person's absences not yet over, soonest first: the ones worth showing."""
    return sorted((a for a in person.absences if a.end >= today), key=lambda a: a.start)


class ReceiverRefused(DomainError):
    """The person chosen to receive a hand-over may not receive cases today."""

    code = "receiver_refused"

    def __init__(self, staff_id: str, why: CannotReceive) -> None:
        super().__init__(f"{staff_id} may not receive cases: {why}", staff_id=staff_id)
        self.staff_id = staff_id
        self.why = why
