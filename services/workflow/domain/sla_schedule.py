"""When the deadline scanner should look at a case next: the earliest moment one of its
clocks crosses a threshold it has not yet reported."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from services.workflow.domain.sla import ClockState, due_thresholds
from shared.contract.events import Clock
from shared.thai.calendar import ThaiCalendar

# How close to the crossing tests expect the computed moment to be.
PRECISION = timedelta(seconds=1)


def next_crossing(state: ClockState, now: datetime, calendar: ThaiCalendar) -> datetime | None:
    """The first moment at or after `now` when `due_thresholds` will be non-empty, or None
    if the clock is stopped, paused or has reported everything."""
    if due_thresholds(state, now, calendar):
        return now
    if state.stopped_at is not None or state.paused_since is not None or 100 in state.emitted:
        return None
    pending = [t for t in (50, 75) if t not in state.emitted]
    if not pending:
        return state.due_at + timedelta(microseconds=1)
    just_late = state.due_at + timedelta(microseconds=1)
    total = calendar.business_days_between(state.started_at, state.due_at) - state.paused_total
    if total <= 0:
        return just_late
    # Invert elapsed_fraction: the moment the used business time reaches the threshold.
    used = pending[0] / 100 * total + state.paused_total
    at = calendar.moment_after(state.started_at, used)
    return max(min(at, just_late), now)


def next_check_at(
    clocks: Mapping[Clock, ClockState], now: datetime, calendar: ThaiCalendar
) -> datetime | None:
    moments = [m for s in clocks.values() if (m := next_crossing(s, now, calendar)) is not None]
    return min(moments) if moments else None
