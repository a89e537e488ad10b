"""Committees of stakeholders' representatives (measure 2.3): a committee appointed by an
order of the office, for a term, tied to mission items; its members, each from a
stakeholder group, with a role and their own term, added and retired over time, every
change kept in its history. A member's name and contact are personal data: the handler
writes them to the personal-data store, and the committee keeps the reference."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from services.participation.domain.errors import (
    ConflictingField,
    IllegalTransition,
    InvalidField,
    UnsupportedType,
)
from services.participation.domain.plan import StakeholderGroups


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# A staff account's id, as workflow's directory takes it.
STAFF_ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{1,63}$"


class MemberRole(StrEnum):
    chair = "chair"  # ประธานกรรมการ
    vice_chair = "vice_chair"  # รองประธานกรรมการ
    member = "member"  # กรรมการ
    secretary = "secretary"  # กรรมการและเลขานุการ
    assistant_secretary = "assistant_secretary"  # กรรมการและผู้ช่วยเลขานุการ


# At most one active member in each of these roles.
SINGLE_ROLES = frozenset({MemberRole.chair, MemberRole.secretary})


class AppointmentOrder(_Model):
    """The office's order (คำสั่ง) appointing the committee or a member."""

    number: str = Field(min_length=1, max_length=40, examples=["123/2570"])
    signed_on: date
    title_th: str | None = Field(default=None, max_length=300)
    # Where the signed order is kept (the document store's reference or a URL).
    document: str | None = Field(default=None, max_length=500)


class CommitteeDraft(_Model):
    name_th: str = Field(min_length=1, max_length=300)
    name_en: str | None = Field(default=None, max_length=300)
    purpose_th: str = Field(default="", max_length=2000)
    mission_items: tuple[str, ...] = Field(default=(), max_length=20)
    order: AppointmentOrder
    term_starts_on: date
    term_ends_on: date | None = None


class NewMember(_Model):
    """A member as staff add them: the name and contact go to the personal-data store."""

    name: str = Field(min_length=1, max_length=200)
    phone: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=254)
    group: str = Field(min_length=1, max_length=32)
    # The body they represent (a school, a subdistrict administration, a parents' network).
    organisation: str | None = Field(default=None, max_length=300)
    role: MemberRole = MemberRole.member
    starts_on: date
    ends_on: date | None = None
    # The order appointing this member, when not the committee's own.
    order: AppointmentOrder | None = None
    # The member's staff account (role committee), if they sign in to read the
    # committee's papers: a reference, like the member id, not personal data.
    staff_id: str | None = Field(default=None, pattern=STAFF_ID_PATTERN)


class Member(_Model):
    member_id: str
    person_id: str
    group: str
    organisation: str | None = None
    role: MemberRole
    starts_on: date
    ends_on: date | None = None
    order_number: str
    retired_on: date | None = None
    retired_reason: str | None = None
    staff_id: str | None = None

    @property
    def active(self) -> bool:
        return self.retired_on is None


def check_committee(draft: CommitteeDraft) -> None:
    action = "appoint a committee"
    if draft.term_ends_on is not None and draft.term_ends_on < draft.term_starts_on:
        raise InvalidField(action, "term_ends_on", "is before term_starts_on")
    if draft.order.signed_on > draft.term_starts_on:
        raise InvalidField(action, "order.signed_on", "is after the term starts")


def check_new_member(
    committee: CommitteeDraft, members: list[Member], new: NewMember, groups: StakeholderGroups
) -> None:
    """Refuse a member the committee cannot take, naming the field."""
    action = "add a member"
    if new.group not in groups.codes():
        raise InvalidField(action, "group", "is not a stakeholder group")
    if new.starts_on < committee.term_starts_on:
        raise InvalidField(action, "starts_on", "is before the committee's term")
    if committee.term_ends_on is not None and new.starts_on > committee.term_ends_on:
        raise InvalidField(action, "starts_on", "is after the committee's term")
    if new.ends_on is not None and new.ends_on < new.starts_on:
        raise InvalidField(action, "ends_on", "is before starts_on")
    if new.role in SINGLE_ROLES and any(m.active and m.role is new.role for m in members):
        raise ConflictingField(action, "role", f"is held: retire the present {new.role} first")


def retire(member: Member, on: date, reason: str) -> Member:
    """The member, retired on `on` (the end of a term, a resignation, a new order)."""
    if not member.active:
        raise IllegalTransition("retired", "retire a member")
    if on < member.starts_on:
        raise InvalidField("retire a member", "retired_on", "is before the member started")
    return member.model_copy(update={"retired_on": on, "retired_reason": reason})


def seats(members: list[Member], staff_id: str) -> bool:
    """Whether the account `staff_id` is an active member: a committee member reads their
    own committee and its papers, no other."""
    return any(m.active and m.staff_id == staff_id for m in members)


def check_order_upload(
    order: AppointmentOrder, media: str | None, accepted: frozenset[str], today: date
) -> str:
    """The document's media type (told by its content), or a refusal naming the field."""
    action = "attach an appointment order"
    if order.signed_on > today:
        raise InvalidField(action, "signed_on", "is in the future")
    if media is None or media not in accepted:
        raise UnsupportedType("file", sorted(accepted))
    return media
