"""The scanner's next look at a case comes exactly when a threshold is crossed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.workflow.domain.sla import due_thresholds, mark_emitted, start_clock, stop
from services.workflow.domain.sla_schedule import PRECISION, next_check_at, next_crossing
from shared.contract.events import Clock
from shared.thai.calendar import ThaiCalendar

CAL = ThaiCalendar()
# Monday 2 November 2026, 09:00 in Bangkok.
START = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def test_next_crossing_is_when_the_50_percent_warning_becomes_due() -> None:
    clock = start_clock(Clock.resolution, 10, START, CAL)
    at = next_crossing(clock, START, CAL)
    assert at is not None
    assert due_thresholds(clock, at, CAL) == [50]
    assert due_thresholds(clock, at - 2 * PRECISION, CAL) == []


def test_after_warnings_the_next_look_is_just_past_the_deadline() -> None:
    clock = mark_emitted(start_clock(Clock.resolution, 10, START, CAL), [50, 75])
    at = next_crossing(clock, START, CAL)
    assert at is not None and at > clock.due_at
    assert due_thresholds(clock, at, CAL) == [100]


def test_stopped_or_fully_reported_clocks_need_no_look() -> None:
    clock = start_clock(Clock.acknowledge, 1, START, CAL)
    assert next_crossing(stop(clock, START + timedelta(hours=1), CAL), START, CAL) is None
    assert next_crossing(mark_emitted(clock, [50, 75, 100]), START, CAL) is None
    assert (
        next_check_at({Clock.acknowledge: mark_emitted(clock, [50, 75, 100])}, START, CAL) is None
    )


def test_the_case_is_looked_at_for_its_earliest_clock() -> None:
    ack = start_clock(Clock.acknowledge, 1, START, CAL)
    res = start_clock(Clock.resolution, 15, START, CAL)
    both = next_check_at({Clock.acknowledge: ack, Clock.resolution: res}, START, CAL)
    assert both == next_crossing(ack, START, CAL)
