"""Committees: a member from a stakeholder group within the committee's term, one chair
and one secretary at a time, retired once and never before they started."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.participation.domain.committees import (
    AppointmentOrder,
    CommitteeDraft,
    Member,
    MemberRole,
    NewMember,
    check_committee,
    check_new_member,
    retire,
)
from services.participation.domain.errors import IllegalTransition, InvalidField
from tests.unit.participation.test_consultation import GROUPS

ORDER = AppointmentOrder(number="123/2570", signed_on=date(2026, 10, 15))
COMMITTEE = CommitteeDraft(
    name_th="คณะกรรมการติดตามคุณภาพอาหารกลางวัน",
    order=ORDER,
    term_starts_on=date(2026, 11, 1),
    term_ends_on=date(2028, 10, 31),
)
CHAIR = Member(
    member_id="mb-1",
    person_id="p-1",
    group="parents",
    role=MemberRole.chair,
    starts_on=date(2026, 11, 1),
    order_number="123/2570",
)


def new(**overrides: Any) -> NewMember:
    fields: dict[str, Any] = {
        "name": "สมใจ รักเรียน",
        "group": "teachers",
        "starts_on": date(2026, 11, 1),
    }
    return NewMember(**{**fields, **overrides})


def test_a_committee_term_and_order_make_sense() -> None:
    check_committee(COMMITTEE)
    with pytest.raises(InvalidField) as refused:
        check_committee(COMMITTEE.model_copy(update={"term_ends_on": date(2026, 1, 1)}))
    assert refused.value.field == "term_ends_on"
    late = AppointmentOrder(number="1/2570", signed_on=date(2026, 12, 1))
    with pytest.raises(InvalidField) as refused:
        check_committee(COMMITTEE.model_copy(update={"order": late}))
    assert refused.value.field == "order.signed_on"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"group": "monks"}, "group"),
        ({"starts_on": date(2026, 10, 1)}, "starts_on"),
        ({"starts_on": date(2029, 1, 1)}, "starts_on"),
        ({"ends_on": date(2026, 10, 1)}, "ends_on"),
        ({"role": MemberRole.chair}, "role"),
    ],
)
def test_a_member_the_committee_cannot_take_is_refused_naming_the_field(
    overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidField) as refused:
        check_new_member(COMMITTEE, [CHAIR], new(**overrides), GROUPS)
    assert refused.value.field == field


def test_a_retired_chair_leaves_the_chair_free() -> None:
    retired = retire(CHAIR, date(2027, 3, 1), "ลาออก")
    assert not retired.active and retired.retired_reason == "ลาออก"
    check_new_member(COMMITTEE, [retired], new(role=MemberRole.chair), GROUPS)
    with pytest.raises(IllegalTransition):
        retire(retired, date(2027, 4, 1), "again")
    with pytest.raises(InvalidField):
        retire(CHAIR, date(2026, 10, 1), "before they started")
