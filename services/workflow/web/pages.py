"""What every console page shares: the language asked for, rendering a template with the
console's words and a CSRF token, who is signed in, and reading a posted form.

Every form carries a CSRF token (`shared.infra.csrf`) bound to this browser and to the
session it posts under (the sign-in form: to the browser alone); a post without it is
refused with 403 before anything else is read."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.workflow.api.auth import COOKIE
from services.workflow.context import WorkflowContext
from services.workflow.web.case_words import unit_name
from services.workflow.web.texts import Texts
from shared.infra import csrf
from shared.infra.auth import InvalidCredentials, Principal
from shared.infra.production import secure_cookies
from shared.thai.dates import format_date, format_datetime
from shared.web import assets
from shared.web.language import page_language

ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    auto_reload=False,
)
assets.use_in(ENV)


def language(request: Request) -> str:
    return page_language(request)


def page(
    request: Request,
    ctx: WorkflowContext,
    template: str,
    status: int = 200,
    *,
    signing_in: bool = False,
    **values: Any,
) -> HTMLResponse:
    lang = language(request)
    other = "th" if lang == "en" else "en"
    query = {**dict(request.query_params), "lang": other}
    nonce = request.cookies.get(csrf.COOKIE) or csrf.new_nonce()
    html = ENV.get_template(template).render(
        lang=lang,
        t=Texts(lang),
        switch_url=f"{request.url.path}?{urlencode(query)}",
        date=lambda v: format_date(v, lang, style="short") if v else "",
        datetime=lambda v: format_datetime(v, lang, style="short") if v else "",
        # The header names the signed-in person's unit in words, not by its code.
        unit_name=lambda code: unit_name(ctx.catalogue, code, lang),
        # The reporting dashboard, linked from every page's header (it takes the same sign-in).
        reporting_url=ctx.settings.reporting_url,
        csrf_field=csrf.FIELD,
        csrf_token=csrf.form_token(
            ctx.settings.auth.secret, nonce, session_of(request, signing_in)
        ),
        **values,
    )
    response = HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})
    if request.query_params.get("lang") in {"th", "en"}:
        response.set_cookie("siang_lang", lang, samesite="strict", secure=secure_cookies())
    if nonce != request.cookies.get(csrf.COOKIE):
        response.set_cookie(
            csrf.COOKIE,
            nonce,
            httponly=True,
            samesite="strict",
            path="/console",
            secure=secure_cookies(),
        )
    return response


def session_of(request: Request, signing_in: bool) -> str:
    """What a form's CSRF token is bound to: the session it posts under (none to sign in)."""
    return "" if signing_in else request.cookies.get(COOKIE, "")


async def caller_of(request: Request, ctx: WorkflowContext) -> Principal | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        return await ctx.sessions.verify(token)
    except InvalidCredentials:
        return None


def to_login() -> RedirectResponse:
    return RedirectResponse("/console/login", status_code=303)


async def posted_form(
    request: Request, ctx: WorkflowContext, *, signing_in: bool = False
) -> dict[str, str] | None:
    """The posted form, or None if it lacks this browser's and session's CSRF token."""
    body = (await request.body())[:65_536].decode("utf-8", errors="replace")
    form = {k: v.strip() for k, v in parse_qsl(body, keep_blank_values=True)}
    nonce = request.cookies.get(csrf.COOKIE)
    session = session_of(request, signing_in)
    if not csrf.accepts(ctx.settings.auth.secret, nonce, session, form.get(csrf.FIELD)):
        return None
    return form


async def signed_in_post(
    request: Request, ctx: WorkflowContext
) -> tuple[Principal, dict[str, str]] | Response:
    """Who posted and their form, or the answer instead: the sign-in page for nobody
    signed in, 403 for a form without this browser's and session's CSRF token."""
    caller = await caller_of(request, ctx)
    if caller is None:
        return to_login()
    form = await posted_form(request, ctx)
    if form is None:
        return refused(request, ctx)
    return caller, form


def signed_in_at(ctx: WorkflowContext, to: str, token: str) -> RedirectResponse:
    """On to `to` with the session cookie of a fresh sign-in (or a new password)."""
    response = RedirectResponse(to, status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="strict",
        max_age=ctx.settings.auth.token_ttl_seconds,
        secure=secure_cookies(),
    )
    return response


def refused(request: Request, ctx: WorkflowContext) -> HTMLResponse:
    return page(request, ctx, "message.html", 403, message="csrf")
