"""`/admin/templates`: admins read every notification template as it is sent, rendered
from a sample case (`domain/template_samples.py`) in Thai and English, on each channel it
goes by: the e-mail's subject, text and HTML; the LINE and Messenger text; the SMS with
its length and the messages it costs. Read-only; server-rendered, Thai by default
(`?lang=en`), no JavaScript.

The session is the console's (`shared.infra.sign_in`): nobody signed in is sent to the
console's sign-in and back; a signed-in account that is not an admin gets a 403 page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, TemplateError, select_autoescape
from pydantic import ValidationError

from services.notifications.context import NotificationsContext, context_of
from services.notifications.domain.notice import DeliveryChannel, TemplateName
from services.notifications.domain.sms_segments import Segments, segments
from services.notifications.domain.template_samples import Sample, sample
from services.notifications.domain.templates import RenderedMessage, TemplateProblem
from services.notifications.web.texts import Texts
from shared.contract.events import Language
from shared.infra.auth import Principal, StaffRole
from shared.infra.sign_in import console_link, sign_in_link, signed_in, to_sign_in
from shared.web import assets
from shared.web.language import page_language

PATH = "/admin/templates"
router = APIRouter(prefix=PATH, include_in_schema=False)
Ctx = Annotated[NotificationsContext, Depends(context_of)]
_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    auto_reload=False,
)
assets.use_in(_ENV)


@dataclass(frozen=True, slots=True)
class Preview:
    """One template in one language, as each of its channels carries it."""

    language: Language
    sample: Sample
    message: RenderedMessage | None
    problem: str | None

    @property
    def sms(self) -> Segments | None:
        return segments(self.message.short) if self.message else None

    @property
    def chat(self) -> bool:
        return DeliveryChannel.line in self.sample.channels


def _render(
    request: Request,
    ctx: NotificationsContext,
    page: str,
    status: int = 200,
    *,
    caller: Principal | None,
    **values: Any,
) -> HTMLResponse:
    lang = page_language(request)
    html = _ENV.get_template(page).render(
        lang=lang,
        t=Texts(lang),
        caller=caller,
        switch_url=f"{request.url.path}?lang={'th' if lang == 'en' else 'en'}",
        console_url=console_link(ctx.auth),
        **values,
    )
    headers = {"Cache-Control": "no-store", "Content-Language": lang}
    return HTMLResponse(html, status_code=status, headers=headers)


async def _admin(request: Request, ctx: NotificationsContext) -> Principal | Response:
    """The signed-in admin, or the answer for anyone else (the sign-in, or 403)."""
    caller = await signed_in(request, ctx.sessions)
    if caller is None:
        return to_sign_in(ctx.auth, request)
    if caller.role is not StaffRole.admin:
        return _message(request, ctx, caller, 403, "forbidden")
    return caller


def _message(
    request: Request, ctx: NotificationsContext, caller: Principal, status: int, message: str
) -> HTMLResponse:
    sign_in_url = sign_in_link(ctx.auth, request)
    return _render(
        request,
        ctx,
        "message.html",
        status,
        caller=caller,
        message=message,
        sign_in_url=sign_in_url,
    )


def _sample(ctx: NotificationsContext, template: TemplateName, language: Language) -> Sample:
    return sample(template, language, ctx.office, ctx.survey_links, ctx.clock())


def _preview(ctx: NotificationsContext, template: TemplateName, language: Language) -> Preview:
    found = _sample(ctx, template, language)
    try:
        return Preview(language, found, ctx.renderer.render(found.notice), None)
    except (TemplateProblem, TemplateError, ValidationError, ValueError) as exc:
        # A broken template is what a preview is for: say so instead of failing the page.
        return Preview(language, found, None, f"{type(exc).__name__}: {exc}")


def _template(name: str) -> TemplateName | None:
    try:
        return TemplateName(name)
    except ValueError:
        return None


@router.get("", response_model=None)
async def template_list(request: Request, ctx: Ctx) -> Response:
    caller = await _admin(request, ctx)
    if not isinstance(caller, Principal):
        return caller
    language = Language(page_language(request))
    rows = [(t, _sample(ctx, t, language)) for t in TemplateName]
    return _render(request, ctx, "templates.html", caller=caller, rows=rows)


@router.get("/{name}", response_model=None)
async def template_preview(name: str, request: Request, ctx: Ctx) -> Response:
    caller = await _admin(request, ctx)
    if not isinstance(caller, Principal):
        return caller
    template = _template(name)
    if template is None:
        return _message(request, ctx, caller, 404, "not_found")
    previews = [_preview(ctx, template, language) for language in Language]
    return _render(
        request, ctx, "template.html", caller=caller, template=template, previews=previews
    )


@router.get("/{name}/email", response_model=None)
async def email_html(name: str, request: Request, ctx: Ctx, language: str = "th") -> Response:
    """The HTML part of the e-mail, as a mail program shows it."""
    caller = await _admin(request, ctx)
    if not isinstance(caller, Principal):
        return caller
    template = _template(name)
    if template is None or language not in {"th", "en"}:
        return _message(request, ctx, caller, 404, "not_found")
    preview = _preview(ctx, template, Language(language))
    if preview.message is None:
        return _message(request, ctx, caller, 422, "cannot_render")
    return HTMLResponse(preview.message.html, headers={"Cache-Control": "no-store"})
