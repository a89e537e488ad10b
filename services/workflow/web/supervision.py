"""The supervisor view of the staff console: a unit's load per person with its late and
escalated cases, handing chosen cases over to another member of the unit, and the
unit's absences. For a unit's supervisor (their own unit) and admins (any unit, picked
with `?unit=`); anyone else gets a 403 page. Works without JavaScript: the cases to
hand over are checkboxes named `case.<case id>` whose value is the version shown."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from services.workflow.context import WorkflowContext, context_of
from services.workflow.domain.errors import DomainError, Forbidden, InvalidField, NotFound
from services.workflow.domain.supervision import AbsenceRefused, ReceiverRefused
from services.workflow.handlers.supervision import (
    cases_view,
    reassign,
    record_absence,
    remove_absence,
    unit_view,
)
from services.workflow.web.pages import caller_of, page, signed_in_post, to_login
from shared.infra.auth import Principal

router = APIRouter(prefix="/console/supervisor", include_in_schema=False)
# The posted checkbox of a case: `case.<case id>`, its value the version the page showed.
CASE_FIELD = "case."
# The pages a hand-over form is posted from, besides the overview.
PEOPLE = "/console/supervisor/people/"
UNASSIGNED = "/console/supervisor/unassigned"
# What a page says once a form's change is saved (`?done=`).
NOTICES = {"recorded": "sv.absence_recorded", "removed": "sv.absence_removed"}


@router.get("", response_model=None)
async def overview(
    request: Request,
    ctx: Annotated[WorkflowContext, Depends(context_of)],
    unit: str | None = None,
    done: str | None = None,
    late_page: str | None = None,
) -> Response:
    caller = await caller_of(request, ctx)
    if caller is None:
        return to_login()
    return await _overview(
        request,
        ctx,
        caller,
        unit,
        notice=NOTICES.get(done or ""),
        late_page=_page_number(late_page),
    )


async def _overview(
    request: Request,
    ctx: WorkflowContext,
    caller: Principal,
    unit: str | None,
    *,
    status: int = 200,
    notice: str | None = None,
    error: str | None = None,
    again: dict[str, str] | None = None,
    absence_error: str | None = None,
    values: dict[str, str] | None = None,
    late_page: int = 1,
) -> Response:
    try:
        view = await unit_view(ctx, caller, unit, late_page)
    except DomainError as exc:
        return _refusal(request, ctx, caller, exc)
    return page(
        request,
        ctx,
        "supervisor.html",
        status,
        caller=caller,
        view=view,
        units=ctx.catalogue.units if caller.role.value == "admin" else (),
        notice=notice,
        error=error,
        again=again or {},
        absence_error=absence_error,
        values=values or {},
    )


def _page_number(asked: str | None) -> int:
    # A page link's number; anything else (typed by hand, cut short) is the first page,
    # and one past the end is the last, as the list may have shrunk since.
    return int(asked) if asked and asked.isdigit() and len(asked) < 7 else 1


@router.get("/people/{staff_id}", response_model=None)
async def person(
    request: Request,
    ctx: Annotated[WorkflowContext, Depends(context_of)],
    staff_id: str,
    unit: str | None = None,
) -> Response:
    """One person's open cases, to hand some of them over."""
    caller = await caller_of(request, ctx)
    if caller is None:
        return to_login()
    return await _cases(request, ctx, caller, unit, staff_id)


@router.get("/unassigned", response_model=None)
async def unassigned(
    request: Request,
    ctx: Annotated[WorkflowContext, Depends(context_of)],
    unit: str | None = None,
) -> Response:
    """The unit's open cases nobody in it has (not yet assigned, or of someone gone)."""
    caller = await caller_of(request, ctx)
    if caller is None:
        return to_login()
    return await _cases(request, ctx, caller, unit, None)


async def _cases(
    request: Request,
    ctx: WorkflowContext,
    caller: Principal,
    unit: str | None,
    staff_id: str | None,
    *,
    status: int = 200,
    error: str | None = None,
    again: dict[str, str] | None = None,
) -> Response:
    try:
        shown = await cases_view(ctx, caller, unit, staff_id)
    except DomainError as exc:
        return _refusal(request, ctx, caller, exc)
    return page(
        request,
        ctx,
        "supervisor_cases.html",
        status,
        caller=caller,
        view=shown.view,
        person=shown.person,
        cases=shown.cases,
        error=error,
        again=again or {},
        back=request.url.path,
    )


@router.post("/reassign", response_model=None)
async def hand_over(
    request: Request, ctx: Annotated[WorkflowContext, Depends(context_of)]
) -> Response:
    """Hand the checked cases over to the person chosen; the page says what moved and
    what could not, and why."""
    posted = await signed_in_post(request, ctx)
    if isinstance(posted, Response):
        return posted
    caller, form = posted
    unit = form.get("unit") or None
    picks = {
        key.removeprefix(CASE_FIELD): int(value) if value.isdigit() else -1
        for key, value in form.items()
        if key.startswith(CASE_FIELD) and len(key) > len(CASE_FIELD)
    }
    to = form.get("to", "")
    try:
        if not to:
            raise InvalidField("reassign", "to", "nobody chosen")
        done = await reassign(ctx, caller, unit, picks, to, form.get("reason") or None)
    except ReceiverRefused as exc:
        return await _form_again(request, ctx, caller, form, f"sv.err.{exc.why.value}", to)
    except InvalidField as exc:
        return await _form_again(request, ctx, caller, form, f"sv.err.{exc.field}", to)
    except DomainError as exc:
        return _refusal(request, ctx, caller, exc)
    return page(
        request,
        ctx,
        "supervisor_result.html",
        caller=caller,
        done=done,
        back=_back(form),
    )


async def _form_again(
    request: Request,
    ctx: WorkflowContext,
    caller: Principal,
    form: dict[str, str],
    error: str,
    to: str,
) -> Response:
    """The page the form came from, with what was wrong (422) and the boxes ticked."""
    back = _back(form)
    unit = form.get("unit") or None
    again = {k: v for k, v in form.items() if k.startswith(CASE_FIELD)} | {"to": to}
    if back == UNASSIGNED:
        return await _cases(request, ctx, caller, unit, None, status=422, error=error, again=again)
    if back.startswith(PEOPLE):
        staff_id = back.removeprefix(PEOPLE)
        return await _cases(
            request, ctx, caller, unit, staff_id, status=422, error=error, again=again
        )
    return await _overview(request, ctx, caller, unit, status=422, error=error, again=again)


def _back(form: dict[str, str]) -> str:
    # Only a page of this view: never a URL a form could send anywhere else.
    back = form.get("back", "")
    person = back.removeprefix(PEOPLE)
    if back == UNASSIGNED or (back.startswith(PEOPLE) and person and "/" not in person):
        return back
    return "/console/supervisor"


@router.post("/absences", response_model=None)
async def add_absence(
    request: Request, ctx: Annotated[WorkflowContext, Depends(context_of)]
) -> Response:
    return await _change_absence(request, ctx, record_absence, missing="person", done="recorded")


@router.post("/absences/remove", response_model=None)
async def drop_absence(
    request: Request, ctx: Annotated[WorkflowContext, Depends(context_of)]
) -> Response:
    return await _change_absence(request, ctx, remove_absence, missing="gone", done="removed")


async def _change_absence(
    request: Request,
    ctx: WorkflowContext,
    change: Callable[[WorkflowContext, Principal, str | None, str, str, str], Awaitable[object]],
    *,
    missing: str,
    done: str,
) -> Response:
    """Record or remove one absence from the posted form; `missing` names what a
    NotFound means here (no such person, or no such absence), `done` the notice."""
    posted = await signed_in_post(request, ctx)
    if isinstance(posted, Response):
        return posted
    caller, form = posted
    unit = form.get("unit") or None
    try:
        await change(
            ctx, caller, unit, form.get("person", ""), form.get("start", ""), form.get("end", "")
        )
    except AbsenceRefused as exc:
        return await _absence_error(request, ctx, caller, form, exc.code)
    except NotFound:
        return await _absence_error(request, ctx, caller, form, missing)
    except DomainError as exc:
        return _refusal(request, ctx, caller, exc)
    return _saved(unit, done)


async def _absence_error(
    request: Request, ctx: WorkflowContext, caller: Principal, form: dict[str, str], code: str
) -> Response:
    return await _overview(
        request,
        ctx,
        caller,
        form.get("unit") or None,
        status=422,
        absence_error=f"sv.err.absence.{code}",
        values={k: form.get(k, "") for k in ("person", "start", "end")},
    )


def _saved(unit: str | None, done: str) -> RedirectResponse:
    query = urlencode({**({"unit": unit} if unit else {}), "done": done})
    return RedirectResponse(f"/console/supervisor?{query}#absences", status_code=303)


def _refusal(
    request: Request, ctx: WorkflowContext, caller: Principal, exc: DomainError
) -> Response:
    if isinstance(exc, Forbidden):
        return page(request, ctx, "message.html", 403, message="not_supervisor", caller=caller)
    if isinstance(exc, NotFound):
        message = "unknown_unit" if "unit" in exc.details else "sv.nobody"
        return page(request, ctx, "message.html", 404, message=message, caller=caller)
    return page(request, ctx, "message.html", 422, message=exc.message, caller=caller)
