"""The staff API for reviews of performance with stakeholders (measure 2.1): plan one
against a mission item, hold it (participants counted per group), report it (findings,
and the outcomes they led to); read them."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Header, Query
from pydantic import BaseModel

from services.participation.adapters.consultation_store import StaleVersion
from services.participation.adapters.review_store import review_of
from services.participation.api.access import Caller, actor_of
from services.participation.api.errors import refusals
from services.participation.api.routing import ApiRouter
from services.participation.context import ParticipationContext, context_of
from services.participation.domain.errors import ConflictingField, IllegalTransition
from services.participation.domain.lifecycle import Actor
from services.participation.domain.reviews import (
    Command,
    Held,
    Report,
    ReviewDraft,
    allowed_commands,
)
from services.participation.handlers import reviews
from shared.contract.events import ReviewKind, ReviewStatus
from shared.infra.mongo import Document

router = ApiRouter(prefix="/v1/reviews", tags=["reviews"])

Ctx = Annotated[ParticipationContext, Depends(context_of)]
ExpectedVersion = Annotated[int | None, Query(ge=1, description="the version you saw")]
IfMatch = Annotated[str | None, Header(description="the review version you saw")]


class ReviewSummary(BaseModel):
    review_id: str
    status: ReviewStatus
    fiscal_year: int
    mission_item: str
    kind: ReviewKind
    title_th: str
    title_en: str | None
    planned_on: date
    held_on: date | None
    participants: int


class ReviewView(ReviewSummary):
    version: int
    description_th: str
    committee_id: str | None
    participants_by_group: dict[str, int]
    findings: list[str]
    outcome_ids: list[str]
    reported_on: date | None
    history: list[dict[str, Any]]
    allowed_commands: list[Command]


class ReviewList(BaseModel):
    reviews: list[ReviewSummary]


def review_summary(doc: Document) -> ReviewSummary:
    r = review_of(doc)
    return ReviewSummary(
        **r.model_dump(include=set(ReviewSummary.model_fields) - {"participants"}),
        participants=r.participants,
    )


def review_view(doc: Document, actor: Actor) -> ReviewView:
    r = review_of(doc)
    return ReviewView(
        **review_summary(doc).model_dump(),
        version=doc["version"],
        description_th=r.description_th,
        committee_id=r.committee_id,
        participants_by_group=r.participants_by_group,
        findings=list(r.findings),
        outcome_ids=list(r.outcome_ids),
        reported_on=r.reported_on,
        history=doc.get("history", []),
        allowed_commands=allowed_commands(r.status, actor),
    )


def _expected(expected_version: int | None, if_match: str | None) -> int | None:
    if expected_version is None and if_match and if_match.strip('"').isdigit():
        return int(if_match.strip('"'))
    return expected_version


@router.post(
    "",
    response_model=ReviewView,
    status_code=201,
    summary="Plan a review of a mission item (its fiscal year: the planned day's)",
    # The item must be in that year's plan and pursued, the committee on file.
    responses=refusals(ConflictingField),
)
async def plan(draft: ReviewDraft, ctx: Ctx, caller: Caller) -> ReviewView:
    actor = actor_of(caller)
    return review_view(await reviews.plan(ctx, draft, actor), actor)


@router.get(
    "",
    response_model=ReviewList,
    summary="Reviews, the latest planned first",
)
async def list_all(
    ctx: Ctx,
    caller: Caller,
    fiscal_year: Annotated[int | None, Query(ge=2400, le=2800)] = None,
    mission_item: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> ReviewList:
    docs = await ctx.reviews.search(fiscal_year=fiscal_year, mission_item=mission_item, limit=limit)
    return ReviewList(reviews=[review_summary(d) for d in docs])


@router.get(
    "/{review_id}",
    response_model=ReviewView,
    summary="One review, its findings and history",
)
async def get_one(review_id: str, ctx: Ctx, caller: Caller) -> ReviewView:
    return review_view(await ctx.reviews.get(review_id), actor_of(caller))


@router.post(
    "/{review_id}/hold",
    response_model=ReviewView,
    summary="The review was held: its day and participants per group (409 unless planned)",
    responses=refusals(IllegalTransition, StaleVersion),
)
async def hold(
    review_id: str,
    body: Held,
    ctx: Ctx,
    caller: Caller,
    expected_version: ExpectedVersion = None,
    if_match: IfMatch = None,
) -> ReviewView:
    actor = actor_of(caller)
    expected = _expected(expected_version, if_match)
    return review_view(await reviews.run_command(ctx, review_id, body, actor, expected), actor)


@router.post(
    "/{review_id}/report",
    response_model=ReviewView,
    summary="Report the review: findings, and the outcomes they led to (409 unless held)",
    responses=refusals(IllegalTransition, StaleVersion, ConflictingField),
)
async def report(
    review_id: str,
    body: Report,
    ctx: Ctx,
    caller: Caller,
    expected_version: ExpectedVersion = None,
    if_match: IfMatch = None,
) -> ReviewView:
    actor = actor_of(caller)
    expected = _expected(expected_version, if_match)
    return review_view(await reviews.run_command(ctx, review_id, body, actor, expected), actor)
