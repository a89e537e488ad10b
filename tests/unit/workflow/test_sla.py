"""Deadlines: policies, the three clocks, the pause in awaiting_info, and the thresholds."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from services.workflow.adapters.policy_files import load_sla_config
from services.workflow.domain.lifecycle import (
    Actor,
    CaseState,
    Command,
    CommandPayload,
    Role,
    decide,
)
from services.workflow.domain.sla import (
    ClockState,
    SlaConfig,
    SlaPolicy,
    apply_decision,
    apply_transition,
    due_thresholds,
    elapsed_fraction,
    is_overdue,
    mark_emitted,
    pause,
    resume,
    start_clock,
    start_clocks,
    stop,
)
from shared.contract.events import CaseStatus, Clock, ComplaintType, Kind, Priority, Visibility
from shared.thai.calendar import ThaiCalendar
from shared.thai.dates import BANGKOK

CAL = ThaiCalendar()
S = CaseStatus


def bkk(m: int, d: int, h: int = 10, mi: int = 0, y: int = 2025) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=BANGKOK)


def end_of(m: int, d: int, y: int = 2025) -> datetime:
    return datetime(y, m, d, 23, 59, 59, tzinfo=BANGKOK)


OPENED = bkk(3, 10)  # Monday 10 March 2025, no holiday in the weeks after
DEFAULT = SlaPolicy()


# ------------------------------------------------------------- policies


def test_the_default_policy_is_the_legal_fifteen_days() -> None:
    assert (DEFAULT.acknowledge, DEFAULT.first_response, DEFAULT.resolution) == (1, 5, 15)
    assert load_sla_config().policy_for(Kind.complaint, Priority.normal) == DEFAULT


@pytest.mark.parametrize(
    ("kind", "priority", "complaint_type", "days"),
    [
        (Kind.complaint, Priority.normal, ComplaintType.service, (1, 5, 15)),
        (Kind.feedback, Priority.low, None, (1, 5, 15)),
        (Kind.complaint, Priority.high, ComplaintType.service, (1, 3, 10)),
        (Kind.complaint, Priority.high, ComplaintType.misconduct, (1, 2, 10)),
        (Kind.question, Priority.normal, None, (1, 3, 7)),
        (Kind.question, Priority.urgent, None, (1, 1, 5)),  # tightest of two rules
    ],
)
def test_the_shipped_policies(
    kind: Kind,
    priority: Priority,
    complaint_type: ComplaintType | None,
    days: tuple[int, int, int],
) -> None:
    policy = load_sla_config().policy_for(kind, priority, complaint_type)
    assert (policy.acknowledge, policy.first_response, policy.resolution) == days


def test_a_first_response_beyond_the_legal_fifteen_days_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"s\.38"):
        SlaPolicy(acknowledge=1, first_response=16, resolution=20)


def test_clocks_must_be_in_order() -> None:
    with pytest.raises(ValidationError, match="acknowledge <= first_response"):
        SlaPolicy(acknowledge=5, first_response=3, resolution=15)


def test_a_policy_file_with_a_misspelt_clock_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sla.yaml"
    path.write_text("default: {acknowledge: 1, first_respons: 5, resolution: 15}\n")
    with pytest.raises(ValidationError):
        load_sla_config(path)


def test_no_matching_rule_means_the_default() -> None:
    config = SlaConfig.model_validate(
        {"rules": [{"kind": "question", "acknowledge": 1, "first_response": 2, "resolution": 3}]}
    )
    assert config.policy_for(Kind.suggestion, Priority.low) == DEFAULT


# ------------------------------------------------------------- starting


def test_clocks_start_when_the_case_opens() -> None:
    clocks = start_clocks(DEFAULT, OPENED, CAL)
    assert clocks[Clock.acknowledge].due_at == end_of(3, 11)
    assert clocks[Clock.first_response].due_at == end_of(3, 17)
    assert clocks[Clock.resolution].due_at == end_of(3, 31)
    assert all(c.running and c.started_at == OPENED for c in clocks.values())


def test_fifteen_days_across_songkran_give_the_complainant_the_holidays() -> None:
    clock = start_clock(Clock.resolution, 15, bkk(4, 1), CAL)
    assert clock.due_at == end_of(4, 28)


# ------------------------------------------------------------- pause


def resolution(at: datetime = OPENED) -> ClockState:
    return start_clock(Clock.resolution, 15, at, CAL)


def test_a_pause_pushes_the_deadline_by_the_business_days_it_covered() -> None:
    paused = pause(resolution(), bkk(3, 12))  # Wednesday
    resumed = resume(paused, bkk(3, 14, 15), CAL)  # Friday: Thursday and Friday count
    assert resumed.due_at == end_of(4, 2)  # 31 March + 2 business days
    assert resumed.paused_total == 2
    assert resumed.running


def test_a_pause_over_a_weekend_and_songkran_counts_only_business_days() -> None:
    clock = resolution(bkk(4, 1))  # due 28 April
    resumed = resume(pause(clock, bkk(4, 11)), bkk(4, 17), CAL)
    assert resumed.paused_total == 1  # only Thursday 17 April; 12-16 were closed
    assert resumed.due_at == end_of(4, 29)


def test_a_pause_ending_the_day_it_began_pushes_nothing() -> None:
    resumed = resume(pause(resolution(), bkk(3, 12, 9)), bkk(3, 12, 16), CAL)
    assert resumed.due_at == end_of(3, 31)
    assert resumed.paused_total == 0


def test_a_paused_clock_does_not_breach_while_waiting_for_the_complainant() -> None:
    paused = pause(resolution(), bkk(3, 12))
    much_later = bkk(4, 30)
    assert not is_overdue(paused, much_later)
    assert due_thresholds(paused, much_later, CAL) == []
    assert elapsed_fraction(paused, much_later, CAL) == elapsed_fraction(paused, bkk(3, 12), CAL)


def test_after_a_pause_the_clock_runs_out_at_the_new_deadline() -> None:
    resumed = resume(pause(resolution(), bkk(3, 12)), bkk(3, 14, 15), CAL)
    assert elapsed_fraction(resumed, end_of(3, 31), CAL) < 1
    assert elapsed_fraction(resumed, resumed.due_at, CAL) == pytest.approx(1.0)
    assert due_thresholds(resumed, end_of(3, 31) + timedelta(seconds=2), CAL) == [50, 75]
    after_new_deadline = resumed.due_at + timedelta(seconds=1)
    assert due_thresholds(resumed, after_new_deadline, CAL) == [50, 75, 100]


# ------------------------------------------------------------- transitions


def moved(
    clocks: Mapping[Clock, ClockState],
    command: Command,
    from_status: CaseStatus,
    to_status: CaseStatus,
    at: datetime,
    public_comment: bool = False,
) -> dict[Clock, ClockState]:
    return apply_transition(
        clocks,
        command=command,
        from_status=from_status,
        to_status=to_status,
        at=at,
        calendar=CAL,
        public_comment=public_comment,
    )


def test_triage_acknowledges_and_nothing_else() -> None:
    clocks = moved(
        start_clocks(DEFAULT, OPENED, CAL), Command.triage, S.received, S.triaged, OPENED
    )
    assert clocks[Clock.acknowledge].stopped_at == OPENED
    assert clocks[Clock.first_response].running
    assert clocks[Clock.resolution].running


def test_any_change_of_status_acknowledges() -> None:
    clocks = start_clocks(DEFAULT, OPENED, CAL)
    after = moved(clocks, Command.start, S.assigned, S.in_progress, bkk(3, 11))
    assert after[Clock.acknowledge].stopped_at == bkk(3, 11)
    unchanged = moved(clocks, Command.comment, S.received, S.received, bkk(3, 11))
    assert unchanged[Clock.acknowledge].running


@pytest.mark.parametrize(
    ("command", "from_status", "to_status", "public", "stops_first_response"),
    [
        (Command.start, S.assigned, S.in_progress, False, True),
        (Command.request_info, S.in_progress, S.awaiting_info, False, True),
        (Command.resolve, S.in_progress, S.resolved, False, True),
        (Command.comment, S.in_progress, S.in_progress, True, True),
        (Command.comment, S.in_progress, S.in_progress, False, False),
        (Command.assign, S.assigned, S.assigned, False, False),
    ],
)
def test_what_counts_as_a_first_response(
    command: Command,
    from_status: CaseStatus,
    to_status: CaseStatus,
    public: bool,
    stops_first_response: bool,
) -> None:
    clocks = start_clocks(DEFAULT, OPENED, CAL)
    at = bkk(3, 11)
    after = moved(clocks, command, from_status, to_status, at, public_comment=public)
    assert (after[Clock.first_response].stopped_at == at) is stops_first_response


def test_request_info_pauses_resolution_and_info_received_resumes_it() -> None:
    clocks = start_clocks(DEFAULT, OPENED, CAL)
    waiting = moved(clocks, Command.request_info, S.in_progress, S.awaiting_info, bkk(3, 12))
    assert waiting[Clock.resolution].paused_since == bkk(3, 12)
    assert waiting[Clock.first_response].stopped_at == bkk(3, 12)
    back = moved(waiting, Command.info_received, S.awaiting_info, S.in_progress, bkk(3, 17))
    assert back[Clock.resolution].running
    assert back[Clock.resolution].due_at == end_of(4, 3)  # Thu, Fri, Mon paused: +3


def test_reassigning_while_waiting_keeps_the_clock_paused() -> None:
    clocks = start_clocks(DEFAULT, OPENED, CAL)
    waiting = moved(clocks, Command.request_info, S.in_progress, S.awaiting_info, bkk(3, 12))
    still = moved(waiting, Command.assign, S.awaiting_info, S.awaiting_info, bkk(3, 13))
    assert still[Clock.resolution].paused_since == bkk(3, 12)


def test_resolving_while_waiting_ends_the_pause_and_stops_the_clock() -> None:
    clocks = start_clocks(DEFAULT, OPENED, CAL)
    waiting = moved(clocks, Command.request_info, S.in_progress, S.awaiting_info, bkk(3, 12))
    done = moved(waiting, Command.resolve, S.awaiting_info, S.resolved, bkk(3, 14))
    assert done[Clock.resolution].stopped_at == bkk(3, 14)
    assert done[Clock.resolution].paused_since is None
    assert due_thresholds(done[Clock.resolution], bkk(6, 1), CAL) == []


@pytest.mark.parametrize("command", [Command.merge, Command.withdraw, Command.reject])
def test_closing_stops_every_clock(command: Command) -> None:
    clocks = start_clocks(DEFAULT, OPENED, CAL)
    closed = moved(clocks, command, S.triaged, S.closed, bkk(3, 11))
    assert all(c.stopped_at == bkk(3, 11) for c in closed.values())


def test_reopening_starts_a_fresh_resolution_clock() -> None:
    clocks = start_clocks(DEFAULT, OPENED, CAL)
    resolution_clock = mark_emitted(clocks[Clock.resolution], [50])
    clocks = {**clocks, Clock.resolution: resolution_clock}
    clocks = moved(clocks, Command.resolve, S.in_progress, S.resolved, bkk(3, 25))
    reopened = moved(clocks, Command.reopen, S.resolved, S.in_progress, bkk(4, 1))
    fresh = reopened[Clock.resolution]
    assert fresh.running and fresh.started_at == bkk(4, 1)
    assert fresh.due_at == end_of(4, 28)
    assert fresh.emitted == ()
    assert reopened[Clock.first_response] == clocks[Clock.first_response]


# ------------------------------------------------------------- thresholds


def test_warnings_at_half_and_three_quarters_then_breach_each_once() -> None:
    clock = start_clock(Clock.first_response, 4, OPENED, CAL)  # due end of Friday 14 March
    assert due_thresholds(clock, bkk(3, 11, 12), CAL) == []
    assert due_thresholds(clock, bkk(3, 12, 23), CAL) == [50]
    clock = mark_emitted(clock, [50])
    assert due_thresholds(clock, bkk(3, 12, 23), CAL) == []  # a second scan: nothing new
    assert due_thresholds(clock, bkk(3, 13, 23), CAL) == [75]
    clock = mark_emitted(clock, [75])
    assert due_thresholds(clock, end_of(3, 14), CAL) == []
    assert due_thresholds(clock, bkk(3, 15, 0, 1), CAL) == [100]
    clock = mark_emitted(clock, [100])
    assert due_thresholds(clock, bkk(5, 1), CAL) == []
    assert clock.emitted == (50, 75, 100)


def test_a_late_scan_reports_every_threshold_it_missed() -> None:
    clock = start_clock(Clock.acknowledge, 1, OPENED, CAL)
    assert due_thresholds(clock, bkk(3, 20), CAL) == [50, 75, 100]


def test_the_weekend_does_not_use_up_the_clock() -> None:
    clock = start_clock(Clock.acknowledge, 1, bkk(3, 14, 10), CAL)  # Friday, due Monday
    assert due_thresholds(clock, bkk(3, 16, 23), CAL) == []  # Sunday night: 37% used
    assert due_thresholds(clock, bkk(3, 17, 6), CAL) == [50]  # Monday 06:00: 53%


def test_a_clock_satisfied_in_time_never_warns_again() -> None:
    clock = stop(start_clock(Clock.acknowledge, 1, OPENED, CAL), bkk(3, 10, 11), CAL)
    assert due_thresholds(clock, bkk(4, 1), CAL) == []
    assert not is_overdue(clock, bkk(4, 1))


def test_a_clock_satisfied_late_still_reports_its_breach_but_no_warnings() -> None:
    clock = stop(start_clock(Clock.acknowledge, 1, OPENED, CAL), bkk(3, 12, 9), CAL)
    assert is_overdue(clock, bkk(4, 1))
    assert due_thresholds(clock, bkk(4, 1), CAL) == [100]


def test_an_office_closure_moves_deadlines_and_warnings() -> None:
    closed_wednesday = ThaiCalendar(closures=[bkk(3, 12).date()])
    clock = start_clock(Clock.first_response, 2, OPENED, closed_wednesday)
    assert clock.due_at == end_of(3, 13)
    # Wednesday is not business time: the share used does not move all day.
    assert elapsed_fraction(clock, bkk(3, 12, 23), closed_wednesday) == pytest.approx(
        elapsed_fraction(clock, bkk(3, 11, 23, 59), closed_wednesday), abs=1e-3
    )


# ------------------------------------------------------------- from a lifecycle decision


@pytest.mark.parametrize(
    ("visibility", "stops_first_response"),
    [(Visibility.public, True), (Visibility.internal, False)],
)
def test_a_decision_moves_the_clocks_at_its_time(
    visibility: Visibility, stops_first_response: bool
) -> None:
    case = CaseState(case_id="C-1", status=S.in_progress, unit="admin", category="other")
    decision = decide(
        case,
        Command.comment,
        Actor(id="alice", role=Role.staff),
        CommandPayload(text="We are on it", visibility=visibility),
        bkk(3, 11),
    )
    clocks = apply_decision(start_clocks(DEFAULT, OPENED, CAL), decision, CAL)
    assert (clocks[Clock.first_response].stopped_at == bkk(3, 11)) is stops_first_response


def test_a_request_for_information_decision_pauses_the_resolution_clock() -> None:
    case = CaseState(case_id="C-1", status=S.in_progress, unit="admin", category="other")
    decision = decide(
        case,
        Command.request_info,
        Actor(id="alice", role=Role.staff),
        CommandPayload(public_reason="Which school?"),
        bkk(3, 12),
    )
    clocks = apply_decision(start_clocks(DEFAULT, OPENED, CAL), decision, CAL)
    assert clocks[Clock.resolution].paused_since == bkk(3, 12)
