"""The staff API for committees (measure 2.3): appoint one, add and retire members, read
the roster. Members' names come from the personal-data store, and each roster read is
logged there (who read whose name, and why)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import BaseModel, Field

from services.participation.adapters.committee_store import members_of
from services.participation.adapters.consultation_store import StaleVersion
from services.participation.api.access import Caller, actor_of
from services.participation.api.errors import refusals
from services.participation.api.routing import ApiRouter
from services.participation.context import ParticipationContext, context_of
from services.participation.domain.committees import (
    AppointmentOrder,
    CommitteeDraft,
    MemberRole,
    NewMember,
)
from services.participation.domain.errors import ConflictingField, IllegalTransition
from services.participation.handlers import committees
from shared.infra.auth import Principal
from shared.infra.mongo import Document
from shared.infra.personal_data import Reader

router = ApiRouter(prefix="/v1/committees", tags=["committees"])

Ctx = Annotated[ParticipationContext, Depends(context_of)]


class MemberView(BaseModel):
    member_id: str
    # From the personal-data store (None once the person was erased).
    name: str | None
    group: str
    organisation: str | None
    role: MemberRole
    starts_on: date
    ends_on: date | None
    order_number: str
    active: bool
    retired_on: date | None
    retired_reason: str | None
    # The member's staff account, if they sign in to read the committee's papers.
    staff_id: str | None = None


class CommitteeSummary(BaseModel):
    committee_id: str
    name_th: str
    name_en: str | None
    order: AppointmentOrder
    term_starts_on: date
    term_ends_on: date | None
    active_members: int


class CommitteeView(CommitteeSummary):
    version: int
    purpose_th: str
    mission_items: list[str]
    members: list[MemberView]
    history: list[dict[str, Any]]


class CommitteeList(BaseModel):
    committees: list[CommitteeSummary]


class Retirement(BaseModel):
    retired_on: date
    reason: str = Field(min_length=1, max_length=500, examples=["ครบวาระ"])


def _summary(doc: Document) -> CommitteeSummary:
    return CommitteeSummary(
        committee_id=doc["_id"],
        name_th=doc["name_th"],
        name_en=doc.get("name_en"),
        order=AppointmentOrder.model_validate(doc["order"]),
        term_starts_on=doc["term_starts_on"],
        term_ends_on=doc.get("term_ends_on"),
        active_members=sum(1 for m in members_of(doc) if m.active),
    )


async def _view(ctx: ParticipationContext, doc: Document, caller: Principal) -> CommitteeView:
    members = members_of(doc)
    names = await ctx.committees.people.read_for(
        Reader(staff_id=caller.id, purpose="committee roster"),
        [m.person_id for m in members],
        about=doc["_id"],
    )
    return CommitteeView(
        **_summary(doc).model_dump(),
        version=doc["version"],
        purpose_th=doc.get("purpose_th", ""),
        mission_items=list(doc.get("mission_items", [])),
        members=[
            MemberView(
                **m.model_dump(exclude={"person_id"}),
                name=names[m.person_id].name if m.person_id in names else None,
                active=m.active,
            )
            for m in members
        ],
        history=doc.get("history", []),
    )


@router.post("", response_model=CommitteeView, status_code=201, summary="Appoint a committee")
async def appoint(draft: CommitteeDraft, ctx: Ctx, caller: Caller) -> CommitteeView:
    return await _view(ctx, await committees.appoint(ctx, draft, actor_of(caller)), caller)


@router.get("", response_model=CommitteeList, summary="Committees, the latest term first")
async def list_all(
    ctx: Ctx, caller: Caller, limit: Annotated[int, Query(ge=1, le=500)] = 200
) -> CommitteeList:
    docs = await committees.readable_all(ctx, caller, limit)
    return CommitteeList(committees=[_summary(d) for d in docs])


@router.get("/{committee_id}", response_model=CommitteeView, summary="A committee's roster")
async def get_one(committee_id: str, ctx: Ctx, caller: Caller) -> CommitteeView:
    return await _view(ctx, await committees.readable(ctx, committee_id, caller), caller)


@router.post(
    "/{committee_id}/members",
    response_model=CommitteeView,
    status_code=201,
    summary="Add a member (name and contact go to the personal-data store)",
    responses=refusals(ConflictingField, StaleVersion),
)
async def add_member(
    committee_id: str, member: NewMember, ctx: Ctx, caller: Caller
) -> CommitteeView:
    doc = await committees.add_member(ctx, committee_id, member, actor_of(caller))
    return await _view(ctx, doc, caller)


@router.post(
    "/{committee_id}/members/{member_id}/retire",
    response_model=CommitteeView,
    summary="Retire a member (kept in the roster and the history)",
    responses=refusals(IllegalTransition, StaleVersion),
)
async def retire_member(
    committee_id: str, member_id: str, body: Retirement, ctx: Ctx, caller: Caller
) -> CommitteeView:
    doc = await committees.retire_member(
        ctx, committee_id, member_id, body.retired_on, body.reason, actor_of(caller)
    )
    return await _view(ctx, doc, caller)
