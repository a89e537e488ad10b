"""A committee meeting's rules: attendance only for members serving on its day (409 for
a retired one), resolutions tied to items of the year's plan, closing once with the
attendance and minutes recorded; its event counts members per group and names none."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.participation.domain.committees import (
    AppointmentOrder,
    CommitteeDraft,
    Member,
    MemberRole,
)
from services.participation.domain.errors import (
    IllegalTransition,
    InvalidField,
    MissingField,
    Refused,
)
from services.participation.domain.meetings import (
    Attendance,
    Meeting,
    MeetingDraft,
    MeetingStatus,
    check_close,
    check_meeting,
    meeting_facts,
)
from tests.unit.participation.sample import PLAN

COMMITTEE = CommitteeDraft(
    name_th="คณะกรรมการอาหารกลางวัน",
    mission_items=("S2",),
    order=AppointmentOrder(number="1/2570", signed_on=date(2026, 10, 1)),
    term_starts_on=date(2026, 10, 15),
    term_ends_on=date(2028, 9, 30),
)


def member(member_id: str, group: str, **overrides: Any) -> Member:
    fields: dict[str, Any] = {
        "member_id": member_id,
        "person_id": f"p-{member_id}",
        "group": group,
        "role": MemberRole.member,
        "starts_on": date(2026, 10, 15),
        "order_number": "1/2570",
        **overrides,
    }
    return Member(**fields)


MEMBERS = [
    member("mb-1", "parents"),
    member("mb-2", "teachers"),
    member("mb-3", "teachers", retired_on=date(2026, 11, 30), retired_reason="ย้าย"),
]


def draft(**overrides: Any) -> MeetingDraft:
    fields: dict[str, Any] = {
        "held_on": date(2026, 12, 1),
        "agenda": (" รับรองรายงาน ",),
        "attendance": {"mb-1": Attendance.present, "mb-2": Attendance.absent},
        "minutes": " มีมติ ",
        **overrides,
    }
    return MeetingDraft(**fields)


def test_a_meeting_is_checked_and_its_texts_trimmed() -> None:
    checked = check_meeting(draft(), COMMITTEE, MEMBERS, PLAN)
    assert checked.agenda == ("รับรองรายงาน",) and checked.minutes == "มีมติ"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"held_on": date(2026, 10, 1)}, "held_on"),
        ({"held_on": date(2028, 10, 1)}, "held_on"),
        ({"attendance": {"mb-9": Attendance.present}}, "attendance.mb-9"),
        ({"agenda": ("  ",)}, "agenda[0]"),
        ({"resolutions": ({"text": "x", "mission_item": "Z1"},)}, "resolutions[0].mission_item"),
        ({"resolutions": ({"text": "  "},)}, "resolutions[0].text"),
    ],
)
def test_what_a_meeting_cannot_say_is_refused_naming_the_field(
    overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises((InvalidField, MissingField)) as refused:
        check_meeting(draft(**overrides), COMMITTEE, MEMBERS, PLAN)
    assert refused.value.details["field"] == field


def test_a_member_retired_before_the_day_cannot_be_marked() -> None:
    with pytest.raises(Refused) as refused:
        check_meeting(draft(attendance={"mb-3": Attendance.present}), COMMITTEE, MEMBERS, PLAN)
    assert refused.value.details["member_id"] == "mb-3"
    # On a day they still served, they can.
    early = draft(held_on=date(2026, 11, 30), attendance={"mb-3": Attendance.present})
    assert check_meeting(early, COMMITTEE, MEMBERS, PLAN).attendance == {"mb-3": "present"}


def meeting(**overrides: Any) -> Meeting:
    fields: dict[str, Any] = {
        "meeting_id": "mt-1",
        "committee_id": "cm-1",
        "status": MeetingStatus.recorded,
        **draft().model_dump(),
        **overrides,
    }
    return Meeting(**fields)


def test_a_meeting_closes_once_with_attendance_and_minutes() -> None:
    with pytest.raises(MissingField) as missing:
        check_close(meeting(minutes=""))
    assert missing.value.field == "minutes"
    with pytest.raises(MissingField):
        check_close(meeting(attendance={}))
    check_close(meeting())
    with pytest.raises(IllegalTransition):
        check_close(meeting(status=MeetingStatus.closed))


def test_its_event_counts_members_per_group_and_the_resolutions_items() -> None:
    m = meeting(
        attendance={"mb-1": Attendance.present, "mb-2": Attendance.absent},
        resolutions=({"text": "ก", "mission_item": "S5"}, {"text": "ข"}),
    )
    event = meeting_facts(m, COMMITTEE, MEMBERS, 3, "policy.a", closed=True)
    assert event.present == ["mb-1"] and event.absent == ["mb-2"]
    assert event.present_by_group == {"parents": 1} and event.absent_by_group == {"teachers": 1}
    assert event.mission_items == ["S2", "S5"] and event.fiscal_year == 2570
    assert [(r.number, r.mission_item) for r in event.resolutions] == [(1, "S5"), (2, None)]
