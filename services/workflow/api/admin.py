"""Admin endpoints: routing rules, the staff directory, and (for tests and demos only)
the service clock and an immediate deadline scan."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from services.workflow.adapters.staff_directory import StaffAccount, StaffDirectory
from services.workflow.api.auth import Caller
from services.workflow.context import WorkflowContext
from services.workflow.domain.errors import Forbidden, InvalidField
from services.workflow.domain.routing import RoutingConfig
from services.workflow.domain.sla import SlaConfig
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


def router() -> APIRouter:
    r = APIRouter(prefix="/v1/admin", tags=["administration"])

    @r.get("/routing", response_model=RoutingConfig, summary="The routing rules in force")
    async def get_routing(request: Request, caller: Caller) -> RoutingConfig:
        require(caller, StaffRole.admin, StaffRole.supervisor)
        ctx: WorkflowContext = request.app.state.ctx
        return ctx.routing

    @r.put("/routing", response_model=RoutingConfig, summary="Replace the routing rules")
    async def put_routing(body: RoutingConfig, request: Request, caller: Caller) -> RoutingConfig:
        require(caller, StaffRole.admin)
        ctx: WorkflowContext = request.app.state.ctx
        problems = body.problems(ctx.catalogue)
        if problems:
            raise InvalidField("update routing", "routing", "; ".join(problems))
        await request.app.state.settings_store.update_one(
            {"_id": "routing"}, {"$set": {"config": body.model_dump(mode="json")}}, upsert=True
        )
        ctx.routing = body
        return body

    @r.get("/sla", response_model=SlaConfig, summary="The deadline policies in force")
    async def get_sla(request: Request, caller: Caller) -> SlaConfig:
        require(caller, StaffRole.admin, StaffRole.supervisor)
        ctx: WorkflowContext = request.app.state.ctx
        return ctx.sla

    @r.put("/sla", response_model=SlaConfig, summary="Replace the deadline policies (new cases)")
    async def put_sla(body: SlaConfig, request: Request, caller: Caller) -> SlaConfig:
        # The model itself refuses a first response beyond s.38's 15 days.
        require(caller, StaffRole.admin)
        ctx: WorkflowContext = request.app.state.ctx
        await request.app.state.settings_store.update_one(
            {"_id": "sla"}, {"$set": {"config": body.model_dump(mode="json")}}, upsert=True
        )
        ctx.sla = body
        return body

    @r.get("/units", summary="The office's units (from the catalogue)")
    async def units(request: Request, caller: Caller) -> list[dict[str, object]]:
        require(caller, StaffRole.admin, StaffRole.supervisor)
        ctx: WorkflowContext = request.app.state.ctx
        return [u.model_dump() for u in ctx.catalogue.units]

    @r.get("/staff", response_model=list[StaffAccount], summary="The staff directory")
    async def list_staff(request: Request, caller: Caller, unit: str | None = None) -> Any:
        require(caller, StaffRole.admin, StaffRole.supervisor)
        directory: StaffDirectory = request.app.state.directory
        if caller.role is StaffRole.supervisor:
            unit = caller.unit
        return await directory.accounts(unit)

    @r.put("/staff/{staff_id}", response_model=StaffAccount, summary="Create or change an account")
    async def put_staff(
        staff_id: str, body: StaffUpdate, request: Request, caller: Caller
    ) -> StaffAccount:
        require(caller, StaffRole.admin)
        ctx: WorkflowContext = request.app.state.ctx
        if staff_id != body.id:
            raise InvalidField("update staff", "id", "differs from the URL")
        if body.unit is not None and body.unit not in {u.code for u in ctx.catalogue.units}:
            raise InvalidField("update staff", "unit", "is not a unit of the office")
        account = StaffAccount.model_validate(body.model_dump(exclude={"password"}))
        directory: StaffDirectory = request.app.state.directory
        await directory.save(account, body.password)
        saved = await directory.account(staff_id)
        assert saved is not None
        return saved

    @r.post(
        "/clock", response_model=ClockNow, summary="Move the service clock forward (tests, demos)"
    )
    async def advance_clock(body: ClockAdvance, request: Request, caller: Caller) -> ClockNow:
        require(caller, StaffRole.admin)
        if not request.app.state.allow_clock_override:
            raise Forbidden(
                caller.role, "move the clock", "SIANG_WORKFLOW_ALLOW_CLOCK_OVERRIDE is off"
            )
        ctx: WorkflowContext = request.app.state.ctx
        now = ctx.clock.advance(timedelta(seconds=body.seconds))
        return ClockNow(now=now, offset_seconds=ctx.clock.offset.total_seconds())

    @r.post("/scan", summary="Run the deadline scan now; returns the events emitted")
    async def scan(request: Request, caller: Caller) -> dict[str, int]:
        require(caller, StaffRole.admin)
        return {"emitted": await scan_once(request.app.state.ctx)}

    return r
