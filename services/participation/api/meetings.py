"""The staff API for a committee's meetings: record one (day, agenda, attendance by
member id, minutes, numbered resolutions), record it again while open, close it once the
minutes are approved; read them (staff, and the committee's own members)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Header, Query
from pydantic import BaseModel

from services.participation.adapters.consultation_store import StaleVersion
from services.participation.adapters.meeting_store import meeting_of
from services.participation.api.access import Caller, actor_of
from services.participation.api.errors import refusals
from services.participation.api.routing import ApiRouter
from services.participation.context import ParticipationContext, context_of
from services.participation.domain.errors import IllegalTransition, Refused
from services.participation.domain.meetings import (
    Attendance,
    MeetingDraft,
    MeetingStatus,
    ResolutionDraft,
)
from services.participation.handlers import committees, meetings
from shared.infra.mongo import Document

router = ApiRouter(prefix="/v1/committees/{committee_id}/meetings", tags=["committees"])

Ctx = Annotated[ParticipationContext, Depends(context_of)]
ExpectedVersion = Annotated[int | None, Query(ge=1, description="the version you saw")]
IfMatch = Annotated[str | None, Header(description="the meeting version you saw")]


class ResolutionView(ResolutionDraft):
    number: int


class MeetingSummary(BaseModel):
    meeting_id: str
    committee_id: str
    status: MeetingStatus
    held_on: date
    fiscal_year: int
    title_th: str | None
    agenda_items: int
    present: int
    absent: int
    resolutions: int


class MeetingView(MeetingSummary):
    version: int
    agenda: list[str]
    # Member id -> present or absent (the roster names them).
    attendance: dict[str, Attendance]
    minutes: str
    numbered_resolutions: list[ResolutionView]
    history: list[dict[str, Any]]
    closed_at: datetime | None = None


class MeetingList(BaseModel):
    meetings: list[MeetingSummary]


def meeting_summary(doc: Document) -> MeetingSummary:
    m = meeting_of(doc)
    marks = list(m.attendance.values())
    return MeetingSummary(
        meeting_id=m.meeting_id,
        committee_id=m.committee_id,
        status=m.status,
        held_on=m.held_on,
        fiscal_year=m.fiscal_year,
        title_th=m.title_th,
        agenda_items=len(m.agenda),
        present=marks.count(Attendance.present),
        absent=marks.count(Attendance.absent),
        resolutions=len(m.resolutions),
    )


def meeting_view(doc: Document) -> MeetingView:
    m = meeting_of(doc)
    return MeetingView(
        **meeting_summary(doc).model_dump(),
        version=doc["version"],
        agenda=list(m.agenda),
        attendance=dict(m.attendance),
        minutes=m.minutes,
        numbered_resolutions=[
            ResolutionView(number=i, **r.model_dump()) for i, r in enumerate(m.resolutions, 1)
        ],
        history=doc.get("history", []),
        closed_at=doc.get("closed_at"),
    )


def _expected(expected_version: int | None, if_match: str | None) -> int | None:
    if expected_version is None and if_match and if_match.strip('"').isdigit():
        return int(if_match.strip('"'))
    return expected_version


@router.post(
    "",
    response_model=MeetingView,
    status_code=201,
    summary="Record a meeting (attendance of members serving on its day only: else 409)",
    responses=refusals(Refused),
)
async def record(committee_id: str, draft: MeetingDraft, ctx: Ctx, caller: Caller) -> MeetingView:
    return meeting_view(await meetings.record(ctx, committee_id, draft, actor_of(caller)))


@router.get(
    "",
    response_model=MeetingList,
    summary="A committee's meetings, the latest first",
)
async def list_meetings(committee_id: str, ctx: Ctx, caller: Caller) -> MeetingList:
    await committees.readable(ctx, committee_id, caller)
    docs = await ctx.meetings.of_committee(committee_id)
    return MeetingList(meetings=[meeting_summary(d) for d in docs])


@router.get(
    "/{meeting_id}",
    response_model=MeetingView,
    summary="One meeting: agenda, attendance, minutes, resolutions",
)
async def get_one(committee_id: str, meeting_id: str, ctx: Ctx, caller: Caller) -> MeetingView:
    await committees.readable(ctx, committee_id, caller)
    return meeting_view(await ctx.meetings.get(committee_id, meeting_id))


@router.put(
    "/{meeting_id}",
    response_model=MeetingView,
    summary="Record the meeting again, whole (409 once closed, or changed meanwhile)",
    responses=refusals(Refused, IllegalTransition, StaleVersion),
)
async def record_again(
    committee_id: str,
    meeting_id: str,
    draft: MeetingDraft,
    ctx: Ctx,
    caller: Caller,
    expected_version: ExpectedVersion = None,
    if_match: IfMatch = None,
) -> MeetingView:
    doc = await meetings.record_again(
        ctx,
        committee_id,
        meeting_id,
        draft,
        actor_of(caller),
        _expected(expected_version, if_match),
    )
    return meeting_view(doc)


@router.post(
    "/{meeting_id}/close",
    response_model=MeetingView,
    summary="Close the meeting: its minutes approved (needs attendance and minutes; 409 "
    "once closed)",
    responses=refusals(IllegalTransition, StaleVersion),
)
async def close(
    committee_id: str,
    meeting_id: str,
    ctx: Ctx,
    caller: Caller,
    expected_version: ExpectedVersion = None,
    if_match: IfMatch = None,
) -> MeetingView:
    doc = await meetings.close(
        ctx, committee_id, meeting_id, actor_of(caller), _expected(expected_version, if_match)
    )
    return meeting_view(doc)
