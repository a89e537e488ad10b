"""`/admin/channel-keys`: admins list the channel API keys, mint one (its secret shown once,
on the answer to the form, never again) and revoke one after confirming. Server-rendered,
Thai by default (`?lang=en`), no JavaScript.

The session is the console's (`shared.infra.sign_in`): nobody signed in is sent to the
console's sign-in and back; a signed-in account that is not an admin gets a 403 page.
Every form carries a CSRF token (`shared.infra.csrf`) bound to this browser and that
session; a post without it is refused (403) before anything is read or written."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pymongo.errors import PyMongoError

from services.intake.api.body import read_limited
from services.intake.api.errors import GuardedRoute
from services.intake.context import IntakeContext, context_of
from services.intake.domain.api_keys import KEYED_CHANNELS, LABEL_MAX, KeyRefused
from services.intake.errors import PayloadTooLarge
from services.intake.handlers.channel_keys import create_key, listed_keys, revoke_key
from services.intake.web.admin_texts import AdminTexts
from shared.infra import csrf
from shared.infra.auth import Principal, StaffRole
from shared.infra.production import secure_cookies
from shared.infra.sign_in import COOKIE, console_link, sign_in_link, signed_in, to_sign_in
from shared.thai.dates import format_datetime
from shared.web import assets
from shared.web.language import page_language

PATH = "/admin/channel-keys"
router = APIRouter(prefix=PATH, include_in_schema=False, route_class=GuardedRoute)
Ctx = Annotated[IntakeContext, Depends(context_of)]
_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    auto_reload=False,
)
assets.use_in(_ENV)
# The forms hold a channel and a label: a few hundred bytes.
_FORM_BYTES = 8 * 1024


def _render(
    request: Request,
    intake: IntakeContext,
    template: str,
    status: int = 200,
    *,
    caller: Principal | None,
    **values: Any,
) -> HTMLResponse:
    lang = page_language(request)
    t = AdminTexts(lang)
    auth = intake.settings.auth
    nonce = request.cookies.get(csrf.COOKIE) or csrf.new_nonce()
    html = _ENV.get_template(template).render(
        lang=lang,
        t=t,
        caller=caller,
        switch_url=f"{request.url.path}?lang={'th' if lang == 'en' else 'en'}",
        console_url=console_link(auth),
        csrf_field=csrf.FIELD,
        csrf_token=csrf.form_token(auth.secret, nonce, request.cookies.get(COOKIE, "")),
        when=lambda v: format_datetime(v, lang, style="short") if v else "",
        who=lambda v: t["command_line"] if v == "command line" else (v or t["unknown"]),
        **values,
    )
    # no-store: the page that shows a new key's secret must not stay in any cache.
    headers = {"Cache-Control": "no-store", "Content-Language": lang}
    response = HTMLResponse(html, status_code=status, headers=headers)
    if nonce != request.cookies.get(csrf.COOKIE):
        response.set_cookie(
            csrf.COOKIE, nonce, httponly=True, samesite="strict", path=PATH,
            secure=secure_cookies(),
        )  # fmt: skip
    return response


def _message(
    request: Request, intake: IntakeContext, caller: Principal | None, status: int, message: str
) -> HTMLResponse:
    return _render(
        request,
        intake,
        "admin_message.html",
        status,
        caller=caller,
        message=message,
        sign_in_url=sign_in_link(intake.settings.auth, request),
    )


async def _admin(request: Request, intake: IntakeContext) -> Principal | Response:
    """The signed-in admin, or the answer for anyone else: the sign-in for nobody (a
    page: there and back; a form: a page linking there), 403 for another role."""
    caller = await signed_in(request, intake.sessions)
    if caller is None:
        if request.method == "GET":
            return to_sign_in(intake.settings.auth, request)
        return _message(request, intake, None, 401, "sign_in_first")
    if caller.role is not StaffRole.admin:
        return _message(request, intake, caller, 403, "forbidden")
    return caller


async def _posted(request: Request, intake: IntakeContext) -> dict[str, str] | None:
    """The posted form, or None without this browser's and session's CSRF token."""
    try:
        raw = await read_limited(request, _FORM_BYTES)
    except PayloadTooLarge:
        return None
    form = dict(parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True))
    nonce = request.cookies.get(csrf.COOKIE)
    session = request.cookies.get(COOKIE, "")
    if not csrf.accepts(intake.settings.auth.secret, nonce, session, form.get(csrf.FIELD)):
        return None
    return form


async def _list(
    request: Request,
    intake: IntakeContext,
    caller: Principal,
    status: int = 200,
    *,
    notice: str | None = None,
    error: str | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    return _render(
        request,
        intake,
        "admin_keys.html",
        status,
        caller=caller,
        keys=await listed_keys(intake.key_store),
        channels=KEYED_CHANNELS,
        label_max=LABEL_MAX,
        cache_seconds=f"{intake.settings.api_key_cache_seconds:g}",
        notice=notice,
        error=error,
        values=values or {},
    )


@router.get("", response_model=None)
async def keys_page(request: Request, intake: Ctx, revoked: str | None = None) -> Response:
    caller = await _admin(request, intake)
    if not isinstance(caller, Principal):
        return caller
    t = AdminTexts(page_language(request))
    notice = t["revoked_done"].format(key_id=revoked) if revoked else None
    try:
        return await _list(request, intake, caller, notice=notice)
    except PyMongoError:
        return _message(request, intake, caller, 503, "busy")


@router.post("", response_model=None)
async def create(request: Request, intake: Ctx) -> Response:
    caller = await _admin(request, intake)
    if not isinstance(caller, Principal):
        return caller
    form = await _posted(request, intake)
    if form is None:
        return _message(request, intake, caller, 403, "csrf")
    values = {"channel": form.get("channel", ""), "label": form.get("label", "")}
    t = AdminTexts(page_language(request))
    try:
        issued = await create_key(
            intake.key_store, values["channel"], values["label"], by=caller.id, now=_now()
        )
    except KeyRefused as exc:
        error = t[f"refused.{exc.field}"]
        return await _list(request, intake, caller, 422, error=error, values=values)
    except PyMongoError:
        return _message(request, intake, caller, 503, "busy")
    return _render(
        request,
        intake,
        "admin_key_created.html",
        201,
        caller=caller,
        key=issued.key,
        record=issued.record,
    )


@router.get("/{key_id}/revoke", response_model=None)
async def revoke_page(key_id: str, request: Request, intake: Ctx) -> Response:
    """The confirmation: what the key is and what revoking it does."""
    caller = await _admin(request, intake)
    if not isinstance(caller, Principal):
        return caller
    try:
        record = await intake.key_store.get(key_id[:64])
    except PyMongoError:
        return _message(request, intake, caller, 503, "busy")
    if record is None or not record.active:
        return _message(request, intake, caller, 404, "not_found")
    return _render(request, intake, "admin_key_revoke.html", caller=caller, record=record)


@router.post("/{key_id}/revoke", response_model=None)
async def revoke(key_id: str, request: Request, intake: Ctx) -> Response:
    caller = await _admin(request, intake)
    if not isinstance(caller, Principal):
        return caller
    if await _posted(request, intake) is None:
        return _message(request, intake, caller, 403, "csrf")
    try:
        done = await revoke_key(
            intake.key_store, intake.keys, key_id[:64], by=caller.id, now=_now()
        )
    except PyMongoError:
        return _message(request, intake, caller, 503, "busy")
    if not done:
        return _message(request, intake, caller, 404, "not_found")
    query = {"revoked": key_id, **({"lang": "en"} if page_language(request) == "en" else {})}
    return RedirectResponse(f"{PATH}?{urlencode(query)}", status_code=303)


def _now() -> datetime:
    return datetime.now(UTC)
