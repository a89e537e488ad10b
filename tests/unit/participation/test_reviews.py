"""A review's transition table (planned → held → reported), who may run it, and what each
step checks; its events carry the year, the item and the participants per group."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.participation.domain.errors import Forbidden, IllegalTransition, InvalidField
from services.participation.domain.reviews import (
    Held,
    Report,
    Review,
    ReviewDraft,
    allowed_commands,
    hold,
    plan_review,
    report,
)
from shared.contract.events import ReviewKind, ReviewStatus
from tests.unit.participation.sample import COORDINATOR, PLAN, STAFF, TODAY
from tests.unit.participation.test_consultation import GROUPS


def planned(**overrides: Any) -> Review:
    fields: dict[str, Any] = {
        "title_th": "ทบทวนผลการดำเนินงาน",
        "mission_item": "S2",
        "kind": ReviewKind.survey_round,
        "planned_on": TODAY,
        **overrides,
    }
    draft = ReviewDraft(**fields)
    review, event = plan_review("rv-1", draft, PLAN, COORDINATOR)
    assert event.fiscal_year == 2570 and event.mission_item == "S2"
    return review


def test_planning_checks_the_item_against_the_years_plan() -> None:
    with pytest.raises(InvalidField) as refused:
        planned(mission_item="S9")  # no longer pursued
    assert refused.value.field == "mission_item"
    with pytest.raises(Forbidden):
        plan_review(
            "rv-2",
            ReviewDraft(title_th="x", mission_item="S2", kind=ReviewKind.meeting, planned_on=TODAY),
            PLAN,
            STAFF,
        )
    with pytest.raises(InvalidField) as refused:
        plan_review(
            "rv-3",
            ReviewDraft(
                title_th="x",
                mission_item="S2",
                kind=ReviewKind.meeting,
                planned_on=date(2030, 1, 1),
            ),
            None,
            COORDINATOR,
        )
    assert refused.value.field == "planned_on"


def test_a_review_is_held_then_reported_and_never_out_of_turn() -> None:
    review = planned()
    assert allowed_commands(review.status, COORDINATOR) == ["hold"]
    assert allowed_commands(review.status, STAFF) == []
    with pytest.raises(IllegalTransition):
        report(review, Report(findings=("ก",)), set(), COORDINATOR, TODAY)
    held = hold(
        review,
        Held(held_on=TODAY, participants_by_group={"parents": 4, "teachers": 0}),
        GROUPS,
        COORDINATOR,
        TODAY,
    )
    assert held.review.status is ReviewStatus.held
    assert held.event.participants_by_group == {"parents": 4} and held.event.participants == 4
    with pytest.raises(IllegalTransition):
        hold(
            held.review,
            Held(held_on=TODAY, participants_by_group={"parents": 1}),
            GROUPS,
            COORDINATOR,
            TODAY,
        )
    done = report(
        held.review, Report(findings=(" ดี ",), outcome_ids=("oc-1",)), {"oc-1"}, COORDINATOR, TODAY
    )
    assert done.review.status is ReviewStatus.reported and done.review.findings == ("ดี",)
    assert done.event.outcome_ids == ["oc-1"] and done.event.reported_on == TODAY


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"held_on": date(2026, 12, 7), "participants_by_group": {"parents": 1}}, "held_on"),
        ({"held_on": date(2026, 9, 30), "participants_by_group": {"parents": 1}}, "held_on"),
        (
            {"held_on": TODAY, "participants_by_group": {"martians": 1}},
            "participants_by_group.martians",
        ),
        (
            {"held_on": TODAY, "participants_by_group": {"parents": -1}},
            "participants_by_group.parents",
        ),
        ({"held_on": TODAY, "participants_by_group": {"parents": 0}}, "participants_by_group"),
    ],
)
def test_holding_refuses_a_day_or_count_that_cannot_be(body: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidField) as refused:
        hold(planned(), Held(**body), GROUPS, COORDINATOR, TODAY)
    assert refused.value.field == field


def test_a_report_names_only_outcomes_on_file() -> None:
    held = hold(
        planned(),
        Held(held_on=TODAY, participants_by_group={"parents": 1}),
        GROUPS,
        COORDINATOR,
        TODAY,
    )
    with pytest.raises(InvalidField) as refused:
        report(
            held.review, Report(findings=("ก",), outcome_ids=("oc-9",)), set(), COORDINATOR, TODAY
        )
    assert refused.value.field == "outcome_ids[0]"
