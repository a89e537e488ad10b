"""The staff console: sign in, the queues, a case with its timeline and deadlines, and a
form for every command the signed-in person may issue there. Server-rendered, Thai by
default (`?lang=en`), no JavaScript; it calls the same handlers as the API. What every
page shares (rendering, CSRF, who is signed in) is in `pages`."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from services.workflow.adapters.case_store import CaseNotFound, StaleVersion
from services.workflow.adapters.intake_entry import IntakeEntry, IntakeUnreachable
from services.workflow.api.auth import COOKIE
from services.workflow.api.cases import ROLE, detail
from services.workflow.context import WorkflowContext, context_of
from services.workflow.domain.accounts import SignInLocked
from services.workflow.domain.errors import (
    ConflictOfInterest,
    DomainError,
    InvalidField,
    MissingField,
)
from services.workflow.domain.lifecycle import Actor, Command, CommandPayload
from services.workflow.handlers.commands import run_command
from services.workflow.handlers.queues import check_scope
from services.workflow.handlers.staff import sign_in, sign_out_everywhere
from services.workflow.web.case_view import case_page_values
from services.workflow.web.pages import (
    caller_of,
    language,
    page,
    posted_form,
    refused,
    signed_in_at,
    signed_in_post,
    to_login,
)
from services.workflow.web.texts import Texts
from shared.contract.events import Kind
from shared.infra import csrf
from shared.infra.auth import InvalidCredentials, Principal
from shared.infra.sign_in import safe_next, sign_in_form_policy
from shared.infra.uploads import BodyTooLarge, NotAForm, read_form
from shared.thai.dates import format_date

router = APIRouter(prefix="/console", include_in_schema=False)
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


def _next_page(request: Request, ctx: WorkflowContext, asked: str | None) -> str | None:
    """Where to go once signed in, if it is one of the office's pages (see
    `shared.infra.sign_in`): the console's own, or another service's staff page."""
    own = f"{request.url.scheme}://{request.url.netloc}"
    return safe_next(ctx.settings.auth, asked, own)


def _login_form(
    request: Request, ctx: WorkflowContext, status: int = 200, **values: Any
) -> HTMLResponse:
    """The sign-in page, allowed to post on to the page that sent the person here."""
    form = page(request, ctx, "login.html", status, signing_in=True, **values)
    form.headers["Content-Security-Policy"] = sign_in_form_policy(ctx.settings.auth)
    return form


@router.get("/login", response_class=HTMLResponse)
async def login_page(
    request: Request, ctx: Annotated[WorkflowContext, Depends(context_of)]
) -> HTMLResponse:
    back = _next_page(request, ctx, request.query_params.get("next"))
    return _login_form(request, ctx, error=None, next=back)


@router.post("/login", response_model=None)
async def login(request: Request, ctx: Annotated[WorkflowContext, Depends(context_of)]) -> Response:
    form = await posted_form(request, ctx, signing_in=True)
    if form is None:
        return refused(request, ctx)
    back = _next_page(request, ctx, form.get("next"))
    try:
        signed_in = await sign_in(ctx, form.get("username", ""), form.get("password", ""))
    except InvalidCredentials:
        return _login_form(request, ctx, 401, error="bad_login", next=back)
    except SignInLocked as exc:
        locked = _login_form(
            request,
            ctx,
            429,
            error="locked",
            minutes=exc.minutes,
            next=back,
        )
        locked.headers["Retry-After"] = str(exc.retry_after)
        return locked
    return signed_in_at(ctx, back or "/console", signed_in.token)


@router.post("/logout", response_model=None)
async def logout(
    request: Request, ctx: Annotated[WorkflowContext, Depends(context_of)]
) -> Response:
    if await posted_form(request, ctx) is None:
        return refused(request, ctx)
    response = to_login()
    response.delete_cookie(COOKIE)
    return response


@router.post("/sign-out-everywhere", response_model=None)
async def sign_out_all(
    request: Request, ctx: Annotated[WorkflowContext, Depends(context_of)]
) -> Response:
    """End every session of the signed-in account (other browsers, API tokens), this one
    too."""
    caller = await caller_of(request, ctx)
    if caller is None:
        return to_login()
    if await posted_form(request, ctx) is None:
        return refused(request, ctx)
    await sign_out_everywhere(ctx, caller, caller.id)
    response = to_login()
    response.delete_cookie(COOKIE)
    return response


@router.get("/cases/{case_id}", response_model=None)
async def case_page(
    request: Request,
    ctx: Annotated[WorkflowContext, Depends(context_of)],
    case_id: str,
    done: str | None = None,
) -> Response:
    caller = await caller_of(request, ctx)
    if caller is None:
        return to_login()
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
        return page(request, ctx, "message.html", 404, message="not found", caller=caller)
    case = await detail(ctx, doc, caller, purpose="case page (console)")
    place = case.location
    return page(
        request,
        ctx,
        "case.html",
        status,
        caller=caller,
        case=case,
        fields=FIELDS,
        notice=notice,
        error=error,
        **await case_page_values(ctx, doc, case, caller, language(request)),
        units=ctx.catalogue.units,
        map_url=map_link(place.lat, place.lon) if place else None,
        letter_date=_letter_date(case.letter.dated, language(request)) if case.letter else None,
    )


def map_link(lat: float | None, lon: float | None) -> str | None:
    """The point on OpenStreetMap, with a marker (a link: the page itself loads nothing
    from elsewhere)."""
    if lat is None or lon is None:
        return None
    return (
        f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}#map=17/{lat:.6f}/{lon:.6f}"
    )


def _letter_date(value: date, lang: str) -> str:
    # A letter's date as the letter writes it: in B.E. in Thai.
    return format_date(value, lang, style="full")


# ------------------------------------------------------------ new case (keyed in)
#: Who keys in cases: those who handle them.
KEYERS = frozenset({"staff", "supervisor", "admin"})
ENTRY_CHANNELS = ("phone", "walk_in", "letter")
ENTRY_FILES = ("attachment1", "attachment2", "attachment3")


def _entry_page(
    request: Request,
    ctx: WorkflowContext,
    caller: Principal,
    status: int = 200,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    values = values or {}
    return page(
        request,
        ctx,
        "new_case.html",
        status,
        caller=caller,
        values=values,
        errors=errors or {},
        notice=notice,
        channels=ENTRY_CHANNELS,
        kinds=[k.value for k in Kind],
        categories=ctx.catalogue.categories,
        file_fields=ENTRY_FILES,
        today=ctx.clock.now().date().isoformat(),
        # Reused when the form comes back, so a second click keys in one case, not two.
        idempotency_key=values.get("idempotency_key") or str(uuid.uuid4()),
    )


@router.get("/new", response_model=None)
async def new_case_page(
    request: Request, ctx: Annotated[WorkflowContext, Depends(context_of)]
) -> Response:
    caller = await caller_of(request, ctx)
    if caller is None:
        return to_login()
    if caller.role.value not in KEYERS:
        return page(request, ctx, "message.html", 403, message="not_keyer", caller=caller)
    return _entry_page(request, ctx, caller, values={"channel": "phone"})


@router.post("/new", response_model=None)
async def new_case(
    request: Request, ctx: Annotated[WorkflowContext, Depends(context_of)]
) -> Response:
    """Send what was keyed in to intake on the caller's own token (intake records them
    as the keyer), then show the tracking code and PIN to read out to the person."""
    caller = await caller_of(request, ctx)
    token = request.cookies.get(COOKIE)
    if caller is None or token is None:
        return to_login()
    try:
        form = await read_form(request, ctx.settings.new_case_max_bytes)
    except BodyTooLarge:
        return _entry_page(request, ctx, caller, 413, notice="too_large")
    except NotAForm:
        return refused(request, ctx)
    nonce = request.cookies.get(csrf.COOKIE)
    if not csrf.accepts(ctx.settings.auth.secret, nonce, token, form.get(csrf.FIELD)):
        return refused(request, ctx)
    if caller.role.value not in KEYERS:
        return page(request, ctx, "message.html", 403, message="not_keyer", caller=caller)
    values = {k: v for k, v in form.items if k != csrf.FIELD}
    entry = IntakeEntry(ctx.settings.intake_url, timeout=ctx.settings.intake_timeout_seconds)
    try:
        answer = await entry.key_in(
            token,
            {k: v for k, v in values.items() if k != "idempotency_key"},
            {k: v for k, v in form.files.items() if k in ENTRY_FILES},
            idempotency_key=values.get("idempotency_key") or str(uuid.uuid4()),
            language=language(request),
        )
    except IntakeUnreachable:
        return _entry_page(request, ctx, caller, 503, values=values, notice="intake_unavailable")
    if answer.status == 401:
        return to_login()
    if answer.status == 202:
        return page(
            request,
            ctx,
            "new_case_done.html",
            caller=caller,
            receipt=answer.body,
            channel=values.get("channel", ""),
        )
    if answer.status in {403, 409, 413, 415, 422}:
        return _entry_page(
            request,
            ctx,
            caller,
            answer.status,
            values=values,
            errors=answer.field_messages,
            notice=str(answer.body.get("message") or "") or None,
        )
    return _entry_page(request, ctx, caller, 503, values=values, notice="intake_unavailable")


@router.post("/cases/{case_id}/{command}", response_model=None)
async def command(
    request: Request,
    ctx: Annotated[WorkflowContext, Depends(context_of)],
    case_id: str,
    command: Command,
) -> Response:
    posted = await signed_in_post(request, ctx)
    if isinstance(posted, Response):
        return posted
    caller, form = posted
    version = int(form["version"]) if form.get("version", "").isdigit() else None
    payload_fields = {k: v for k, v in form.items() if k in FIELDS.get(command, ()) and v}
    if payload_fields.get("into_case_id"):
        # People know a case by its tracking code; the command names it by its id.
        payload_fields["into_case_id"] = await _case_named(ctx, payload_fields["into_case_id"])
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
        refusal = _refusal(exc, Texts(language(request)))
        return await _case(request, ctx, caller, case_id, error=refusal, status=422)
    except ValidationError as exc:
        return await _case(
            request, ctx, caller, case_id, error=str(exc.errors()[0]["msg"]), status=422
        )
    except CaseNotFound:
        return page(request, ctx, "message.html", 404, message="not found", caller=caller)
    return RedirectResponse(f"/console/cases/{case_id}?done=1", status_code=303)


async def _case_named(ctx: WorkflowContext, typed: str) -> str:
    """The id of the case a person typed, by its tracking code (any case, with or without
    spaces) or its id; what was typed when neither finds one (the command says so)."""
    code = "".join(typed.split()).upper()
    found = await ctx.store.by_tracking_code(code)
    return str(found["_id"]) if found else typed


def _refusal(exc: DomainError, t: Texts) -> str:
    """Why a command was refused, in the page's words where the console has them."""
    if isinstance(exc, MissingField):
        return t["missing_field"].format(field=t[exc.field])
    if isinstance(exc, ConflictOfInterest):
        return t["conflict_of_interest"]
    if isinstance(exc, InvalidField) and exc.field == "into_case_id":
        return t["no_such_case"]
    return f"{t['refused']}: {exc.message}"
