"""Deadlines: three clocks per case, counted in business days on the Thai calendar.

- acknowledge: the office tells the person it has the case. Stopped by triage or
  assignment, or by any change of status.
- first_response: the office answers or says what it is doing. The Royal Decree on Good
  Governance B.E. 2546 s.38 gives 15 days at most. Stopped by start, request_info,
  resolve, a public comment, or closing.
- resolution: stopped by resolve or closing; a reopen starts it afresh.

Each clock starts when the case opens and is due at the end of its n-th business day
after that day (`shared.thai.calendar`).

Pause rule: entering awaiting_info pauses every running clock; leaving it resumes them
and pushes each deadline by the business days the pause covered, counted like the
deadline itself: the business days after the day it paused, up to and including the day
it resumed. A pause that ends on the day it began pushes nothing; paused on Monday and
resumed on Wednesday pushes two business days. Deadlines therefore stay at the end of a
day.

Elapsed fraction (for the 50% and 75% warnings): business time from the start to now
(or to the pause, or to the stop) minus the business days pushed by earlier pauses,
over the business time from the start to the deadline minus the same days. A breach is
simply being past the deadline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from services.workflow.domain.lifecycle import Command, Decision, is_office_answer
from shared.contract.events import CaseStatus, Clock, ComplaintType, Kind, Priority
from shared.thai.calendar import ThaiCalendar
from shared.thai.dates import to_bangkok

# Royal Decree on Good Governance B.E. 2546 s.38.
LEGAL_ANSWER_DAYS = 15

Threshold = Literal[50, 75, 100]
THRESHOLDS: tuple[Threshold, ...] = (50, 75, 100)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SlaPolicy(_Model):
    """Business days allowed for each clock."""

    acknowledge: int = Field(default=1, ge=0)
    first_response: int = Field(default=5, ge=0)
    resolution: int = Field(default=LEGAL_ANSWER_DAYS, ge=0)

    @model_validator(mode="after")
    def _lawful(self) -> SlaPolicy:
        if not self.acknowledge <= self.first_response <= self.resolution:
            raise ValueError("need acknowledge <= first_response <= resolution")
        if self.first_response > LEGAL_ANSWER_DAYS:
            raise ValueError(f"first_response over the legal {LEGAL_ANSWER_DAYS} days (s.38)")
        return self

    def days(self, clock: Clock) -> int:
        return int(getattr(self, clock.value))


class SlaRule(SlaPolicy):
    """A policy for the submissions matching every field given here."""

    kind: Kind | None = None
    complaint_type: ComplaintType | None = None
    priority: Priority | None = None

    def matches(self, kind: Kind, priority: Priority, complaint_type: ComplaintType | None) -> bool:
        return (
            self.kind in (None, kind)
            and self.priority in (None, priority)
            and self.complaint_type in (None, complaint_type)
        )


class SlaConfig(_Model):
    default: SlaPolicy = SlaPolicy()
    rules: tuple[SlaRule, ...] = ()

    def policy_for(
        self, kind: Kind, priority: Priority, complaint_type: ComplaintType | None = None
    ) -> SlaPolicy:
        """The default when no rule matches; else, per clock, the tightest matching rule."""
        matching = [r for r in self.rules if r.matches(kind, priority, complaint_type)]
        if not matching:
            return self.default
        return SlaPolicy(
            acknowledge=min(r.acknowledge for r in matching),
            first_response=min(r.first_response for r in matching),
            resolution=min(r.resolution for r in matching),
        )


class ClockState(_Model):
    clock: Clock
    business_days: int = Field(ge=0)
    started_at: AwareDatetime
    due_at: AwareDatetime
    paused_since: AwareDatetime | None = None
    # Business days the deadline was pushed by finished pauses.
    paused_total: int = Field(default=0, ge=0)
    stopped_at: AwareDatetime | None = None
    emitted: tuple[Threshold, ...] = ()

    @property
    def running(self) -> bool:
        return self.stopped_at is None and self.paused_since is None


# ------------------------------------------------------------ clock changes


def start_clock(
    clock: Clock, business_days: int, at: datetime, calendar: ThaiCalendar
) -> ClockState:
    """A running clock started at `at`, due `business_days` business days later."""
    return ClockState(
        clock=clock,
        business_days=business_days,
        started_at=at,
        due_at=calendar.add_business_days(at, business_days),
    )


def start_clocks(
    policy: SlaPolicy, at: datetime, calendar: ThaiCalendar
) -> dict[Clock, ClockState]:
    """The three clocks of a case opened at `at`."""
    return {c: start_clock(c, policy.days(c), at, calendar) for c in Clock}


def pause(state: ClockState, at: datetime) -> ClockState:
    """Pause a running clock; a paused or stopped clock is returned unchanged."""
    if not state.running:
        return state
    return state.model_copy(update={"paused_since": at})


def resume(state: ClockState, at: datetime, calendar: ThaiCalendar) -> ClockState:
    """Resume a paused clock, pushing its deadline by the paused business days."""
    if state.paused_since is None or state.stopped_at is not None:
        return state
    pushed = calendar.business_days_after(
        to_bangkok(state.paused_since).date(), to_bangkok(at).date()
    )
    due_at = calendar.add_business_days(state.due_at, pushed) if pushed else state.due_at
    return state.model_copy(
        update={"paused_since": None, "paused_total": state.paused_total + pushed, "due_at": due_at}
    )


def stop(state: ClockState, at: datetime, calendar: ThaiCalendar) -> ClockState:
    """Stop a clock for good (its promise was kept, or the case closed)."""
    if state.stopped_at is not None:
        return state
    return resume(state, at, calendar).model_copy(update={"stopped_at": at})


def restart(state: ClockState, at: datetime, calendar: ThaiCalendar) -> ClockState:
    """The same clock started afresh at `at` (a reopened case), with no warnings sent."""
    return start_clock(state.clock, state.business_days, at, calendar)


def _satisfied(
    clock: Clock, command: Command, status_changed: bool, closed: bool, public_comment: bool
) -> bool:
    if closed:
        return True
    if clock is Clock.acknowledge:
        return status_changed or command in (Command.triage, Command.assign)
    if clock is Clock.first_response:
        return public_comment or command in (
            Command.start,
            Command.request_info,
            Command.resolve,
        )
    return command is Command.resolve


def apply_transition(
    clocks: Mapping[Clock, ClockState],
    *,
    command: Command,
    from_status: CaseStatus,
    to_status: CaseStatus,
    at: datetime,
    calendar: ThaiCalendar,
    public_comment: bool = False,
) -> dict[Clock, ClockState]:
    """The clocks after a command: resumed, stopped, restarted or paused as it implies.

    `public_comment` is true for a comment the complainant can read (it counts as a
    first response). `apply_decision` fills these from a lifecycle decision.
    """
    changed = from_status is not to_status
    leaving_pause = changed and from_status is CaseStatus.awaiting_info
    entering_pause = changed and to_status is CaseStatus.awaiting_info
    closed = to_status is CaseStatus.closed
    result: dict[Clock, ClockState] = {}
    for clock, state in clocks.items():
        if leaving_pause:
            state = resume(state, at, calendar)
        if _satisfied(clock, command, changed, closed, public_comment):
            state = stop(state, at, calendar)
        elif command is Command.reopen and clock is Clock.resolution:
            state = restart(state, at, calendar)
        if entering_pause:
            state = pause(state, at)
        result[clock] = state
    return result


def apply_decision(
    clocks: Mapping[Clock, ClockState], decision: Decision, calendar: ThaiCalendar
) -> dict[Clock, ClockState]:
    """`apply_transition` for a lifecycle `Decision`, at the time of its timeline entry."""
    entry = decision.timeline
    return apply_transition(
        clocks,
        command=entry.command,
        from_status=entry.from_status,
        to_status=entry.to_status,
        at=entry.at,
        calendar=calendar,
        public_comment=is_office_answer(entry),
    )


# ------------------------------------------------------------ measuring


def elapsed_fraction(state: ClockState, now: datetime, calendar: ThaiCalendar) -> float:
    """Share of the clock's business time used by `now` (0 at the start, 1 at the deadline).

    Frozen while paused and after the stop.
    """
    until = _measured_until(state, now)
    total = calendar.business_days_between(state.started_at, state.due_at) - state.paused_total
    if total <= 0:
        # No business time at all (zero days, started at a weekend): due or not.
        return 1.0 if until > state.due_at else 0.0
    used = calendar.business_days_between(state.started_at, until) - state.paused_total
    return max(used, 0.0) / total


def _measured_until(state: ClockState, now: datetime) -> datetime:
    # A paused clock is measured as of its pause: its deadline moves when it resumes.
    return min(t for t in (now, state.paused_since, state.stopped_at) if t is not None)


def is_overdue(state: ClockState, now: datetime) -> bool:
    """True when the clock ran past its deadline (as of its pause or stop, if any)."""
    return _measured_until(state, now) > state.due_at


def due_thresholds(state: ClockState, now: datetime, calendar: ThaiCalendar) -> list[Threshold]:
    """Thresholds crossed by `now` and not yet emitted, ascending: 50, 75 (warnings), 100
    (breach). A stopped clock reports only a breach it incurred before it stopped."""
    if is_overdue(state, now):
        crossed: list[Threshold] = [100] if state.stopped_at is not None else list(THRESHOLDS)
    elif state.stopped_at is not None:
        return []
    else:
        fraction = elapsed_fraction(state, now, calendar)
        crossed = [t for t in THRESHOLDS if t < 100 and fraction >= t / 100]
    return [t for t in crossed if t not in state.emitted]


def mark_emitted(state: ClockState, thresholds: Iterable[Threshold]) -> ClockState:
    """The clock with `thresholds` recorded as emitted, so they are never emitted again."""
    return state.model_copy(update={"emitted": tuple(sorted(set(state.emitted) | set(thresholds)))})
