"""The public API, no sign-in: the consultations the office has opened, giving an opinion
on one, and "you said, we did" (the published outcomes per mission item)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Response
from pydantic import BaseModel

from services.participation.api.errors import refusals
from services.participation.api.routing import ApiRouter
from services.participation.api.views import (
    OpinionReceipt,
    PublicConsultation,
    PublicConsultationList,
    public_consultation,
)
from services.participation.context import ParticipationContext, context_of
from services.participation.domain.errors import NotFound, Refused
from services.participation.domain.opinions import OpinionBody
from services.participation.handlers import opinions
from services.participation.handlers.published import PublishedOutcome, you_said_we_did
from shared.contract.events import Channel, ConsultationStatus, OutcomeBasis, OutcomeStatus
from shared.thai.fiscal import fiscal_year as fiscal_year_of

router = ApiRouter(prefix="/v1/public", tags=["public"])

Ctx = Annotated[ParticipationContext, Depends(context_of)]
PUBLIC_STATUSES = (ConsultationStatus.open, ConsultationStatus.closed, ConsultationStatus.concluded)


class PublicResolution(BaseModel):
    committee_id: str
    committee_th: str
    committee_en: str | None
    meeting_id: str
    held_on: date
    number: int
    text: str


class PublicComplaints(BaseModel):
    category: str
    category_th: str
    category_en: str
    fiscal_year: int
    round: int
    unit: str | None
    unit_th: str | None
    unit_en: str | None
    # None: not counted (the reporting views were not on file).
    count: int | None


class PublicOutcome(BaseModel):
    outcome_id: str
    # What was heard: the consultation (its topic), the committee resolution or the
    # pattern of complaints the outcome answers.
    basis: OutcomeBasis
    consultation_id: str | None
    topic_th: str | None
    topic_en: str | None
    resolution: PublicResolution | None = None
    complaints: PublicComplaints | None = None
    you_said_th: str
    you_said_en: str | None
    we_did_th: str
    we_did_en: str | None
    owner_unit: str
    status: OutcomeStatus
    # Why an idea was not adopted (shown to the public).
    reason: str | None
    due_on: date | None
    done_on: date | None


class ItemOutcomesView(BaseModel):
    mission_item: str
    name_th: str
    name_en: str
    outcomes: list[PublicOutcome]


class YouSaidWeDid(BaseModel):
    fiscal_year: int
    items: list[ItemOutcomesView]


@router.get(
    "/consultations",
    response_model=PublicConsultationList,
    summary="Consultations the office has opened (open ones first)",
)
async def list_public(
    ctx: Ctx,
    fiscal_year: Annotated[int | None, Query(ge=2400, le=2800)] = None,
) -> PublicConsultationList:
    docs = await ctx.consultations.search(fiscal_year=fiscal_year, statuses=PUBLIC_STATUSES)
    today = ctx.today()
    views = [public_consultation(d, today) for d in docs]
    views.sort(key=lambda v: not v.takes_opinions)  # stable: newest first within each
    return PublicConsultationList(consultations=views)


@router.get(
    "/consultations/{consultation_id}",
    response_model=PublicConsultation,
    summary="One consultation: its questions, and its results once concluded",
)
async def get_public(consultation_id: str, ctx: Ctx) -> PublicConsultation:
    doc = await ctx.consultations.get(consultation_id)
    if doc["status"] == ConsultationStatus.draft.value:
        raise NotFound("consultation", consultation_id)  # a draft is not published yet
    return public_consultation(doc, ctx.today())


@router.post(
    "/consultations/{consultation_id}/opinions",
    response_model=OpinionReceipt,
    status_code=201,
    summary="Give an opinion (contact details only with consent; 409 once it has closed)",
    responses={
        200: {"description": "the same submission_key again: received once already"},
        **refusals(Refused),
    },
)
async def give_opinion(
    consultation_id: str, body: OpinionBody, ctx: Ctx, response: Response
) -> OpinionReceipt:
    receipt = await opinions.give(ctx, consultation_id, body, Channel.api)
    if receipt.replayed:
        response.status_code = 200
    return OpinionReceipt(
        opinion_id=receipt.opinion_id,
        consultation_id=receipt.consultation_id,
        received_at=receipt.received_at,
        replayed=receipt.replayed,
    )


def _resolution(p: PublishedOutcome) -> PublicResolution | None:
    r = p.outcome.resolution
    if r is None:
        return None
    return PublicResolution(
        committee_id=r.committee_id,
        committee_th=p.committee_th or r.committee_id,
        committee_en=p.committee_en,
        meeting_id=r.meeting_id,
        held_on=r.held_on,
        number=r.number,
        text=r.text,
    )


def _complaints(p: PublishedOutcome) -> PublicComplaints | None:
    c = p.outcome.complaints
    if c is None:
        return None
    return PublicComplaints(
        category=c.category,
        category_th=p.category_th or c.category,
        category_en=p.category_en or c.category,
        fiscal_year=c.fiscal_year,
        round=c.round,
        unit=c.unit,
        unit_th=p.unit_th,
        unit_en=p.unit_en,
        count=c.count,
    )


@router.get(
    "/outcomes",
    response_model=YouSaidWeDid,
    summary='"You said, we did": the published outcomes of a fiscal year, per mission item',
)
async def outcomes(
    ctx: Ctx, fiscal_year: Annotated[int | None, Query(ge=2400, le=2800)] = None
) -> YouSaidWeDid:
    year = fiscal_year or fiscal_year_of(ctx.today())
    items = await you_said_we_did(ctx, year)
    return YouSaidWeDid(
        fiscal_year=year,
        items=[
            ItemOutcomesView(
                mission_item=i.item.code,
                name_th=i.item.name_th,
                name_en=i.item.name_en,
                outcomes=[
                    PublicOutcome(
                        outcome_id=p.outcome.outcome_id,
                        basis=p.outcome.basis,
                        consultation_id=p.outcome.consultation_id,
                        topic_th=p.topic_th,
                        topic_en=p.topic_en,
                        resolution=_resolution(p),
                        complaints=_complaints(p),
                        you_said_th=p.outcome.you_said_th,
                        you_said_en=p.outcome.you_said_en,
                        we_did_th=p.outcome.we_did_th,
                        we_did_en=p.outcome.we_did_en,
                        owner_unit=p.outcome.owner_unit,
                        status=p.outcome.status,
                        reason=p.outcome.reason,
                        due_on=p.outcome.due_on,
                        done_on=p.outcome.done_on,
                    )
                    for p in i.outcomes
                ],
            )
            for i in items
        ],
    )
