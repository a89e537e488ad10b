"""The public pages: the consultations the office has opened, one consultation with its
opinion form, and "you said, we did". Server-rendered, Thai by default (`?lang=en`),
working without JavaScript: the form is a plain HTML form posting to the same handler
as the JSON API; only the rendering differs."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import ValidationError
from pymongo.errors import PyMongoError

from services.participation.adapters.consultation_store import consultation_of, tally_doc
from services.participation.context import ParticipationContext, context_of
from services.participation.domain.consultation import Consultation
from services.participation.domain.errors import (
    DomainError,
    InvalidField,
    MissingField,
    NotFound,
    Refused,
)
from services.participation.domain.opinions import OpinionBody, takes_opinions
from services.participation.domain.plan import MissionPlan
from services.participation.domain.tally import Tally
from services.participation.handlers import opinions
from services.participation.handlers.published import you_said_we_did
from services.participation.web.heard import heard_words
from services.participation.web.texts import Texts
from shared.contract.events import Channel, ConsultationStatus, Language
from shared.thai.dates import format_date
from shared.thai.fiscal import fiscal_year as fiscal_year_of
from shared.thai.fiscal import fiscal_year_label
from shared.thai.numbers import format_count
from shared.web import assets

router = APIRouter(include_in_schema=False)

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    auto_reload=False,
)
assets.use_in(_ENV)
# `{{ year | fiscal_year(lang) }}`: 2570 in Thai, 2026–27 in English; `{{ n | count }}`: 1,234.
_ENV.filters["fiscal_year"] = fiscal_year_label
_ENV.filters["count"] = format_count
_PUBLIC = (ConsultationStatus.open, ConsultationStatus.closed, ConsultationStatus.concluded)

Ctx = Annotated[ParticipationContext, Depends(context_of)]
Lang = Annotated[str, Query(pattern="^(th|en)$")]


def _language(lang: str | None) -> Language:
    return Language.en if lang == "en" else Language.th


def _render(
    request: Request,
    ctx: ParticipationContext,
    template: str,
    language: Language,
    status: int = 200,
    **values: Any,
) -> HTMLResponse:
    # The other language keeps the page's query (the fiscal year asked for).
    other = urlencode({**request.query_params, "lang": "en" if language == Language.th else "th"})
    html = _ENV.get_template(template).render(
        lang=language.value,
        t=Texts(language),
        day=lambda d: format_date(d, language.value),
        office=ctx.settings.office_name_th
        if language == Language.th
        else ctx.settings.office_name_en,
        switch_url=f"{request.url.path}?{other}",
        **values,
    )
    headers = {"Cache-Control": "no-store", "Content-Language": language.value}
    return HTMLResponse(html, status_code=status, headers=headers)


async def _names(ctx: ParticipationContext, plan: MissionPlan | None, t: Texts) -> dict[str, Any]:
    """How the pages name groups, mission items and units in the page's language (the
    units as an admin named them)."""
    units = (await ctx.unit_directory.catalogue()).units
    return {
        "group_names": {g.code: t.pick(g.name_th, g.name_en) for g in ctx.groups.groups},
        "item_names": {i.code: t.pick(i.name_th, i.name_en) for i in plan.items} if plan else {},
        "unit_names": {u.code: t.pick(u.name_th, u.name_en) for u in units},
    }


@router.get("/", response_class=HTMLResponse)
@router.get("/consultations", response_class=HTMLResponse)
async def list_page(request: Request, ctx: Ctx, lang: Lang = "th") -> HTMLResponse:
    language = _language(lang)
    today = ctx.today()
    docs = await ctx.consultations.search(statuses=_PUBLIC)
    found = [consultation_of(d) for d in docs]
    plan = await ctx.plans.get(fiscal_year_of(today))
    return _render(
        request,
        ctx,
        "consultations.html",
        language,
        open_now=[c for c in found if takes_opinions(c, today)],
        earlier=[c for c in found if not takes_opinions(c, today)],
        **await _names(ctx, plan, Texts(language)),
    )


async def _consultation_page(
    request: Request,
    ctx: ParticipationContext,
    consultation: Consultation,
    tally: Tally,
    language: Language,
    *,
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    values = values or {}
    plan = await ctx.plans.get(consultation.fiscal_year)
    return _render(
        request,
        ctx,
        "consultation.html",
        language,
        status,
        c=consultation,
        tally=tally,
        open=takes_opinions(consultation, ctx.today()),
        values=values,
        errors=errors or {},
        notice=notice,
        # Reused when the form comes back with errors, so a double send counts once.
        submission_key=values.get("submission_key") or uuid.uuid4().hex,
        **await _names(ctx, plan, Texts(language)),
    )


async def _public_consultation(
    ctx: ParticipationContext, consultation_id: str
) -> tuple[Consultation, Tally]:
    doc = await ctx.consultations.get(consultation_id)
    consultation = consultation_of(doc)
    if consultation.status is ConsultationStatus.draft:
        raise NotFound("consultation", consultation_id)
    return consultation, tally_doc(doc)


def _not_found(request: Request, ctx: ParticipationContext, language: Language) -> HTMLResponse:
    t = Texts(language)
    return _render(request, ctx, "message.html", language, 404, heading=t["not_found"])


@router.get("/consultations/{consultation_id}", response_class=HTMLResponse)
async def consultation_page(
    consultation_id: str, request: Request, ctx: Ctx, lang: Lang = "th"
) -> HTMLResponse:
    language = _language(lang)
    try:
        consultation, tally = await _public_consultation(ctx, consultation_id)
    except NotFound:
        return _not_found(request, ctx, language)
    return await _consultation_page(request, ctx, consultation, tally, language)


@router.post("/consultations/{consultation_id}", response_class=HTMLResponse)
async def give_opinion(
    consultation_id: str, request: Request, ctx: Ctx, lang: Lang = "th"
) -> HTMLResponse:
    language = _language(lang)
    t = Texts(language)
    try:
        consultation, tally = await _public_consultation(ctx, consultation_id)
    except NotFound:
        return _not_found(request, ctx, language)
    raw = await _read_limited(request, ctx.settings.max_body_bytes)
    if raw is None:
        return await _consultation_page(
            request, ctx, consultation, tally, language, status=413, notice=t["too_large"]
        )
    flat = dict(parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True))
    try:
        body = OpinionBody.model_validate(opinion_fields(flat, language))
        receipt = await opinions.give(ctx, consultation_id, body, Channel.web)
    except ValidationError as exc:
        errors = {".".join(str(p) for p in e["loc"]): t["problem.invalid"] for e in exc.errors()}
        return await _consultation_page(
            request, ctx, consultation, tally, language, status=422, values=flat, errors=errors
        )
    except Refused:
        again, tally = await _public_consultation(ctx, consultation_id)
        return await _consultation_page(
            request, ctx, again, tally, language, status=409, notice=t["closed_notice"]
        )
    except DomainError as exc:
        errors = {getattr(exc, "field", "body"): problem_text(exc, t)}
        return await _consultation_page(
            request, ctx, consultation, tally, language, status=422, values=flat, errors=errors
        )
    except PyMongoError:
        response = await _consultation_page(
            request, ctx, consultation, tally, language, status=503, values=flat, notice=t["busy"]
        )
        response.headers["Retry-After"] = "5"
        return response
    return _render(request, ctx, "thanks.html", language, c=consultation, receipt=receipt)


def opinion_fields(flat: dict[str, str], language: Language) -> dict[str, Any]:
    """The form's fields as the API's body: `answers.q1` into `answers`, `contact.email`
    into `contact` (left out when blank), the consent box ticked or not."""
    body: dict[str, Any] = {
        "group": flat.get("group", ""),
        "answers": {},
        "consent": {"contact_me": "consent.contact_me" in flat},
        "language": language.value,
    }
    contact: dict[str, str] = {}
    for name, value in flat.items():
        head, _, tail = name.partition(".")
        if head == "answers" and tail:
            body["answers"][tail] = value
        elif head == "contact" and tail in {"name", "phone", "email"} and value.strip():
            contact[tail] = value.strip()
    if contact:
        body["contact"] = contact
    if flat.get("submission_key"):
        body["submission_key"] = flat["submission_key"]
    return body


def problem_text(exc: DomainError, t: Texts) -> str:
    field = getattr(exc, "field", "")
    if field == "group":
        return t["problem.group"]
    if field == "answers":
        return t["problem.answers"]
    if field == "consent.contact_me":
        return t["problem.consent"]
    if isinstance(exc, MissingField):
        return t["problem.missing"]
    if isinstance(exc, InvalidField) and "choices" in exc.why:
        return t["problem.choice"]
    return t["problem.invalid"]


async def _read_limited(request: Request, limit: int) -> bytes | None:
    """The body, or None once it passes `limit` bytes (read no further)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


@router.get("/you-said-we-did", response_class=HTMLResponse)
async def you_said_we_did_page(
    request: Request,
    ctx: Ctx,
    lang: Lang = "th",
    fiscal_year: Annotated[int | None, Query(ge=2400, le=2800)] = None,
) -> HTMLResponse:
    language = _language(lang)
    year = fiscal_year or fiscal_year_of(ctx.today())
    items = await you_said_we_did(ctx, year)
    plan = await ctx.plans.get(year)
    return _render(
        request,
        ctx,
        "you_said_we_did.html",
        language,
        fiscal_year=year,
        items=items,
        heard=lambda p: heard_words(p, language.value),
        **await _names(ctx, plan, Texts(language)),
    )
