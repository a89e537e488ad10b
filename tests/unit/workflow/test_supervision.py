"""The supervisor view's rules: each person's load (open, late, due soon, awaiting
information, absent today), the late cases and how late, who may receive cases handed
over, which chosen cases go on to the lifecycle, and what an absence may be."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.workflow.domain.assignment import Absence, StaffMember
from services.workflow.domain.sla import ClockState
from services.workflow.domain.supervision import (
    LATE_PER_PAGE,
    AbsenceRefused,
    CannotReceive,
    HandOver,
    OpenCase,
    current_absences,
    hand_over,
    is_due_soon,
    late_cases,
    late_page,
    lateness,
    new_absence,
    receivers,
    unit_load,
    why_not_receiver,
)
from services.workflow.handlers.commands import open_case_moves
from shared.contract.events import CaseStatus, Clock
from shared.thai.calendar import ThaiCalendar
from shared.thai.dates import BANGKOK, parse_date

CAL = ThaiCalendar()
# A Tuesday with no holiday near it: Friday the 6th is two working days back (Monday, and
# Tuesday morning), Thursday the 12th the end of the second working day ahead.
NOW = datetime(2025, 6, 10, 10, 0, tzinfo=BANGKOK)
TODAY = NOW.date()
OPENED = datetime(2025, 5, 20, 9, 0, tzinfo=BANGKOK)


def end_of(day: int) -> datetime:
    return datetime(2025, 6, day, 23, 59, 59, tzinfo=BANGKOK)


def clock(due: datetime, which: Clock = Clock.resolution, **more: object) -> ClockState:
    return ClockState.model_validate(
        {"clock": which, "business_days": 15, "started_at": OPENED, "due_at": due, **more}
    )


def case(
    case_id: str,
    assignee: str | None,
    *clocks: ClockState,
    status: CaseStatus = CaseStatus.in_progress,
    version: int = 3,
) -> OpenCase:
    return OpenCase(
        case_id=case_id,
        tracking_code=f"SG-{case_id.upper()}",
        subject=f"subject {case_id}",
        status=status,
        version=version,
        assignee=assignee,
        clocks={c.clock: c for c in clocks},
    )


def member(id: str, unit: str = "personnel", **changes: object) -> StaffMember:
    return StaffMember.model_validate({"id": id, "unit": unit, "name": id.title(), **changes})


ANN, BEN = member("ann"), member("ben")
AWAY = member("cat", absences=[Absence(start=date(2025, 6, 9), end=date(2025, 6, 13))])
LATER = member("dan", absences=[Absence(start=date(2025, 6, 20), end=date(2025, 6, 21))])
GONE = member("eve", active=False)
TEAM = [ANN, BEN, AWAY, LATER, GONE]

LATE = case("late", "ann", clock(end_of(6)))
SOON = case("soon", "ann", clock(end_of(12)))
LATER_DUE = case("later", "ann", clock(end_of(13)))
WAITING = case(
    "waiting",
    "ben",
    clock(end_of(6), paused_since=datetime(2025, 6, 2, 9, 0, tzinfo=BANGKOK)),
    status=CaseStatus.awaiting_info,
)
DONE = case("done", "ben", clock(end_of(6), stopped_at=NOW), status=CaseStatus.resolved)
NOBODYS = case("nobody", None, clock(end_of(4), emitted=(50, 75, 100)), status=CaseStatus.triaged)
LEFT = case("left", "fay", clock(end_of(13)))


def test_each_person_s_load_counts_open_late_due_soon_and_awaiting_information() -> None:
    cases = [LATE, SOON, LATER_DUE, WAITING, DONE, NOBODYS, LEFT]
    loads, unassigned = unit_load(TEAM, cases, NOW, CAL)
    by_id = {load.person.id: load for load in loads if load.person}
    ann, ben = by_id["ann"], by_id["ben"]
    assert (ann.open, ann.late, ann.due_soon, ann.awaiting_info) == (3, 1, 1, 0)
    # Paused before its deadline: not late, and its deadline moves when it resumes.
    assert (ben.open, ben.late, ben.due_soon, ben.awaiting_info) == (1, 0, 0, 1)
    # Not yet assigned, or of someone no longer in the unit: nobody here works on them.
    assert (unassigned.open, unassigned.late) == (2, 1)
    assert [load.person.id for load in loads if load.person] == ["ann", "ben", "cat", "dan", "eve"]


def test_who_is_absent_today_shows_and_may_not_receive() -> None:
    loads, _ = unit_load(TEAM, [], NOW, CAL)
    by_id = {load.person.id: load for load in loads if load.person}
    assert by_id["cat"].absent == Absence(start=date(2025, 6, 9), end=date(2025, 6, 13))
    assert not by_id["cat"].receives
    assert by_id["dan"].absent is None and by_id["dan"].receives  # away only later
    assert not by_id["eve"].receives  # account closed


def test_late_cases_come_latest_first_with_working_days_late_and_escalation() -> None:
    found = late_cases([SOON, LATE, NOBODYS, WAITING, DONE], NOW, CAL)
    assert [f.case.case_id for f in found] == ["nobody", "late"]
    nobody, late = found
    # Due at the end of Wednesday the 4th: Thursday, Friday, Monday and Tuesday morning.
    assert (nobody.lateness.working_days, nobody.lateness.escalated) == (4, True)
    # Due at the end of Friday: Monday and Tuesday morning (the weekend does not count).
    assert (late.lateness.working_days, late.lateness.escalated) == (2, False)
    assert late.lateness.clock is Clock.resolution and late.lateness.due_at == end_of(6)


def test_a_long_late_list_comes_in_pages_of_fifty_and_a_stale_page_shows_the_last() -> None:
    many = late_cases(
        [case(f"c{i:03}", "ann", clock(end_of(6) - timedelta(days=i))) for i in range(120)],
        NOW,
        CAL,
    )
    first, last = late_page(many, 1), late_page(many, 3)
    assert (first.first, first.last, first.total, first.pages) == (1, LATE_PER_PAGE, 120, 3)
    assert (last.first, last.last, len(last.cases)) == (101, 120, 20)
    shown = [c for n in (1, 2, 3) for c in late_page(many, n).cases]
    assert shown == many  # every late case once, in the same order
    assert late_page(many, 9).number == 3  # cases were handed over since the link was made
    assert late_page(many[:3], 2).number == 1
    empty = late_page([], 1)
    assert (empty.cases, empty.pages, empty.first, empty.last) == ([], 1, 0, 0)


def test_a_deadline_passed_a_moment_ago_is_one_working_day_late() -> None:
    just = case("just", "ann", clock(datetime(2025, 6, 9, 23, 59, 59, tzinfo=BANGKOK)))
    late = lateness(just, NOW, CAL)
    assert late is not None and late.working_days == 1


def test_the_clock_furthest_past_its_deadline_says_how_late() -> None:
    two = case(
        "two",
        "ann",
        clock(end_of(9), Clock.resolution),
        clock(end_of(4), Clock.first_response, emitted=(100,)),
        clock(end_of(2), Clock.acknowledge, stopped_at=end_of(1)),
    )
    late = lateness(two, NOW, CAL)
    assert late is not None and late.clock is Clock.first_response and late.escalated


def test_a_paused_clock_is_late_as_of_its_pause() -> None:
    paused_late = case(
        "p",
        "ben",
        clock(end_of(4), paused_since=datetime(2025, 6, 6, 10, 0, tzinfo=BANGKOK)),
        status=CaseStatus.awaiting_info,
    )
    late = lateness(paused_late, NOW, CAL)
    # Late on Thursday and until Friday 10:00, when it paused: two working days, not four.
    assert late is not None and late.working_days == 2
    assert not is_due_soon(paused_late, NOW, CAL)


def test_due_soon_is_by_the_end_of_the_second_working_day() -> None:
    assert is_due_soon(SOON, NOW, CAL)
    assert not is_due_soon(LATER_DUE, NOW, CAL)
    assert not is_due_soon(LATE, NOW, CAL)  # late, counted as late


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["ann", "ben", "cat", None, "fay"]),
            st.sampled_from(list(CaseStatus)),
            st.integers(min_value=-10, max_value=10),
        ),
        max_size=30,
    )
)
def test_every_open_case_is_counted_once(rows: list[tuple[str | None, CaseStatus, int]]) -> None:
    cases = [
        case(f"c{i}", who, clock(NOW + timedelta(days=days)), status=status)
        for i, (who, status, days) in enumerate(rows)
    ]
    loads, unassigned = unit_load(TEAM, cases, NOW, CAL)
    active = [c for c in cases if c.status not in (CaseStatus.resolved, CaseStatus.closed)]
    assert sum(x.open for x in [*loads, unassigned]) == len(active)
    assert sum(x.late for x in [*loads, unassigned]) == len(late_cases(cases, NOW, CAL))
    for x in [*loads, unassigned]:
        assert x.late + x.due_soon <= x.open


def test_who_may_receive_cases() -> None:
    assert why_not_receiver(ANN, "personnel", TODAY) is None
    assert why_not_receiver(None, "personnel", TODAY) is CannotReceive.not_in_unit
    assert why_not_receiver(member("zed", "finance"), "personnel", TODAY) is (
        CannotReceive.not_in_unit
    )
    assert why_not_receiver(GONE, "personnel", TODAY) is CannotReceive.inactive
    assert why_not_receiver(AWAY, "personnel", TODAY) is CannotReceive.absent
    assert why_not_receiver(AWAY, "personnel", date(2025, 6, 16)) is None  # back on Monday
    assert [p.id for p in receivers(TEAM, "personnel", TODAY)] == ["ann", "ben", "dan"]


def test_a_chosen_case_moves_only_if_it_is_as_the_page_showed_it() -> None:
    assert hand_over(LATE, 3, "ben") is HandOver.move
    assert hand_over(LATE, 2, "ben") is HandOver.changed
    assert hand_over(LATE, 3, "ann") is HandOver.already_theirs
    assert hand_over(None, 3, "ben") is HandOver.not_found


def test_handing_a_case_over_moves_one_open_case_between_the_two_people() -> None:
    assert open_case_moves("ann", CaseStatus.in_progress, "ben", CaseStatus.in_progress) == {
        "ann": -1,
        "ben": 1,
    }
    assert open_case_moves(None, CaseStatus.triaged, "ben", CaseStatus.assigned) == {"ben": 1}
    assert open_case_moves("ann", CaseStatus.in_progress, "ann", CaseStatus.resolved) == {"ann": -1}
    assert open_case_moves("ann", CaseStatus.assigned, "ann", CaseStatus.in_progress) == {}


def test_an_absence_must_be_in_order_not_over_and_at_most_a_year() -> None:
    assert new_absence(TODAY, TODAY, TODAY) == Absence(start=TODAY, end=TODAY)
    # Begun last week and still going: kept (it matters today).
    assert new_absence(date(2025, 6, 2), date(2025, 6, 11), TODAY).end == date(2025, 6, 11)
    for start, end, why in (
        (date(2025, 6, 12), date(2025, 6, 11), "order"),
        (date(2025, 6, 2), date(2025, 6, 9), "past"),
        (date(2025, 6, 12), date(2026, 6, 12), "too_long"),
    ):
        with pytest.raises(AbsenceRefused) as refused:
            new_absence(start, end, TODAY)
        assert refused.value.code == why


def test_only_absences_not_yet_over_are_shown_soonest_first() -> None:
    person = member(
        "gus",
        absences=[
            Absence(start=date(2025, 7, 1), end=date(2025, 7, 2)),
            Absence(start=date(2025, 6, 1), end=date(2025, 6, 3)),
            Absence(start=date(2025, 6, 10), end=date(2025, 6, 10)),
        ],
    )
    assert [a.start.day for a in current_absences(person, TODAY)] == [10, 1]


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("5/3/2569", date(2026, 3, 5)),
        ("05/03/2569", date(2026, 3, 5)),
        ("๕/๓/๒๕๖๙", date(2026, 3, 5)),
        ("2026-03-05", date(2026, 3, 5)),
        ("2569-03-05", date(2026, 3, 5)),
        (" 5/3/2026 ", date(2026, 3, 5)),
    ],
)
def test_a_date_is_read_as_typed_in_be_or_ce(typed: str, day: date) -> None:
    assert parse_date(typed) == day


@pytest.mark.parametrize("typed", ["", "tomorrow", "30/2/2569", "5-3-2569", "2569/03/05", "5/3/69"])
def test_anything_else_is_not_a_date(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_date(typed)
