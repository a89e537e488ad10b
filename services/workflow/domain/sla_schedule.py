"""When the deadline scanner should look at a case next: the earliest moment one of its
clocks crosses a threshold it has not yet reported."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from services.workflow.domain.sla import ClockState, due_thresholds, elapsed_fraction, is_overdue
from shared.events import Clock
from shared.thai_calendar import ThaiCalendar

# Good enough for warnings, cheap enough to compute at every change of a case.
PRECISION = timedelta(minutes=1)


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
    target = pending[0] / 100
    lo, hi = now, state.due_at
    if hi <= lo:
        return state.due_at + timedelta(microseconds=1)
    # elapsed_fraction never decreases with time while the clock runs: bisect.
    while hi - lo > PRECISION:
        mid = lo + (hi - lo) / 2
        if elapsed_fraction(state, mid, calendar) >= target or is_overdue(state, mid):
            hi = mid
        else:
            lo = mid
    return hi


def next_check_at(
    clocks: Mapping[Clock, ClockState], now: datetime, calendar: ThaiCalendar
) -> datetime | None:
    moments = [m for s in clocks.values() if (m := next_crossing(s, now, calendar)) is not None]
    return min(moments) if moments else None
