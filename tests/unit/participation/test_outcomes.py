"""Outcomes: recorded against an opened consultation, moved along their status table;
"not adopted" says why; the public page groups them by mission item."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.participation.domain.errors import IllegalTransition, InvalidField, MissingField
from services.participation.domain.outcomes import (
    MOVES,
    Outcome,
    OutcomeChange,
    OutcomeDraft,
    apply_change,
    by_mission_item,
    check_new,
)
from shared.contract.events import ConsultationStatus, OutcomeStatus
from tests.unit.participation.sample import TODAY

S = OutcomeStatus
UNITS = frozenset({"promotion", "finance"})


def draft(**overrides: Any) -> OutcomeDraft:
    fields: dict[str, Any] = {
        "consultation_id": "cn-1",
        "you_said_th": "อยากให้มีผลไม้ทุกวัน",
        "we_did_th": "จัดสรรงบอาหารกลางวันเพิ่มสำหรับผลไม้",
        "owner_unit": "promotion",
    }
    return OutcomeDraft(**{**fields, **overrides})


def outcome(**overrides: Any) -> Outcome:
    return Outcome(
        **draft(**overrides).model_dump(), outcome_id="oc-1", fiscal_year=2570, mission_item="S2"
    )


def test_every_status_is_in_the_table_and_done_is_final() -> None:
    assert set(MOVES) == set(OutcomeStatus)
    assert MOVES[S.done] == frozenset()


def test_an_outcome_needs_an_opened_consultation_and_a_unit_of_the_office() -> None:
    with pytest.raises(IllegalTransition):
        check_new(draft(), ConsultationStatus.draft, UNITS, TODAY)
    with pytest.raises(InvalidField) as refused:
        check_new(draft(owner_unit="nasa"), ConsultationStatus.concluded, UNITS, TODAY)
    assert refused.value.field == "owner_unit"
    assert check_new(draft(), ConsultationStatus.open, UNITS, TODAY).status is S.planned


def test_done_is_dated_today_unless_said_and_never_in_the_future() -> None:
    done = check_new(draft(status=S.done), ConsultationStatus.concluded, UNITS, TODAY)
    assert done.done_on == TODAY
    with pytest.raises(InvalidField) as refused:
        check_new(
            draft(status=S.done, done_on=date(2027, 1, 1)),
            ConsultationStatus.concluded,
            UNITS,
            TODAY,
        )
    assert refused.value.field == "done_on"


def test_not_adopted_says_why() -> None:
    with pytest.raises(MissingField) as refused:
        check_new(draft(status=S.not_adopted), ConsultationStatus.concluded, UNITS, TODAY)
    assert refused.value.field == "reason"
    with pytest.raises(MissingField):
        apply_change(outcome(), OutcomeChange(status=S.not_adopted), TODAY)
    why = "งบประมาณปี 2570 ไม่เพียงพอ"
    changed = apply_change(outcome(), OutcomeChange(status=S.not_adopted, reason=why), TODAY)
    assert changed.status is S.not_adopted and changed.reason == why


def test_status_moves_follow_the_table() -> None:
    started = apply_change(outcome(), OutcomeChange(status=S.in_progress), TODAY)
    done = apply_change(started, OutcomeChange(status=S.done), TODAY)
    assert done.done_on == TODAY
    with pytest.raises(IllegalTransition):
        apply_change(done, OutcomeChange(status=S.planned), TODAY)
    published = apply_change(done, OutcomeChange(published=True), TODAY)
    assert published.published and published.status is S.done


def test_the_public_page_groups_outcomes_by_mission_item_in_the_plans_order() -> None:
    a = outcome().model_copy(update={"outcome_id": "a", "mission_item": "S5"})
    b = outcome().model_copy(update={"outcome_id": "b", "mission_item": "S2"})
    c = outcome().model_copy(update={"outcome_id": "c", "mission_item": "S5"})
    d = outcome().model_copy(update={"outcome_id": "d", "mission_item": "X1"})
    grouped = by_mission_item(["S2", "S5"], [a, b, c, d])
    assert [(code, [o.outcome_id for o in group]) for code, group in grouped] == [
        ("S2", ["b"]),
        ("S5", ["a", "c"]),
        ("X1", ["d"]),
    ]
