"""Staff pages for the mission plan (its items per fiscal year: list, add, change) and
the committee forms the committee pages carry (appoint a committee, add a member, retire
one). Server-rendered, Thai by default (`?lang=en`), no JavaScript, each form with its
CSRF token; the session, rendering and refusals are `staff.py`'s, and the forms call the
same handlers as the API, so a page refuses what the API refuses (422 naming the field,
409 for what the records on file turn down or a step the record is past)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from services.participation.api.access import actor_of
from services.participation.api.committees import Retirement
from services.participation.context import ParticipationContext, context_of
from services.participation.domain.committees import CommitteeDraft, NewMember
from services.participation.domain.errors import NotFound
from services.participation.domain.lifecycle import MANAGERS
from services.participation.domain.plan import REACH_CHANNELS, ItemKind, MissionItem
from services.participation.handlers import committees, plans
from services.participation.web.staff import (
    _back,
    _caller,
    _committee_page,
    _message,
    _render,
    _sign_in,
    _submit,
    committee_list_page,
)
from shared.contract.vocabulary import Practice
from shared.infra.auth import Principal
from shared.infra.uploads import Form
from shared.thai.fiscal import fiscal_year as fiscal_year_of

router = APIRouter(prefix="/staff", include_in_schema=False)
Ctx = Annotated[ParticipationContext, Depends(context_of)]


def _blank_none(form: Form, name: str) -> str | None:
    """A form field, or None when left empty (an optional field, or a date not given)."""
    value = form.get(name).strip()
    return value or None


def _year(text: str | None, ctx: ParticipationContext) -> int | None:
    """A fiscal year (B.E.) from the path or query; None if it is not one."""
    if text is None or text == "":
        return fiscal_year_of(ctx.today())
    return int(text) if text.isdigit() and 2400 <= int(text) <= 2800 else None


# --------------------------------------------------------------------- missions


async def _missions_page(
    request: Request,
    ctx: ParticipationContext,
    caller: Principal,
    year: int,
    *,
    error: str | None = None,
    status: int = 200,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    plan = await ctx.plans.get(year)
    return _render(
        request,
        ctx,
        "staff_missions.html",
        status,
        caller=caller,
        year=year,
        items=plan.items if plan else (),
        kinds=list(ItemKind),
        manages=actor_of(caller).role in MANAGERS,
        values=values or {},
        error=error,
        done=request.query_params.get("done"),
    )


@router.get("/missions", response_model=None)
async def mission_list(request: Request, ctx: Ctx) -> Response:
    caller = await _caller(request, ctx)
    if caller is None:
        return _sign_in(request, ctx)
    year = _year(request.query_params.get("fiscal_year"), ctx)
    if year is None:
        return _message(request, ctx, caller, 404, "not_found")
    return await _missions_page(request, ctx, caller, year)


def _item_of_form(form: Form, code: str) -> MissionItem:
    return MissionItem.model_validate(
        {
            "code": code,
            "kind": form.get("kind"),
            "name_th": form.get("name_th").strip(),
            "name_en": form.get("name_en").strip(),
            "active": form.get("active", "yes") != "no",
            # How stakeholders take part (ticked boxes; the texts left empty are none).
            "groups": form.getlist("groups"),
            "practices": form.getlist("practices"),
            "channels": form.getlist("channels"),
            "process_th": _blank_none(form, "process_th"),
            "process_en": _blank_none(form, "process_en"),
        }
    )


@router.post("/missions/{fiscal_year}/items", response_model=None)
async def add_item(fiscal_year: str, request: Request, ctx: Ctx) -> Response:
    year = _year(fiscal_year, ctx)
    values: dict[str, str] = {}

    async def action(caller: Principal, form: Form) -> Response:
        values.update({k: v for k, v in form.items})
        if year is None:
            raise NotFound("mission plan for fiscal year", fiscal_year)
        item = _item_of_form(form, form.get("code").strip())
        await plans.add_item(ctx, year, item, actor_of(caller))
        return _back("/staff/missions", request, fiscal_year=year)

    async def again(caller: Principal, error: str, status: int) -> Response:
        return await _missions_page(
            request, ctx, caller, year or 0, error=error, status=status, values=values
        )

    return await _submit(request, ctx, action, again)


async def _item_page(
    request: Request,
    ctx: ParticipationContext,
    caller: Principal,
    year: int | None,
    code: str,
    *,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    plan = await ctx.plans.get(year) if year is not None else None
    item = plan.item(code) if plan else None
    if item is None:
        return _message(request, ctx, caller, 404, "not_found")
    return _render(
        request,
        ctx,
        "staff_mission_item.html",
        status,
        caller=caller,
        year=year,
        item=item,
        kinds=list(ItemKind),
        groups=ctx.groups.groups,
        practices=list(Practice),
        channels=REACH_CHANNELS,
        manages=actor_of(caller).role in MANAGERS,
        error=error,
    )


@router.get("/missions/{fiscal_year}/items/{code}", response_model=None)
async def item_page(fiscal_year: str, code: str, request: Request, ctx: Ctx) -> Response:
    caller = await _caller(request, ctx)
    if caller is None:
        return _sign_in(request, ctx)
    return await _item_page(request, ctx, caller, _year(fiscal_year, ctx), code)


@router.post("/missions/{fiscal_year}/items/{code}", response_model=None)
async def change_item(fiscal_year: str, code: str, request: Request, ctx: Ctx) -> Response:
    year = _year(fiscal_year, ctx)

    async def action(caller: Principal, form: Form) -> Response:
        plan = await ctx.plans.get(year) if year is not None else None
        if year is None or plan is None or plan.item(code) is None:
            raise NotFound("mission item", code)
        await plans.save_item(ctx, year, _item_of_form(form, code), actor_of(caller))
        return _back("/staff/missions", request, fiscal_year=year)

    async def again(caller: Principal, error: str, status: int) -> Response:
        return await _item_page(request, ctx, caller, year, code, error=error, status=status)

    return await _submit(request, ctx, action, again)


# ------------------------------------------------------------ committee forms


def _order(form: Form) -> dict[str, Any]:
    return {
        "number": form.get("order_number").strip(),
        "signed_on": _blank_none(form, "order_signed_on"),
        "title_th": _blank_none(form, "order_title_th"),
    }


@router.post("/committees", response_model=None)
async def appoint(request: Request, ctx: Ctx) -> Response:
    async def action(caller: Principal, form: Form) -> Response:
        draft = CommitteeDraft.model_validate(
            {
                "name_th": form.get("name_th").strip(),
                "name_en": _blank_none(form, "name_en"),
                "purpose_th": form.get("purpose_th").strip(),
                "mission_items": form.getlist("mission_items"),
                "order": _order(form),
                "term_starts_on": _blank_none(form, "term_starts_on"),
                "term_ends_on": _blank_none(form, "term_ends_on"),
            }
        )
        doc = await committees.appoint(ctx, draft, actor_of(caller))
        return _back(f"/staff/committees/{doc['_id']}", request)

    async def again(caller: Principal, error: str, status: int) -> Response:
        return await committee_list_page(request, ctx, caller, error=error, status=status)

    return await _submit(request, ctx, action, again)


@router.post("/committees/{committee_id}/members", response_model=None)
async def add_member(committee_id: str, request: Request, ctx: Ctx) -> Response:
    async def action(caller: Principal, form: Form) -> Response:
        member = NewMember.model_validate(
            {
                "name": form.get("name").strip(),
                "phone": _blank_none(form, "phone"),
                "email": _blank_none(form, "email"),
                "group": form.get("group"),
                "organisation": _blank_none(form, "organisation"),
                "role": form.get("role") or "member",
                "starts_on": _blank_none(form, "starts_on"),
                "ends_on": _blank_none(form, "ends_on"),
                "staff_id": _blank_none(form, "staff_id"),
            }
        )
        await committees.add_member(ctx, committee_id, member, actor_of(caller))
        return _back(f"/staff/committees/{committee_id}", request)

    async def again(caller: Principal, error: str, status: int) -> Response:
        return await _committee_page(request, ctx, caller, committee_id, error=error, status=status)

    return await _submit(request, ctx, action, again)


@router.post("/committees/{committee_id}/members/{member_id}/retire", response_model=None)
async def retire_member(committee_id: str, member_id: str, request: Request, ctx: Ctx) -> Response:
    async def action(caller: Principal, form: Form) -> Response:
        body = Retirement.model_validate(
            {"retired_on": _blank_none(form, "retired_on"), "reason": form.get("reason").strip()}
        )
        await committees.retire_member(
            ctx, committee_id, member_id, body.retired_on, body.reason, actor_of(caller)
        )
        return _back(f"/staff/committees/{committee_id}", request)

    async def again(caller: Principal, error: str, status: int) -> Response:
        return await _committee_page(request, ctx, caller, committee_id, error=error, status=status)

    return await _submit(request, ctx, action, again)


__all__ = ["router"]
