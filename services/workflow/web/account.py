"""The signed-in person's own account page (`/console/account`): who they are (name,
username, role, unit), changing their password, and signing out everywhere.

A password change asks for the current password (a wrong one counts toward the sign-in
lock-out, see `handlers.staff.change_password`), ends every other session of the account
and keeps this browser signed in with a fresh cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from services.workflow.context import WorkflowContext, context_of
from services.workflow.domain.accounts import SignInLocked, WrongCurrentPassword
from services.workflow.domain.passwords import (
    MIN_LENGTH,
    PasswordProblem,
    WeakPassword,
    password_problems,
)
from services.workflow.handlers.staff import change_password
from services.workflow.web.pages import (
    caller_of,
    language,
    page,
    signed_in_at,
    signed_in_post,
    to_login,
)
from shared.infra.auth import InvalidCredentials, Principal

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/account", response_model=None)
async def account_page(
    request: Request,
    ctx: Annotated[WorkflowContext, Depends(context_of)],
    changed: str | None = None,
) -> Response:
    caller = await caller_of(request, ctx)
    if caller is None:
        return to_login()
    return _account(request, ctx, caller, notice="account.changed" if changed else None)


@router.post("/account/password", response_model=None)
async def new_password(
    request: Request, ctx: Annotated[WorkflowContext, Depends(context_of)]
) -> Response:
    posted = await signed_in_post(request, ctx)
    if isinstance(posted, Response):
        return posted
    caller, form = posted
    # Stripped of spaces at their ends, as the console's sign-in reads a password.
    current, new, repeat = (form.get(k, "") for k in ("current", "new", "repeat"))
    if not (current and new and repeat):
        return _account(request, ctx, caller, 422, errors=["account.missing"])
    if new != repeat:
        # Said with the rules the new password breaks, so one try shows everything.
        problems = password_problems(new, caller.id, caller.name)
        return _account(
            request, ctx, caller, 422, errors=["account.repeat_differs"], problems=problems
        )
    try:
        signed_in = await change_password(ctx, caller, current, new)
    except InvalidCredentials:
        return to_login()
    except WrongCurrentPassword:
        return _account(request, ctx, caller, 422, errors=["account.wrong_current"])
    except SignInLocked as exc:
        locked = _account(request, ctx, caller, 429, errors=["account.locked"], minutes=exc.minutes)
        locked.headers["Retry-After"] = str(exc.retry_after)
        return locked
    except WeakPassword as exc:
        return _account(request, ctx, caller, 422, problems=exc.problems)
    return signed_in_at(ctx, "/console/account?changed=1", signed_in.token)


def _account(
    request: Request,
    ctx: WorkflowContext,
    caller: Principal,
    status: int = 200,
    *,
    notice: str | None = None,
    errors: list[str] | None = None,
    problems: list[PasswordProblem] | None = None,
    minutes: int | None = None,
) -> HTMLResponse:
    lang = language(request)
    unit = next((u for u in ctx.catalogue.units if u.code == caller.unit), None)
    return page(
        request,
        ctx,
        "account.html",
        status,
        caller=caller,
        unit_label=(unit.name_en if lang == "en" else unit.name_th) if unit else caller.unit,
        notice=notice,
        errors=errors or [],
        problems=[p.text(lang) for p in problems or []],
        minutes=minutes,
        min_length=MIN_LENGTH,
    )
