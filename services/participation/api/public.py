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
from services.participation.handlers.published import you_said_we_did
from shared.contract.events import Channel, ConsultationStatus, OutcomeStatus
from shared.thai.fiscal import fiscal_year as fiscal_year_of

router = ApiRouter(prefix="/v1/public", tags=["public"])

Ctx = Annotated[ParticipationContext, Depends(context_of)]
PUBLIC_STATUSES = (ConsultationStatus.open, ConsultationStatus.closed, ConsultationStatus.concluded)


class PublicOutcome(BaseModel):
    outcome_id: str
    consultation_id: str
    topic_th: str
    topic_en: str | None
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
                        consultation_id=p.outcome.consultation_id,
                        topic_th=p.topic_th,
                        topic_en=p.topic_en,
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
