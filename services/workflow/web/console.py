"""The staff console: sign in, the queues, a case with its timeline and deadlines, and a
form for every command the signed-in person may issue there. Server-rendered, Thai by
default (`?lang=en`), no JavaScript; it calls the same handlers as the API."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import ValidationError

from services.workflow.adapters.case_queries import CaseFilter
from services.workflow.adapters.case_store import CaseNotFound, StaleVersion
from services.workflow.api.auth import principal_of
from services.workflow.api.cases import ROLE, detail, summary
from services.workflow.context import WorkflowContext, context_of
from services.workflow.domain.errors import DomainError
from services.workflow.domain.lifecycle import Actor, Command, CommandPayload
from services.workflow.handlers.commands import run_command
from services.workflow.handlers.queues import check_scope, list_cases
from services.workflow.handlers.staff import sign_in
from services.workflow.web.texts import Texts
from shared.contract.vocabulary import OPEN_STATUSES
from shared.infra.auth import InvalidCredentials, Principal
from shared.thai.dates import format_date, format_datetime

router = APIRouter(prefix="/console", include_in_schema=False)
_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    auto_reload=False,
)
COOKIE = "siang_token"
# What each command's form asks for (the lifecycle table says which are required).
FIELDS: dict[Command, tuple[str, ...]] = {
    Command.triage: ("unit",),
    Command.assign: ("assignee",),
    Command.request_info: ("public_reason",),
    Command.resolve: ("public_answer",),
    Command.close: ("public_reason",),
    Command.reopen: ("reason",),
    Command.merge: ("into_case_id", "reason"),
    Command.refer: ("referred_to", "public_reason"),
    Command.reject: ("public_reason",),
    Command.comment: ("text", "visibility"),
    Command.withdraw: ("reason",),
}


def _lang(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get("siang_lang")
    return "en" if asked == "en" else "th"


def _page(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    lang = _lang(request)
    other = "th" if lang == "en" else "en"
    query = {**dict(request.query_params), "lang": other}
    html = _ENV.get_template(template).render(
        lang=lang,
        t=Texts(lang),
        switch_url=f"{request.url.path}?{urlencode(query)}",
        date=lambda v: format_date(v, lang, style="short") if v else "",
        datetime=lambda v: format_datetime(v, lang, style="short") if v else "",
        **values,
    )
    response = HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})
    if request.query_params.get("lang") in {"th", "en"}:
        response.set_cookie("siang_lang", lang, samesite="strict")
    return response


def _caller(request: Request, ctx: WorkflowContext) -> Principal | None:
    try:
        return principal_of(request, None, ctx.settings.auth)
    except InvalidCredentials:
        return None


def _to_login() -> RedirectResponse:
    return RedirectResponse("/console/login", status_code=303)


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body())[:65_536].decode("utf-8", errors="replace")
    return {k: v.strip() for k, v in parse_qsl(body, keep_blank_values=True)}


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request) -> HTMLResponse:
    return _page(request, "login.html", error=None)


@router.post("/login", response_model=None)
async def login(request: Request, ctx: Annotated[WorkflowContext, Depends(context_of)]) -> Response:
    form = await _form(request)
    try:
        signed_in = await sign_in(ctx, form.get("username", ""), form.get("password", ""))
    except InvalidCredentials:
        return _page(request, "login.html", 401, error="bad_login")
    response = RedirectResponse("/console", status_code=303)
    response.set_cookie(
        COOKIE,
        signed_in.token,
        httponly=True,
        samesite="strict",
        max_age=ctx.settings.auth.token_ttl_seconds,
    )
    return response


@router.post("/logout")
async def logout() -> RedirectResponse:
    response = _to_login()
    response.delete_cookie(COOKIE)
    return response


@router.get("", response_model=None)
async def queue(
    request: Request,
    ctx: Annotated[WorkflowContext, Depends(context_of)],
    view: str = "mine",
    status: str = "open",
) -> Response:
    caller = _caller(request, ctx)
    if caller is None:
        return _to_login()
    wanted = CaseFilter(
        assignee=caller.id if view == "mine" else None,
        statuses=OPEN_STATUSES if status == "open" else (),
    )
    try:
        docs = await list_cases(ctx, caller, wanted, limit=100)
    except DomainError as exc:
        return _page(request, "message.html", 403, message=exc.message, caller=caller)
    now = ctx.clock.now()
    rows = [summary(d, now) for d in docs]
    return _page(request, "queue.html", caller=caller, rows=rows, view=view, state=status)


@router.get("/cases/{case_id}", response_model=None)
async def case_page(
    request: Request,
    ctx: Annotated[WorkflowContext, Depends(context_of)],
    case_id: str,
    done: str | None = None,
) -> Response:
    caller = _caller(request, ctx)
    if caller is None:
        return _to_login()
    return await _case(request, ctx, caller, case_id, notice="done" if done else None)


async def _case(
    request: Request,
    ctx: WorkflowContext,
    caller: Principal,
    case_id: str,
    *,
    notice: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    try:
        doc = await ctx.store.get(case_id)
        check_scope(caller, doc)
    except (CaseNotFound, DomainError):
        return _page(request, "message.html", 404, message="not found", caller=caller)
    case = await detail(ctx, doc, caller)
    staff = await ctx.directory.accounts(doc["unit"])
    return _page(
        request,
        "case.html",
        status,
        caller=caller,
        case=case,
        fields=FIELDS,
        notice=notice,
        error=error,
        staff=[s for s in staff if s.active and s.role.value in {"staff", "supervisor"}],
        units=ctx.catalogue.units,
    )


@router.post("/cases/{case_id}/{command}", response_model=None)
async def command(
    request: Request,
    ctx: Annotated[WorkflowContext, Depends(context_of)],
    case_id: str,
    command: Command,
) -> Response:
    caller = _caller(request, ctx)
    if caller is None:
        return _to_login()
    form = await _form(request)
    version = int(form["version"]) if form.get("version", "").isdigit() else None
    payload_fields = {k: v for k, v in form.items() if k in FIELDS.get(command, ()) and v}
    try:
        check_scope(caller, await ctx.store.get(case_id))
        payload = CommandPayload.model_validate(payload_fields)
        await run_command(
            ctx,
            case_id,
            command,
            Actor(id=caller.id, role=ROLE[caller.role]),
            payload,
            expected_version=version,
        )
    except StaleVersion:
        return await _case(request, ctx, caller, case_id, error="version_conflict", status=409)
    except DomainError as exc:
        return await _case(request, ctx, caller, case_id, error=exc.message, status=422)
    except ValidationError as exc:
        return await _case(
            request, ctx, caller, case_id, error=str(exc.errors()[0]["msg"]), status=422
        )
    except CaseNotFound:
        return _page(request, "message.html", 404, message="not found", caller=caller)
    return RedirectResponse(f"/console/cases/{case_id}?done=1", status_code=303)
