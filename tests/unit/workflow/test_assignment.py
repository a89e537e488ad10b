"""Choosing an assignee: fewest open cases, round-robin on ties, caps, absences, exclusions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from services.workflow.domain.assignment import (
    Absence,
    StaffMember,
    choose_assignee,
    named_staff_ids,
    unit_supervisors,
)

TODAY = date(2025, 6, 10)


def member(id: str, unit: str = "promotion", **changes: object) -> StaffMember:
    return StaffMember.model_validate({"id": id, "unit": unit, **changes})


TEAM = [
    member("ann"),
    member("ben"),
    member("cat"),
    member("sup", role="supervisor", name="Somchai K."),
    member("zed", unit="finance"),
]


def choose(
    staff: Iterable[StaffMember] = TEAM,
    open_cases: Mapping[str, int] | None = None,
    last_assigned: str | None = None,
    exclude: Collection[str] = (),
    supervisors_only: bool = False,
) -> str | None:
    return choose_assignee(
        staff,
        unit="promotion",
        on=TODAY,
        open_cases=open_cases or {},
        last_assigned=last_assigned,
        exclude=exclude,
        supervisors_only=supervisors_only,
    )


def test_the_member_with_fewest_open_cases_gets_the_case() -> None:
    assert choose(open_cases={"ann": 3, "ben": 1, "cat": 2}) == "ben"


def test_only_members_of_the_unit_are_considered() -> None:
    assert choose(open_cases={"ann": 5, "ben": 5, "cat": 5}) != "zed"
    assert choose_assignee(TEAM, unit="finance", on=TODAY, open_cases={}) == "zed"


def test_supervisors_do_not_receive_routine_cases() -> None:
    assert choose(open_cases={"ann": 9, "ben": 9, "cat": 9}) in {"ann", "ben", "cat"}


def test_ties_go_round_robin_after_the_last_assigned() -> None:
    assert choose() == "ann"
    assert choose(last_assigned="ann") == "ben"
    assert choose(last_assigned="ben") == "cat"
    assert choose(last_assigned="cat") == "ann"  # wraps around
    # Only the tied members take part: ben has more, so after ann comes cat.
    assert choose(open_cases={"ann": 1, "ben": 2, "cat": 1}, last_assigned="ann") == "cat"


def test_a_cursor_naming_someone_who_left_still_works() -> None:
    assert choose(last_assigned="bea") == "ben"


def test_a_member_at_their_cap_is_skipped() -> None:
    staff = [member("ann", cap=2), member("ben", cap=10)]
    assert choose(staff, open_cases={"ann": 2, "ben": 7}) == "ben"
    assert choose(staff, open_cases={"ann": 1, "ben": 7}) == "ann"


def test_nobody_available_leaves_the_case_in_the_queue() -> None:
    staff = [member("ann", cap=2), member("ben", active=False)]
    assert choose(staff, open_cases={"ann": 2}) is None
    assert choose([]) is None


def test_absent_members_are_skipped_on_the_days_of_their_absence() -> None:
    away = Absence(start=date(2025, 6, 9), end=date(2025, 6, 10))
    staff = [member("ann", absences=[away]), member("ben")]
    assert choose(staff, open_cases={"ben": 4}) == "ben"
    # Back the day after: ann has fewer cases again.
    tomorrow = choose_assignee(staff, unit="promotion", on=date(2025, 6, 11), open_cases={"ben": 4})
    assert tomorrow == "ann"


def test_an_absence_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValidationError):
        Absence(start=date(2025, 6, 10), end=date(2025, 6, 9))


def test_inactive_members_are_skipped() -> None:
    staff = [member("ann", active=False), member("ben")]
    assert choose(staff, open_cases={"ben": 9}) == "ben"


@pytest.mark.parametrize("named", ["ann", "ANN", " ann "])
def test_the_person_named_is_never_chosen(named: str) -> None:
    assert choose(exclude={named}, open_cases={"ben": 5, "cat": 5}) == "ben"


def test_misconduct_goes_to_a_supervisor_never_the_one_named() -> None:
    staff = [*TEAM, member("sup2", role="supervisor")]
    assert choose(staff, supervisors_only=True, open_cases={"sup": 0, "sup2": 4}) == "sup"
    chosen = choose(staff, supervisors_only=True, exclude={"somchai k."})
    assert chosen == "sup2"  # excluded by name, not id
    assert choose(TEAM, supervisors_only=True, exclude={"Somchai K."}) is None


def test_names_resolve_to_staff_ids_for_the_case() -> None:
    assert named_staff_ids(TEAM, {"Somchai K."}) == frozenset({"sup"})
    assert named_staff_ids(TEAM, {"someone outside"}) == frozenset()


def test_a_breach_escalates_to_the_supervisors_present() -> None:
    away = Absence(start=TODAY, end=TODAY)
    staff = [*TEAM, member("sup2", role="supervisor", absences=[away])]
    assert unit_supervisors(staff, "promotion", TODAY) == ["sup"]
    assert unit_supervisors(staff, "promotion", date(2025, 6, 11)) == ["sup", "sup2"]


# ------------------------------------------------------------- fairness


@given(
    size=st.integers(min_value=1, max_value=8),
    cases=st.integers(min_value=0, max_value=60),
)
def test_loads_never_differ_by_more_than_one(size: int, cases: int) -> None:
    staff = [member(f"m{i:02d}") for i in range(size)]
    load: Counter[str] = Counter()
    cursor: str | None = None
    for _ in range(cases):
        cursor = choose(staff, open_cases=dict(load), last_assigned=cursor)
        assert cursor is not None
        load[cursor] += 1
        counts = [load[m.id] for m in staff]
        assert max(counts) - min(counts) <= 1


@given(
    start=st.dictionaries(
        st.sampled_from(["ann", "ben", "cat"]), st.integers(min_value=0, max_value=5)
    ),
    closed=st.lists(st.sampled_from(["ann", "ben", "cat"]), max_size=10),
)
def test_the_chosen_member_always_has_the_fewest_open_cases(
    start: dict[str, int], closed: list[str]
) -> None:
    load = Counter(start)
    for who in closed:  # cases closing between assignments
        load[who] = max(load[who] - 1, 0)
    chosen = choose(open_cases=dict(load))
    assert chosen is not None
    assert load[chosen] == min(load[m] for m in ("ann", "ben", "cat"))


def test_equal_loads_cycle_through_everyone_before_anyone_gets_a_second() -> None:
    staff = [member(i) for i in ("dao", "ann", "cat", "ben")]
    picks, cursor = [], None
    for _ in range(8):
        cursor = choose(staff, last_assigned=cursor)
        picks.append(cursor)
    assert picks == ["ann", "ben", "cat", "dao"] * 2
