"""Event → view updates, pure: `reduce(event, facts) -> Reduction(new_facts, updates)`.

The adapter loads the case's facts (by `case_id`), calls `reduce`, and in one
transaction stores `new_facts`, applies each update as
`update_one(u.filter(), u.to_mongo(), upsert=True)` and records the event id in its
processed-event ledger. Redelivery is the ledger's business; here, the same events in
the same per-case order always give the same facts and updates.

Rules worth knowing (why, where it is not obvious):

- A case is counted in the period it was received in and under its current unit and
  category; `case.triaged` or `case.assigned` naming another unit or category moves
  every contribution of the case to the new cell.
- Status: `case.status_changed` is the truth; `case.triaged`, `case.assigned`,
  `case.reopened` and `case.closed` also move the status when it obviously follows (so
  the views are right whether or not the workflow emits a status change beside them),
  and moving to the status a case is already in does nothing.
- Answered within 15 days (Royal Decree B.E. 2546 s.38): the first *public answer* is
  the first public comment, resolution or closing. It is in time when given at or
  before `deadlines[resolution]` from `case.opened` (the workflow counts that in
  business days on the office calendar), else within 15 *calendar* days of receipt,
  which is never more lenient than business days. It is late when answered after the
  due time, or as soon as any event of the case arrives after the due time unanswered,
  so an office cannot look punctual by never answering.
- Each SLA clock with a deadline is met or missed the same way; its completion is:
  acknowledge = first triage, assignment, status change or answer; first_response =
  the first public answer; resolution = resolved or closed (any reason stops it). A
  `case.sla_breached` marks the clock missed and counts one breach per case and clock.
- Durations are whole seconds; times kept in facts are cut to milliseconds as BSON
  does, so facts read back from MongoDB give the same numbers as facts kept in memory.
- Events of a case never opened here (facts None) are counted in `report_orphans` by
  event type, and change nothing else. `submission.received` is not a case yet and is
  ignored; notifications are counted whether or not their case is known.
- Participation events (`siang.participation.v1`) go to `domain.participation`; an event
  type no reducer names changes nothing (it stays in the journal for a later rebuild).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from services.reporting.domain import views as v
from services.reporting.domain.facts import CaseDims, CaseFacts
from services.reporting.domain.histogram import (
    BUCKET_FIELDS,
    SUM_FIELD,
    observation,
)
from services.reporting.domain.participation import participation_updates
from services.reporting.domain.views import Outcome, Span, ViewUpdate
from shared.contract.events import (
    REGISTRY,
    CaseAssigned,
    CaseClosed,
    CaseCommented,
    CaseMerged,
    CaseOpened,
    CaseReopened,
    CaseSlaBreached,
    CaseSlaWarning,
    CaseStatus,
    CaseStatusChanged,
    CaseTriaged,
    Clock,
    CloseReason,
    CloudEvent,
    NotificationFailed,
    NotificationSent,
    SurveyAnswered,
    Visibility,
)
from shared.thai.fiscal import fiscal_period

S38 = "s38"
S38_DAYS = 15
_SECOND = timedelta(seconds=1)
_EARLY_STATUSES = (CaseStatus.received, CaseStatus.triaged)


@dataclass(frozen=True, slots=True)
class Reduction:
    """The case's facts after the event (None if still unknown) and the view updates."""

    new_facts: CaseFacts | None
    updates: tuple[ViewUpdate, ...]


def _ms(moment: datetime) -> datetime:
    # BSON keeps milliseconds; cut the same way so stored and in-memory facts agree.
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _seconds(start: datetime, end: datetime) -> int:
    return max((end - start) // _SECOND, 0)


class _Draft:
    """A case being changed by one event: new facts plus the increments per cell."""

    def __init__(self, facts: CaseFacts) -> None:
        self.facts = facts
        self.contributions = dict(facts.contributions)
        self.outcomes = dict(facts.outcomes)
        self.dwell_s = dict(facts.dwell_s)
        self.deltas: dict[CaseDims, dict[str, int]] = {}

    # ------------------------------------------------------------ bookkeeping

    def add(self, name: str, amount: int) -> None:
        if amount == 0:
            return
        cell = self.deltas.setdefault(self.facts.dims, {})
        cell[name] = cell.get(name, 0) + amount
        total = self.contributions.get(name, 0) + amount
        if total:
            self.contributions[name] = total
        else:
            del self.contributions[name]

    def once(self, name: str) -> None:
        """Count 1 under `name` unless this case already did."""
        if name not in self.contributions:
            self.add(name, 1)

    def change(self, **fields: Any) -> None:
        self.facts = replace(self.facts, **fields)

    def move_to(self, dims: CaseDims) -> None:
        """Take every contribution out of the current cell and put it in `dims`."""
        old = self.facts.dims
        if dims == old:
            return
        out = self.deltas.setdefault(old, {})
        into = self.deltas.setdefault(dims, {})
        for name, amount in self.contributions.items():
            out[name] = out.get(name, 0) - amount
            into[name] = into.get(name, 0) + amount
        self.change(dims=dims)

    def observe(self, prefix: str, seconds: int) -> None:
        """Record this case's duration under a histogram prefix, replacing an earlier one."""
        for name in BUCKET_FIELDS:
            if self.contributions.get(prefix + name):
                self.add(prefix + name, -1)
                self.add(prefix + SUM_FIELD, -self.contributions.get(prefix + SUM_FIELD, 0))
                break
        for name, amount in observation(seconds).items():
            self.add(prefix + name, amount)

    def result(self) -> Reduction:
        facts = replace(
            self.facts,
            contributions=self.contributions,
            outcomes=self.outcomes,
            dwell_s=self.dwell_s,
        )
        updates = tuple(
            ViewUpdate(v.CASES, dims.key(), {k: n for k, n in inc.items() if n})
            for dims, inc in self.deltas.items()
            if any(inc.values())
        )
        return Reduction(facts, updates)

    # -------------------------------------------------------------- deadlines

    def _due(self, deadline: str) -> datetime | None:
        return self.facts.s38_due if deadline == S38 else self.facts.deadlines.get(deadline)

    def decide(self, deadline: str, outcome: Outcome) -> None:
        if deadline in self.outcomes:
            return
        self.outcomes[str(deadline)] = str(outcome)
        if deadline == S38:
            self.add(v.S38_IN_TIME if outcome is Outcome.met else v.S38_LATE, 1)
        else:
            self.add(v.sla_field(deadline, outcome), 1)

    def complete(self, deadline: str, at: datetime) -> None:
        due = self._due(deadline)
        if due is not None:
            self.decide(deadline, Outcome.met if at <= due else Outcome.missed)

    def expire(self, now: datetime) -> None:
        """Decide as missed every deadline that passed with the case still not done."""
        for deadline in (S38, *self.facts.deadlines):
            due = self._due(deadline)
            if due is not None and now > due:
                self.decide(deadline, Outcome.missed)

    # ------------------------------------------------------------- milestones

    def acknowledged(self, at: datetime) -> None:
        self.complete(Clock.acknowledge, at)

    def assigned(self, at: datetime) -> None:
        self.acknowledged(at)
        if self.facts.assigned_at is None:
            self.change(assigned_at=_ms(at))
            self.observe(
                v.span_prefix(Span.received_to_assigned), _seconds(self.facts.received_at, at)
            )

    def answered(self, at: datetime) -> None:
        self.acknowledged(at)
        self.complete(Clock.first_response, at)
        self.complete(S38, at)
        if self.facts.answered_at is None:
            self.change(answered_at=_ms(at))
            self.observe(
                v.span_prefix(Span.received_to_answered), _seconds(self.facts.received_at, at)
            )

    def resolved(self, at: datetime) -> None:
        self.answered(at)
        self.complete(Clock.resolution, at)
        self.once(v.RESOLVED)
        self.change(resolved_at=_ms(at))
        received = self.facts.received_at
        self.observe(v.span_prefix(Span.received_to_resolved), _seconds(received, at))
        if self.facts.assigned_at is not None:
            self.observe(
                v.span_prefix(Span.assigned_to_resolved), _seconds(self.facts.assigned_at, at)
            )

    def move_status(self, to: str, at: datetime) -> None:
        """Leave the current status for `to`, with everything that follows from it."""
        current, to = self.facts.status, str(to)
        if to == current:
            return
        if current == CaseStatus.closed:
            self.add(v.CLOSED, -1)
            if self.facts.close_reason is not None:
                self.add(v.closed_by_field(self.facts.close_reason), -1)
            self.change(close_reason=None, closed_at=None)
        else:
            spent = self.dwell_s.get(current, 0) + _seconds(self.facts.status_since, at)
            self.dwell_s[current] = spent
            self.observe(v.dwell_prefix(current), spent)
            self.add(v.open_field(current), -1)
        self.change(status=to, status_since=_ms(at))
        self.acknowledged(at)
        if to == CaseStatus.closed:
            self.add(v.CLOSED, 1)
            self.change(closed_at=_ms(at))
            self.answered(at)
            self.complete(Clock.resolution, at)
            self.observe(
                v.span_prefix(Span.received_to_closed), _seconds(self.facts.received_at, at)
            )
        else:
            self.add(v.open_field(to), 1)
        if to == CaseStatus.assigned:
            self.assigned(at)
        elif to == CaseStatus.resolved:
            self.resolved(at)


# ---------------------------------------------------------------- per event type


def _opened(data: CaseOpened) -> Reduction:
    period = fiscal_period(data.received_at)
    received = _ms(data.received_at)
    deadlines = {str(clock): _ms(due) for clock, due in data.deadlines.items()}
    s38_due = deadlines.get(Clock.resolution, received + timedelta(days=S38_DAYS))
    dims = CaseDims(
        fiscal_year=period.fiscal_year,
        round=period.round,
        month=period.month,
        unit=data.unit,
        category=data.category,
        kind=str(data.kind),
        complaint_type=None if data.complaint_type is None else str(data.complaint_type),
        channel=str(data.channel),
    )
    facts = CaseFacts(
        case_id=data.case_id,
        dims=dims,
        received_at=received,
        status=str(CaseStatus.received),
        status_since=received,
        s38_due=s38_due,
        deadlines=deadlines,
    )
    draft = _Draft(facts)
    draft.add(v.RECEIVED, 1)
    draft.add(v.open_field(CaseStatus.received), 1)
    return draft.result()


def _case_event(data: BaseModel, facts: CaseFacts, at: datetime) -> Reduction:
    draft = _Draft(facts)
    draft.expire(at)
    match data:
        case CaseTriaged():
            draft.move_to(replace(facts.dims, unit=data.unit, category=data.category))
            if facts.status == CaseStatus.received:
                draft.move_status(CaseStatus.triaged, at)
            draft.acknowledged(at)
        case CaseAssigned():
            draft.move_to(replace(facts.dims, unit=data.unit))
            if facts.status in _EARLY_STATUSES:
                draft.move_status(CaseStatus.assigned, at)
            draft.assigned(at)
        case CaseStatusChanged():
            draft.move_status(data.to_status, at)
        case CaseCommented():
            if data.visibility is Visibility.public:
                draft.answered(at)
        case CaseMerged():
            draft.once(v.MERGED)
        case CaseReopened():
            draft.add(v.REOPENED, 1)
            if facts.status in (CaseStatus.resolved, CaseStatus.closed):
                draft.move_status(CaseStatus.in_progress, at)
        case CaseSlaWarning():
            draft.add(v.warning_field(data.clock), 1)
        case CaseSlaBreached():
            draft.once(v.breach_field(data.clock))
            draft.decide(str(data.clock), Outcome.missed)
        case CaseClosed():
            draft.move_status(CaseStatus.closed, at)
            if draft.facts.close_reason is None:
                draft.change(close_reason=str(data.reason))
                draft.add(v.closed_by_field(data.reason), 1)
            if data.reason is CloseReason.resolved and v.RESOLVED not in draft.contributions:
                draft.resolved(at)
        case SurveyAnswered():
            # One answer per case counts: the first (the intake refuses a second).
            if not facts.surveyed:
                draft.change(surveyed=True)
                draft.add(v.SURVEY_COUNT, 1)
                draft.add(v.SURVEY_RATING_SUM, data.rating)
                draft.add(v.rating_field(data.rating), 1)
                draft.add(v.SURVEY_SOLVED if data.solved else v.SURVEY_NOT_SOLVED, 1)
    return draft.result()


def _notification(data: NotificationSent | NotificationFailed, at: datetime) -> ViewUpdate:
    period = fiscal_period(at)
    key: Mapping[str, v.Scalar] = {
        "fiscal_year": period.fiscal_year,
        "round": period.round,
        "month": period.month,
        "channel": data.channel,
    }
    inc = {v.SENT: 1} if isinstance(data, NotificationSent) else {v.FAILED: 1}
    if isinstance(data, NotificationFailed) and data.permanent:
        inc[v.FAILED_PERMANENT] = 1
    return ViewUpdate(v.NOTIFICATIONS, key, inc)


def _orphan(event: CloudEvent[Any]) -> Reduction:
    name = REGISTRY[event.type].name if event.type in REGISTRY else event.type
    return Reduction(None, (ViewUpdate(v.ORPHANS, {"event_type": name}, {v.ORPHAN_COUNT: 1}),))


_CASE_EVENTS = (
    CaseTriaged,
    CaseAssigned,
    CaseStatusChanged,
    CaseCommented,
    CaseMerged,
    CaseReopened,
    CaseSlaWarning,
    CaseSlaBreached,
    CaseClosed,
    SurveyAnswered,
)


def case_id_of(event: CloudEvent[Any]) -> str | None:
    """The case whose facts `reduce` needs for this event, or None if it needs none."""
    data = event.data
    if isinstance(data, (CaseOpened, *_CASE_EVENTS)):
        return str(data.case_id)
    return None


def reduce(event: CloudEvent[Any], facts: CaseFacts | None) -> Reduction:
    """The case facts after `event` and the view updates it causes. Pure and deterministic.

    `facts` are those of `case_id_of(event)` (None if unknown or not needed). A
    `case.opened` for a case already known changes nothing (a re-sent opening); other
    case events for an unknown case count one orphan. Notification, participation and
    submission events return `new_facts = facts` unchanged.
    """
    data = event.data
    if isinstance(data, CaseOpened):
        return Reduction(facts, ()) if facts is not None else _opened(data)
    if isinstance(data, NotificationSent | NotificationFailed):
        return Reduction(facts, (_notification(data, event.time),))
    if not isinstance(data, _CASE_EVENTS):
        # Participation events need no case facts; one not reduced there changes nothing.
        return Reduction(facts, participation_updates(event))
        return Reduction(facts, ())
    if facts is None:
        return _orphan(event)
    if facts.case_id != data.case_id:
        raise ValueError(f"facts of case {facts.case_id} given for an event of {data.case_id}")
    # A survey is timed by its answer; everything else by the event (the change) time.
    at = data.answered_at if isinstance(data, SurveyAnswered) else event.time
    return _case_event(data, facts, at)
