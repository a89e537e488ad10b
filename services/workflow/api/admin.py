"""Admin endpoints: routing rules, the staff directory, and (for tests and demos only)
the service clock and an immediate deadline scan."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field

from services.workflow.adapters.staff_directory import STAFF_ID_PATTERN, StaffAccount
from services.workflow.api.auth import Caller
from services.workflow.api.errors import SIGNED_IN, refusals
from services.workflow.context import WorkflowContext, context_of
from services.workflow.domain.errors import DomainError, Forbidden
from services.workflow.domain.passwords import MIN_LENGTH
from services.workflow.domain.routing import RoutingConfig
from services.workflow.domain.sla import LEGAL_ANSWER_DAYS, SlaConfig, SlaPolicy, SlaRule
from services.workflow.handlers.policies import in_force, replace_routing, replace_sla
from services.workflow.handlers.staff import save_account
from services.workflow.scheduled import scan_once
from shared.infra.auth import Principal, StaffRole
from shared.infra.http import StrictJsonRoute


def require(caller: Principal, *roles: StaffRole) -> None:
    if caller.role not in roles:
        raise Forbidden(caller.role, "use this admin endpoint")


#: The longest any clock or window may run, in days: beyond it a deadline cannot be
#: computed (nor stored) and nobody means it.
MAX_DAYS = 366


class StaffUpdate(StaffAccount):
    password: str | None = Field(
        default=None,
        min_length=MIN_LENGTH,
        max_length=200,
        description=(
            "A new password, kept to the rules (422 `weak_password`, each broken rule in"
            " `details.problems`): not the username, the person's name, a common password"
            " or the current one."
        ),
    )
    cap: int | None = Field(default=None, ge=0, le=10_000)
    open_cases: int = Field(default=0, ge=0, le=1_000_000)


class RoutingUpdate(RoutingConfig):
    """The routing rules as an admin sends them: a duplicate window within a year."""

    duplicate_window_days: int = Field(default=14, ge=0, le=MAX_DAYS)


class SlaPolicyUpdate(SlaPolicy):
    acknowledge: int = Field(default=1, ge=0, le=MAX_DAYS)
    first_response: int = Field(default=5, ge=0, le=LEGAL_ANSWER_DAYS)
    resolution: int = Field(default=LEGAL_ANSWER_DAYS, ge=0, le=MAX_DAYS)


class SlaRuleUpdate(SlaRule):
    acknowledge: int = Field(default=1, ge=0, le=MAX_DAYS)
    first_response: int = Field(default=5, ge=0, le=LEGAL_ANSWER_DAYS)
    resolution: int = Field(default=LEGAL_ANSWER_DAYS, ge=0, le=MAX_DAYS)


class SlaUpdate(SlaConfig):
    """The deadline policies as an admin sends them: every clock within a year."""

    default: SlaPolicyUpdate = SlaPolicyUpdate()
    rules: tuple[SlaRuleUpdate, ...] = ()


class ClockAdvance(BaseModel):
    seconds: float = Field(ge=0)


class ClockNow(BaseModel):
    now: datetime
    offset_seconds: float


StaffId = Annotated[str, Path(pattern=STAFF_ID_PATTERN)]
#: A body the schema describes, and the catalogue may still refuse (a unit or category
#: it does not list).
CHECKED_BODY = refusals(RequestValidationError, DomainError)

router = APIRouter(
    prefix="/v1/admin",
    tags=["administration"],
    route_class=StrictJsonRoute,
    # Every admin endpoint wants a signed-in admin (or, to read, a supervisor).
    responses=refusals(*SIGNED_IN, Forbidden),
)


@router.get("/routing", response_model=RoutingConfig, summary="The routing rules in force")
async def get_routing(
    ctx: Annotated[WorkflowContext, Depends(context_of)], caller: Caller
) -> RoutingConfig:
    require(caller, StaffRole.admin, StaffRole.supervisor)
    await in_force(ctx)
    return ctx.routing


@router.put(
    "/routing",
    response_model=RoutingConfig,
    summary="Replace the routing rules",
    responses=CHECKED_BODY,
)
async def put_routing(
    body: RoutingUpdate, ctx: Annotated[WorkflowContext, Depends(context_of)], caller: Caller
) -> RoutingConfig:
    require(caller, StaffRole.admin)
    return await replace_routing(ctx, body, caller)


@router.get("/sla", response_model=SlaConfig, summary="The deadline policies in force")
async def get_sla(
    ctx: Annotated[WorkflowContext, Depends(context_of)], caller: Caller
) -> SlaConfig:
    require(caller, StaffRole.admin, StaffRole.supervisor)
    await in_force(ctx)
    return ctx.sla


@router.put(
    "/sla",
    response_model=SlaConfig,
    summary="Replace the deadline policies (new cases)",
    responses=refusals(RequestValidationError),
)
async def put_sla(
    body: SlaUpdate, ctx: Annotated[WorkflowContext, Depends(context_of)], caller: Caller
) -> SlaConfig:
    require(caller, StaffRole.admin)
    return await replace_sla(ctx, body, caller)


@router.get(
    "/units", summary="The office's units (the catalogue's, as admins named and added them)"
)
async def units(
    ctx: Annotated[WorkflowContext, Depends(context_of)], caller: Caller
) -> list[dict[str, object]]:
    require(caller, StaffRole.admin, StaffRole.supervisor)
    await in_force(ctx)  # an admin may have renamed or added one through another replica
    return [u.model_dump() for u in ctx.catalogue.units]


@router.get(
    "/staff",
    response_model=list[StaffAccount],
    summary="The staff directory",
    responses=refusals(RequestValidationError),
)
async def list_staff(
    ctx: Annotated[WorkflowContext, Depends(context_of)], caller: Caller, unit: str | None = None
) -> Any:
    require(caller, StaffRole.admin, StaffRole.supervisor)
    if caller.role is StaffRole.supervisor:
        unit = caller.unit
    return await ctx.directory.accounts(unit)


@router.put(
    "/staff/{staff_id}",
    response_model=StaffAccount,
    summary="Create or change an account",
    description="The body's `id` is the URL's `staff_id`.",
    responses=CHECKED_BODY,
)
async def put_staff(
    staff_id: StaffId,
    body: StaffUpdate,
    ctx: Annotated[WorkflowContext, Depends(context_of)],
    caller: Caller,
) -> StaffAccount:
    require(caller, StaffRole.admin)
    account = StaffAccount.model_validate(body.model_dump(exclude={"password"}))
    return await save_account(ctx, staff_id, account, body.password, caller)


@router.post(
    "/clock",
    response_model=ClockNow,
    summary="Move the service clock forward (tests, demos; 403 unless the settings allow it)",
    responses=refusals(RequestValidationError),
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
