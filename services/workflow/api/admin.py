"""Admin endpoints: routing rules, the staff directory, and (for tests and demos only)
the service clock and an immediate deadline scan."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from services.workflow.adapters.staff_directory import StaffAccount
from services.workflow.api.auth import Caller
from services.workflow.context import WorkflowContext, context_of
from services.workflow.domain.errors import Forbidden
from services.workflow.domain.routing import RoutingConfig
from services.workflow.domain.sla import SlaConfig
from services.workflow.handlers.policies import replace_routing, replace_sla
from services.workflow.handlers.staff import save_account
from services.workflow.scheduled import scan_once
from shared.infra.auth import Principal, StaffRole


def require(caller: Principal, *roles: StaffRole) -> None:
    if caller.role not in roles:
        raise Forbidden(caller.role, "use this admin endpoint")


class StaffUpdate(StaffAccount):
    password: str | None = Field(default=None, min_length=8, max_length=200)


class ClockAdvance(BaseModel):
    seconds: float = Field(ge=0)


class ClockNow(BaseModel):
    now: datetime
    offset_seconds: float


router = APIRouter(prefix="/v1/admin", tags=["administration"])


@router.get("/routing", response_model=RoutingConfig, summary="The routing rules in force")
async def get_routing(
    ctx: Annotated[WorkflowContext, Depends(context_of)], caller: Caller
) -> RoutingConfig:
    require(caller, StaffRole.admin, StaffRole.supervisor)
    return ctx.routing


@router.put("/routing", response_model=RoutingConfig, summary="Replace the routing rules")
async def put_routing(
    body: RoutingConfig, ctx: Annotated[WorkflowContext, Depends(context_of)], caller: Caller
) -> RoutingConfig:
    require(caller, StaffRole.admin)
    return await replace_routing(ctx, body)


@router.get("/sla", response_model=SlaConfig, summary="The deadline policies in force")
async def get_sla(
    ctx: Annotated[WorkflowContext, Depends(context_of)], caller: Caller
) -> SlaConfig:
    require(caller, StaffRole.admin, StaffRole.supervisor)
    return ctx.sla


@router.put("/sla", response_model=SlaConfig, summary="Replace the deadline policies (new cases)")
async def put_sla(
    body: SlaConfig, ctx: Annotated[WorkflowContext, Depends(context_of)], caller: Caller
) -> SlaConfig:
    require(caller, StaffRole.admin)
    return await replace_sla(ctx, body)


@router.get("/units", summary="The office's units (from the catalogue)")
async def units(
    ctx: Annotated[WorkflowContext, Depends(context_of)], caller: Caller
) -> list[dict[str, object]]:
    require(caller, StaffRole.admin, StaffRole.supervisor)
    return [u.model_dump() for u in ctx.catalogue.units]


@router.get("/staff", response_model=list[StaffAccount], summary="The staff directory")
async def list_staff(
    ctx: Annotated[WorkflowContext, Depends(context_of)], caller: Caller, unit: str | None = None
) -> Any:
    require(caller, StaffRole.admin, StaffRole.supervisor)
    if caller.role is StaffRole.supervisor:
        unit = caller.unit
    return await ctx.directory.accounts(unit)


@router.put("/staff/{staff_id}", response_model=StaffAccount, summary="Create or change an account")
async def put_staff(
    staff_id: str,
    body: StaffUpdate,
    ctx: Annotated[WorkflowContext, Depends(context_of)],
    caller: Caller,
) -> StaffAccount:
    require(caller, StaffRole.admin)
    account = StaffAccount.model_validate(body.model_dump(exclude={"password"}))
    return await save_account(ctx, staff_id, account, body.password)


@router.post(
    "/clock", response_model=ClockNow, summary="Move the service clock forward (tests, demos)"
)
async def advance_clock(
    body: ClockAdvance, ctx: Annotated[WorkflowContext, Depends(context_of)], caller: Caller
) -> ClockNow:
    require(caller, StaffRole.admin)
    if not ctx.settings.allow_clock_override:
        raise Forbidden(caller.role, "move the clock", "SIANG_WORKFLOW_ALLOW_CLOCK_OVERRIDE is off")
    now = ctx.clock.advance(timedelta(seconds=body.seconds))
    return ClockNow(now=now, offset_seconds=ctx.clock.offset.total_seconds())


@router.post("/scan", summary="Run the deadline scan now; returns the events emitted")
async def scan(
    ctx: Annotated[WorkflowContext, Depends(context_of)], caller: Caller
) -> dict[str, int]:
    require(caller, StaffRole.admin)
    return {"emitted": await scan_once(ctx)}
