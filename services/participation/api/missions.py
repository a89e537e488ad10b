"""The office's mission plan per fiscal year (read by staff; changed by an admin, one item
also by a participation coordinator) and its stakeholder groups (public: the page's form
lists them)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path
from pydantic import BaseModel

from services.participation.api.access import Caller, actor_of
from services.participation.api.errors import refusals
from services.participation.api.routing import ApiRouter
from services.participation.context import ParticipationContext, context_of
from services.participation.domain.errors import ConflictingField, InvalidField, NotFound
from services.participation.domain.plan import CODE, MissionItem, MissionPlan, StakeholderGroups
from services.participation.handlers import plans

router = ApiRouter(prefix="/v1", tags=["mission plan"])

Ctx = Annotated[ParticipationContext, Depends(context_of)]
FiscalYear = Annotated[int, Path(ge=2400, le=2800, description="B.E., e.g. 2570")]
ItemCode = Annotated[str, Path(pattern=CODE, description="the item's code, e.g. S3")]


class PlanList(BaseModel):
    plans: list[MissionPlan]


@router.get("/missions", response_model=PlanList, summary="Every fiscal year's plan, newest first")
async def list_plans(ctx: Ctx, caller: Caller) -> PlanList:
    return PlanList(plans=await ctx.plans.all())


@router.get("/missions/{fiscal_year}", response_model=MissionPlan, summary="One year's plan")
async def get_plan(fiscal_year: FiscalYear, ctx: Ctx, caller: Caller) -> MissionPlan:
    plan = await ctx.plans.get(fiscal_year)
    if plan is None:
        raise NotFound("mission plan for fiscal year", str(fiscal_year))
    return plan


@router.put(
    "/missions/{fiscal_year}",
    response_model=MissionPlan,
    summary="Replace a year's plan (admin; items are retired with active: false, never dropped)",
    responses=refusals(ConflictingField),
)
async def put_plan(
    fiscal_year: FiscalYear, plan: MissionPlan, ctx: Ctx, caller: Caller
) -> MissionPlan:
    if plan.fiscal_year != fiscal_year:
        raise InvalidField("change the mission plan", "fiscal_year", "differs from the path")
    return await plans.save_plan(ctx, plan, actor_of(caller))


@router.put(
    "/missions/{fiscal_year}/items/{code}",
    response_model=MissionPlan,
    summary="Add or change one item of a year's plan (admin or participation coordinator)",
)
async def put_item(
    fiscal_year: FiscalYear, code: ItemCode, item: MissionItem, ctx: Ctx, caller: Caller
) -> MissionPlan:
    if item.code != code:
        raise InvalidField("change the mission plan", "code", "differs from the path")
    return await plans.save_item(ctx, fiscal_year, item, actor_of(caller))


@router.get(
    "/stakeholder-groups",
    response_model=StakeholderGroups,
    summary="The stakeholder groups the office asks (public)",
)
async def groups(ctx: Ctx) -> StakeholderGroups:
    return ctx.groups
