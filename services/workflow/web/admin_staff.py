"""The admin's staff pages (`/console/admin/staff`): the directory, a new account (with a
first password kept to the password rules), and per account its name, unit and role,
deactivating and reactivating it, and setting a temporary password.

Every change goes through `handlers/staff.py` as the API's do: it ends the account's
sessions when its role, unit, activity or password changes, and records the change
(never the password) in the admin history in the same transaction. An admin may not
deactivate their own account or take away their own admin role here: nobody would be
left to give it back."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from services.workflow.adapters.staff_directory import STAFF_ID_PATTERN, StaffAccount
from services.workflow.context import WorkflowContext, context_of
from services.workflow.domain.passwords import MIN_LENGTH, WeakPassword
from services.workflow.handlers.staff import create_account, save_account
from services.workflow.web import admin_forms as forms
from services.workflow.web.admin_forms import FormProblems, Problem
from services.workflow.web.admin_pages import (
    admin_caller,
    admin_page,
    admin_post,
    saved,
    status_of,
    try_save,
)
from services.workflow.web.pages import language, page
from shared.infra.auth import Principal, StaffRole

router = APIRouter(prefix="/console/admin/staff", include_in_schema=False)
Context = Annotated[WorkflowContext, Depends(context_of)]
ROLES = tuple(r.value for r in StaffRole)


def _password_problems(exc: WeakPassword, lang: str) -> dict[str, Problem]:
    words = " ".join(p.text(lang) for p in exc.problems)
    return {"password": Problem("admin.err.text", {"text": words})}


# ------------------------------------------------------------ the directory, a new account


@router.get("", response_model=None)
async def staff_page(request: Request, ctx: Context, unit: str = "") -> Response:
    caller = await admin_caller(request, ctx)
    if isinstance(caller, Response):
        return caller
    shown = unit if unit in {u.code for u in ctx.catalogue.units} else None
    return await _directory(request, ctx, caller, {"role": StaffRole.staff.value}, shown=shown)


async def _directory(
    request: Request,
    ctx: WorkflowContext,
    caller: Principal,
    values: Mapping[str, str],
    status: int = 200,
    problems: Mapping[str, Problem] | None = None,
    *,
    shown: str | None = None,
) -> HTMLResponse:
    """The directory (of the unit `shown`, or everyone) and the form for a new account."""
    return admin_page(
        request,
        ctx,
        caller,
        "admin_staff.html",
        status,
        section="admin.staff",
        problems=problems,
        accounts=await ctx.directory.accounts(shown),
        shown=shown,
        values={k: v for k, v in values.items() if k != "password"},
        units=ctx.catalogue.units,
        roles=ROLES,
        min_length=MIN_LENGTH,
    )


@router.post("", response_model=None)
async def create(request: Request, ctx: Context) -> Response:
    posted = await admin_post(request, ctx)
    if isinstance(posted, Response):
        return posted
    caller, form = posted
    lang = language(request)

    async def save() -> object:
        account = forms.account_from_form(form, None, ctx.catalogue.units)
        if not form.get("password"):
            raise FormProblems({"password": Problem("admin.err.required")})
        try:
            return await create_account(ctx, account, form["password"], caller)
        except WeakPassword as exc:
            raise FormProblems(_password_problems(exc, lang)) from None

    problems = await try_save(save)
    if problems is None:
        return saved(f"/console/admin/staff/{form.get('username', '').lower()}")
    return await _directory(request, ctx, caller, form, status_of(problems), problems)


# ------------------------------------------------------------ one account


@router.get("/{staff_id}", response_model=None)
async def account_page(request: Request, ctx: Context, staff_id: str) -> Response:
    caller = await admin_caller(request, ctx)
    if isinstance(caller, Response):
        return caller
    account = await _existing(ctx, staff_id)
    if account is None:
        return page(request, ctx, "message.html", 404, message="not found", caller=caller)
    return _account(request, ctx, caller, account, _values_of(account))


async def _existing(ctx: WorkflowContext, staff_id: str) -> StaffAccount | None:
    """The account, if `staff_id` could be one and is (a page, not a 422, for a bad id)."""
    if not re.fullmatch(STAFF_ID_PATTERN, staff_id):
        return None
    return await ctx.directory.account(staff_id)


def _values_of(account: StaffAccount) -> dict[str, str]:
    return {
        "name": account.name,
        "unit": account.unit or "",
        "role": account.role.value,
        "email": account.email or "",
    }


def _account(
    request: Request,
    ctx: WorkflowContext,
    caller: Principal,
    account: StaffAccount,
    values: Mapping[str, str],
    status: int = 200,
    problems: Mapping[str, Problem] | None = None,
) -> HTMLResponse:
    return admin_page(
        request,
        ctx,
        caller,
        "admin_staff_edit.html",
        status,
        section="admin.staff",
        problems=problems,
        account=account,
        values={k: v for k, v in values.items() if k != "password"},
        units=ctx.catalogue.units,
        roles=ROLES,
        min_length=MIN_LENGTH,
        myself=account.id == caller.id,
    )


#: What a change to one account does, given the admin, the account and the form.
_Run = Callable[[Principal, StaffAccount, Mapping[str, str]], Awaitable[object]]


@router.post("/{staff_id}", response_model=None)
async def change(request: Request, ctx: Context, staff_id: str) -> Response:
    """Name, unit, role and e-mail."""

    async def run(caller: Principal, account: StaffAccount, form: Mapping[str, str]) -> object:
        new = forms.account_from_form(form, account, ctx.catalogue.units)
        if account.id == caller.id and new.role is not StaffRole.admin:
            raise FormProblems({"role": Problem("admin.err.own_role")})
        return await save_account(ctx, staff_id, new, None, caller)

    return await _post(request, ctx, staff_id, run)


@router.post("/{staff_id}/active", response_model=None)
async def activity(request: Request, ctx: Context, staff_id: str) -> Response:
    """Deactivate (`active=0`) or reactivate (`active=1`)."""

    async def run(caller: Principal, account: StaffAccount, form: Mapping[str, str]) -> object:
        active = form.get("active") == "1"
        if account.id == caller.id and not active:
            raise FormProblems({"active": Problem("admin.err.own_account")})
        new = account.model_copy(update={"active": active})
        return await save_account(ctx, staff_id, new, None, caller)

    return await _post(request, ctx, staff_id, run)


@router.post("/{staff_id}/password", response_model=None)
async def password(request: Request, ctx: Context, staff_id: str) -> Response:
    """A temporary password, told to the person, who changes it on their account page."""
    lang = language(request)

    async def run(caller: Principal, account: StaffAccount, form: Mapping[str, str]) -> object:
        if not form.get("password"):
            raise FormProblems({"password": Problem("admin.err.required")})
        try:
            return await save_account(ctx, staff_id, account, form["password"], caller)
        except WeakPassword as exc:
            raise FormProblems(_password_problems(exc, lang)) from None

    return await _post(request, ctx, staff_id, run)


async def _post(request: Request, ctx: WorkflowContext, staff_id: str, run: _Run) -> Response:
    """The frame of every change to one account: the admin, the form's CSRF token, the
    account (404 if there is none), then `run`; back to the account's page either way."""
    posted = await admin_post(request, ctx)
    if isinstance(posted, Response):
        return posted
    caller, form = posted
    account = await _existing(ctx, staff_id)
    if account is None:
        return page(request, ctx, "message.html", 404, message="not found", caller=caller)
    problems = await try_save(lambda: run(caller, account, form))
    if problems is None:
        return saved(f"/console/admin/staff/{staff_id}")
    values = {**_values_of(account), **form}
    return _account(request, ctx, caller, account, values, status_of(problems), problems)
