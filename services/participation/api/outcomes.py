"""The staff API for outcomes ("you said, we did"): record one against a consultation,
move it along, read them."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query

from services.participation.adapters.consultation_store import StaleVersion
from services.participation.api.access import Caller, actor_of
from services.participation.api.errors import refusals
from services.participation.api.routing import ApiRouter
from services.participation.api.views import OutcomeList, OutcomeView, outcome_view
from services.participation.context import ParticipationContext, context_of
from services.participation.domain.errors import ConflictingField, IllegalTransition
from services.participation.domain.outcomes import OutcomeChange, OutcomeDraft
from services.participation.handlers import outcomes

router = ApiRouter(prefix="/v1/outcomes", tags=["outcomes"])

Ctx = Annotated[ParticipationContext, Depends(context_of)]


@router.post(
    "",
    response_model=OutcomeView,
    status_code=201,
    summary="Record an outcome",
    responses=refusals(ConflictingField, IllegalTransition),
)
async def record(draft: OutcomeDraft, ctx: Ctx, caller: Caller) -> OutcomeView:
    return outcome_view(await outcomes.record(ctx, draft, actor_of(caller)))


@router.get("", response_model=OutcomeList, summary="Outcomes, by mission item")
async def list_all(
    ctx: Ctx,
    caller: Caller,
    fiscal_year: Annotated[int | None, Query(ge=2400, le=2800)] = None,
    consultation_id: Annotated[str | None, Query(max_length=64)] = None,
) -> OutcomeList:
    docs = await ctx.outcomes.search(fiscal_year=fiscal_year, consultation_id=consultation_id)
    return OutcomeList(outcomes=[outcome_view(d) for d in docs])


@router.get("/{outcome_id}", response_model=OutcomeView, summary="One outcome and its history")
async def get_one(outcome_id: str, ctx: Ctx, caller: Caller) -> OutcomeView:
    return outcome_view(await ctx.outcomes.get(outcome_id))


@router.patch(
    "/{outcome_id}",
    response_model=OutcomeView,
    summary="Change an outcome's status, dates, text or publication",
    responses=refusals(IllegalTransition, StaleVersion),
)
async def change(
    outcome_id: str,
    body: OutcomeChange,
    ctx: Ctx,
    caller: Caller,
    expected_version: Annotated[int | None, Query(ge=1)] = None,
    if_match: Annotated[str | None, Header()] = None,
) -> OutcomeView:
    expected = expected_version
    if expected is None and if_match and if_match.strip('"').isdigit():
        expected = int(if_match.strip('"'))
    doc = await outcomes.change(ctx, outcome_id, body, actor_of(caller), expected)
    return outcome_view(doc)
