"""A committee's meetings (measure 2.3): the day, the agenda, who of the members came,
the minutes and the numbered resolutions (each, if it is about one, tied to a mission
item). Staff record a meeting and may record it again until its minutes are approved;
closing makes the record final.

    recorded ──close──▶ closed
      ↺ record

Attendance names members by id: only members serving on the meeting's day can be marked
(a retired member, or one whose term had not begun, is refused with 409). The events
carry member ids and counts per stakeholder group, never a name."""

from __future__ import annotations

from collections import Counter
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from services.participation.domain.committees import CommitteeDraft, Member
from services.participation.domain.errors import (
    ConflictingField,
    IllegalTransition,
    InvalidField,
    MissingField,
    Refused,
)
from services.participation.domain.plan import MissionPlan
from shared.contract.events import CommitteeMeetingClosed, CommitteeMeetingRecorded, ResolutionTaken
from shared.thai.fiscal import fiscal_year

RECORD = "record a meeting"
CLOSE = "close a meeting"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Attendance(StrEnum):
    present = "present"  # มาประชุม
    absent = "absent"  # ไม่มาประชุม


class MeetingStatus(StrEnum):
    recorded = "recorded"
    closed = "closed"


class ResolutionDraft(_Model):
    text: str = Field(min_length=1, max_length=2000, examples=["เห็นชอบให้เพิ่มผลไม้ในมื้อกลางวัน"])
    mission_item: str | None = Field(default=None, min_length=1, max_length=32, examples=["S2"])


class MeetingDraft(_Model):
    """A meeting as staff record it (and record it again, whole, until it is closed)."""

    held_on: date
    title_th: str | None = Field(default=None, max_length=300, examples=["การประชุมครั้งที่ 1/2570"])
    agenda: tuple[str, ...] = Field(default=(), max_length=30)
    # Member id -> present or absent; members left out were not recorded.
    attendance: dict[str, Attendance] = Field(default_factory=dict, max_length=200)
    minutes: str = Field(default="", max_length=50_000)
    resolutions: tuple[ResolutionDraft, ...] = Field(default=(), max_length=50)


class Meeting(_Model):
    meeting_id: str
    committee_id: str
    status: MeetingStatus
    held_on: date
    title_th: str | None = None
    agenda: tuple[str, ...] = ()
    attendance: dict[str, Attendance] = Field(default_factory=dict)
    minutes: str = ""
    resolutions: tuple[ResolutionDraft, ...] = ()

    @property
    def fiscal_year(self) -> int:
        return fiscal_year(self.held_on)


def check_meeting(
    draft: MeetingDraft,
    committee: CommitteeDraft,
    members: list[Member],
    plan: MissionPlan | None,
    action: str = RECORD,
) -> MeetingDraft:
    """The draft with its texts trimmed, or a refusal naming the field: 422 for what the
    draft says wrongly, 409 (`Refused`) for a member not serving on the meeting's day."""
    if draft.held_on < committee.term_starts_on:
        raise InvalidField(action, "held_on", "is before the committee's term")
    if committee.term_ends_on is not None and draft.held_on > committee.term_ends_on:
        raise InvalidField(action, "held_on", "is after the committee's term")
    agenda = tuple(a.strip() for a in draft.agenda)
    for i, item in enumerate(agenda):
        if not item:
            raise MissingField(action, f"agenda[{i}]")
    by_id = {m.member_id: m for m in members}
    for member_id in draft.attendance:
        member = by_id.get(member_id)
        if member is None:
            raise InvalidField(action, f"attendance.{member_id}", "is not a member of it")
        if not serving(member, draft.held_on):
            raise Refused(
                f"{action}: member {member_id} was not serving on {draft.held_on.isoformat()}",
                reason="member_not_serving",
                field=f"attendance.{member_id}",
                member_id=member_id,
            )
    resolutions = tuple(r.model_copy(update={"text": r.text.strip()}) for r in draft.resolutions)
    for i, r in enumerate(resolutions):
        if not r.text:
            raise MissingField(action, f"resolutions[{i}].text")
        if r.mission_item is not None:
            planned = plan.item(r.mission_item) if plan else None
            if planned is None:
                year = fiscal_year(draft.held_on)
                raise ConflictingField(
                    action, f"resolutions[{i}].mission_item", f"is not an item of {year}"
                )
    return draft.model_copy(
        update={"agenda": agenda, "resolutions": resolutions, "minutes": draft.minutes.strip()}
    )


def serving(member: Member, on: date) -> bool:
    """Whether the member sat on the committee on `on`: begun, not retired before it,
    their own term not over."""
    if on < member.starts_on:
        return False
    if member.retired_on is not None and member.retired_on < on:
        return False
    return member.ends_on is None or on <= member.ends_on


def check_open(meeting: Meeting, action: str = RECORD) -> None:
    if meeting.status is MeetingStatus.closed:
        raise IllegalTransition(meeting.status, action, "its minutes are approved")


def check_close(meeting: Meeting) -> None:
    """A meeting closes once: with its attendance and its minutes recorded."""
    check_open(meeting, CLOSE)
    if not meeting.attendance:
        raise MissingField(CLOSE, "attendance")
    if not meeting.minutes.strip():
        raise MissingField(CLOSE, "minutes")


def meeting_facts(
    meeting: Meeting,
    committee: CommitteeDraft,
    members: list[Member],
    version: int,
    actor: str,
    closed: bool = False,
) -> CommitteeMeetingRecorded | CommitteeMeetingClosed:
    """The event of a meeting recorded (or closed): member ids and counts per group."""
    group_of = {m.member_id: m.group for m in members}
    present = sorted(k for k, v in meeting.attendance.items() if v is Attendance.present)
    absent = sorted(k for k, v in meeting.attendance.items() if v is Attendance.absent)
    items = list(committee.mission_items)
    for r in meeting.resolutions:
        if r.mission_item and r.mission_item not in items:
            items.append(r.mission_item)
    model = CommitteeMeetingClosed if closed else CommitteeMeetingRecorded
    return model(
        meeting_id=meeting.meeting_id,
        committee_id=meeting.committee_id,
        fiscal_year=meeting.fiscal_year,
        mission_items=items,
        held_on=meeting.held_on,
        agenda_items=len(meeting.agenda),
        present=present,
        absent=absent,
        present_by_group=dict(Counter(group_of[m] for m in present if m in group_of)),
        absent_by_group=dict(Counter(group_of[m] for m in absent if m in group_of)),
        resolutions=[
            ResolutionTaken(number=i, text=r.text, mission_item=r.mission_item)
            for i, r in enumerate(meeting.resolutions, start=1)
        ],
        version=version,
        actor=actor,
    )
