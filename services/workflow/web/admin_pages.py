"""The admin's pages in the console (`/console/admin`): the office's units, routing rules,
deadline policies and own closures, and the history of every admin change; the staff
pages are in `admin_staff`, which shares this module's frame (`admin_caller`,
`admin_page`, `try_save`). For the admin role only.

Each page reads what is in force (another replica's change included: `in_force`) and
saves through the same handlers as the JSON API (`handlers/policies.py`), which apply it
here at once and on every other replica within `SIANG_WORKFLOW_CONFIG_CHECK_SECONDS`, and
record who changed what in the same transaction. A form that cannot be saved comes back
as it was sent, with the rows or fields at fault named (422); nothing is half saved."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pymongo.errors import ConnectionFailure, PyMongoError

from services.workflow.context import WorkflowContext, context_of
from services.workflow.domain.errors import DomainError
from services.workflow.domain.units import renamed
from services.workflow.handlers.policies import (
    in_force,
    replace_closures,
    replace_routing,
    replace_sla,
    replace_units,
)
from services.workflow.web import admin_forms as forms
from services.workflow.web.admin_forms import FormProblems, Problem
from services.workflow.web.admin_history import history_rows
from services.workflow.web.pages import caller_of, language, page, posted_form, refused, to_login
from services.workflow.web.texts import Texts
from shared.contract.events import ComplaintType, Kind
from shared.infra.auth import Principal, StaffRole
from shared.thai.dates import buddhist_year, format_date

router = APIRouter(prefix="/console/admin", include_in_schema=False)
HISTORY_PAGE = 50
Context = Annotated[WorkflowContext, Depends(context_of)]


async def admin_caller(request: Request, ctx: WorkflowContext) -> Principal | Response:
    """The signed-in admin, or the answer for anyone else (sign in; 403 for other roles);
    the settings brought up to what any replica saved."""
    caller = await caller_of(request, ctx)
    if caller is None:
        return to_login()
    if caller.role is not StaffRole.admin:
        return page(request, ctx, "message.html", 403, message="admin.only", caller=caller)
    await in_force(ctx)
    return caller


async def admin_post(
    request: Request, ctx: WorkflowContext
) -> tuple[Principal, dict[str, str]] | Response:
    """The signed-in admin and their form, or the answer instead (as `admin_caller`, and
    403 for a form without its CSRF token)."""
    caller = await admin_caller(request, ctx)
    if isinstance(caller, Response):
        return caller
    form = await posted_form(request, ctx)
    if form is None:
        return refused(request, ctx)
    return caller, form


def admin_page(
    request: Request,
    ctx: WorkflowContext,
    caller: Principal,
    template: str,
    status: int = 200,
    *,
    section: str,
    problems: Mapping[str, Problem] | None = None,
    **values: Any,
) -> HTMLResponse:
    """An admin page (of the navigation's `section`): its problems worded in the page's
    language, and whether the last save went through (`?saved=1`, after the redirect
    that follows a save)."""
    t = Texts(language(request))
    return page(
        request,
        ctx,
        template,
        status,
        caller=caller,
        section=section,
        errors={row: say(t, p) for row, p in (problems or {}).items()},
        saved=request.query_params.get("saved") == "1" and status == 200,
        unit_label=unit_namer(ctx, language(request)),
        **values,
    )


def say(t: Texts, problem: Problem) -> str:
    return t[problem.key].format(**problem.values)


def unit_namer(ctx: WorkflowContext, lang: str) -> Callable[[str | None], str]:
    names = {u.code: u.name_en if lang == "en" else u.name_th for u in ctx.catalogue.units}
    return lambda code: names.get(code or "", code or "—")


async def try_save(save: Callable[[], Awaitable[object]]) -> dict[str, Problem] | None:
    """Run `save`: None when it went through, else the problems to show with the form as
    posted (`status_of` says its status): what the form says is wrong, or that the
    database could not take it now (nothing saved; the admin sends it again)."""
    try:
        await save()
    except FormProblems as exc:
        return exc.problems
    except DomainError as exc:
        return {"form": Problem("admin.err.invalid", {"detail": exc.message})}
    except ConnectionFailure:
        return {"form": Problem(DATABASE_DOWN)}
    except PyMongoError:
        return {"form": Problem(DATABASE_BUSY)}
    return None


DATABASE_DOWN, DATABASE_BUSY = "admin.err.database", "admin.err.busy"


def status_of(problems: Mapping[str, Problem]) -> int:
    """422 for the form's own faults, 503 or 409 when the database was down or busy."""
    keys = {p.key for p in problems.values()}
    return 503 if DATABASE_DOWN in keys else 409 if DATABASE_BUSY in keys else 422


def saved(path: str) -> RedirectResponse:
    """After a save, the page again (a reload does not post twice), saying it was saved."""
    return RedirectResponse(f"{path}?saved=1", status_code=303)


# ------------------------------------------------------------ index


@router.get("", response_model=None)
async def index(request: Request, ctx: Context) -> Response:
    caller = await admin_caller(request, ctx)
    if isinstance(caller, Response):
        return caller
    return admin_page(
        request,
        ctx,
        caller,
        "admin_index.html",
        section="admin.title",
        intake_url=ctx.settings.intake_pages_url.rstrip("/"),
        notifications_url=ctx.settings.notifications_pages_url.rstrip("/"),
    )


# ------------------------------------------------------------ units


@router.get("/units", response_model=None)
async def units_page(request: Request, ctx: Context) -> Response:
    caller = await admin_caller(request, ctx)
    if isinstance(caller, Response):
        return caller
    return _units(request, ctx, caller, forms.units_values(ctx.catalogue.units))


def _units(
    request: Request,
    ctx: WorkflowContext,
    caller: Principal,
    values: Mapping[str, str],
    status: int = 200,
    problems: Mapping[str, Problem] | None = None,
) -> HTMLResponse:
    return admin_page(
        request,
        ctx,
        caller,
        "admin_units.html",
        status,
        section="admin.units",
        problems=problems,
        units=ctx.catalogue.units,
        values=values,
    )


@router.post("/units", response_model=None)
async def save_units(request: Request, ctx: Context) -> Response:
    posted = await admin_post(request, ctx)
    if isinstance(posted, Response):
        return posted
    caller, form = posted

    async def save() -> object:
        names, added = forms.units_from_form(form, ctx.catalogue.units)
        return await replace_units(ctx, renamed(ctx.catalogue.units, names, added), caller)

    problems = await try_save(save)
    if problems is None:
        return saved(request.url.path)
    return _units(request, ctx, caller, form, status_of(problems), problems)


# ------------------------------------------------------------ routing


@router.get("/routing", response_model=None)
async def routing_page(request: Request, ctx: Context) -> Response:
    caller = await admin_caller(request, ctx)
    if isinstance(caller, Response):
        return caller
    return _routing(request, ctx, caller, forms.routing_values(ctx.routing, ctx.catalogue))


def _routing(
    request: Request,
    ctx: WorkflowContext,
    caller: Principal,
    values: Mapping[str, str],
    status: int = 200,
    problems: Mapping[str, Problem] | None = None,
) -> HTMLResponse:
    lang = language(request)
    return admin_page(
        request,
        ctx,
        caller,
        "admin_routing.html",
        status,
        section="admin.routing",
        problems=problems,
        values=values,
        units=ctx.catalogue.units,
        categories=[
            (c, c.name_en if lang == "en" else c.name_th) for c in ctx.catalogue.categories
        ],
        kinds=[k.value for k in Kind],
        complaint_types=[c.value for c in ComplaintType],
        priority_choices=priority_choices(Texts(lang)),
        unit_choices=[
            (u.code, u.name_en if lang == "en" else u.name_th) for u in ctx.catalogue.units
        ],
    )


def priority_choices(t: Texts) -> list[tuple[str, str]]:
    return [(p, t[f"priority.{p}"]) for p in forms.PRIORITIES]


@router.post("/routing", response_model=None)
async def save_routing(request: Request, ctx: Context) -> Response:
    posted = await admin_post(request, ctx)
    if isinstance(posted, Response):
        return posted
    caller, form = posted

    async def save() -> object:
        return await replace_routing(ctx, forms.routing_from_form(form, ctx.catalogue), caller)

    problems = await try_save(save)
    if problems is None:
        return saved(request.url.path)
    return _routing(request, ctx, caller, form, status_of(problems), problems)


# ------------------------------------------------------------ deadline policies


@router.get("/sla", response_model=None)
async def sla_page(request: Request, ctx: Context) -> Response:
    caller = await admin_caller(request, ctx)
    if isinstance(caller, Response):
        return caller
    values, rows = forms.sla_values(ctx.sla)
    return _sla(request, ctx, caller, values, rows)


def _sla(
    request: Request,
    ctx: WorkflowContext,
    caller: Principal,
    values: Mapping[str, str],
    rows: list[int],
    status: int = 200,
    problems: Mapping[str, Problem] | None = None,
) -> HTMLResponse:
    t = Texts(language(request))
    return admin_page(
        request,
        ctx,
        caller,
        "admin_sla.html",
        status,
        section="admin.sla",
        problems=problems,
        values=values,
        rows=rows,
        clocks=forms.CLOCKS,
        kind_choices=[(k.value, t[f"kind.{k.value}"]) for k in Kind],
        ctype_choices=[(c.value, t[f"complaint_type.{c.value}"]) for c in ComplaintType],
        priority_choices=priority_choices(t),
    )


@router.post("/sla", response_model=None)
async def save_sla(request: Request, ctx: Context) -> Response:
    posted = await admin_post(request, ctx)
    if isinstance(posted, Response):
        return posted
    caller, form = posted

    async def save() -> object:
        return await replace_sla(ctx, forms.sla_from_form(form), caller)

    problems = await try_save(save)
    if problems is None:
        return saved(request.url.path)
    rows = forms.rows_of(form, "rule")
    return _sla(request, ctx, caller, form, rows, status_of(problems), problems)


# ------------------------------------------------------------ office closures


@router.get("/closures", response_model=None)
async def closures_page(request: Request, ctx: Context) -> Response:
    caller = await admin_caller(request, ctx)
    if isinstance(caller, Response):
        return caller
    values, rows = forms.closure_values(ctx.closures, day_writer(language(request)))
    return _closures(request, ctx, caller, values, rows)


def day_writer(lang: str) -> Callable[[Any], str]:
    """A day as the closures form shows it: D/M/YYYY in B.E. in Thai, ISO in English."""
    if lang == "en":
        return lambda d: d.isoformat()
    return lambda d: f"{d.day}/{d.month}/{buddhist_year(d.year)}"


def _closures(
    request: Request,
    ctx: WorkflowContext,
    caller: Principal,
    values: Mapping[str, str],
    rows: list[int],
    status: int = 200,
    problems: Mapping[str, Problem] | None = None,
) -> HTMLResponse:
    lang = language(request)
    return admin_page(
        request,
        ctx,
        caller,
        "admin_closures.html",
        status,
        section="admin.closures",
        problems=problems,
        values=values,
        rows=rows,
        closures=[(format_date(c.day, lang, style="full"), c.note) for c in ctx.closures],
        example=day_writer(lang)(ctx.clock.now().date()),
    )


@router.post("/closures", response_model=None)
async def save_closures(request: Request, ctx: Context) -> Response:
    posted = await admin_post(request, ctx)
    if isinstance(posted, Response):
        return posted
    caller, form = posted

    async def save() -> object:
        return await replace_closures(ctx, forms.closures_from_form(form), caller)

    problems = await try_save(save)
    if problems is None:
        return saved(request.url.path)
    rows = forms.rows_of(form, "day", "note")
    return _closures(request, ctx, caller, form, rows, status_of(problems), problems)


# ------------------------------------------------------------ history


@router.get("/history", response_model=None)
async def history(
    request: Request, ctx: Context, asked: Annotated[str, Query(alias="page")] = "1"
) -> Response:
    caller = await admin_caller(request, ctx)
    if isinstance(caller, Response):
        return caller
    total = await ctx.history.count()
    pages = max((total + HISTORY_PAGE - 1) // HISTORY_PAGE, 1)
    # A page number is a few digits: anything else (or a number of thousands of
    # digits, which int() refuses) is the first page.
    number = min(max(int(asked), 1), pages) if asked.isdigit() and len(asked) <= 6 else 1
    entries = await ctx.history.newest((number - 1) * HISTORY_PAGE, HISTORY_PAGE)
    lang = language(request)
    return admin_page(
        request,
        ctx,
        caller,
        "admin_history.html",
        section="admin.history",
        entries=history_rows(entries, Texts(lang), ctx.catalogue, lang),
        number=number,
        pages=pages,
        total=total,
    )
