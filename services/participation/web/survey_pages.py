"""The public page of a mission satisfaction survey: one page per survey, Thai by default
(`?lang=en`), no JavaScript. The same page serves the public link and a person's signed
link (`?t=<token>`, carried by the form); the form posts to the same handler as the JSON
API. It carries a CSRF token bound to this browser's nonce cookie, so another site cannot
make a visitor's browser answer for them (403 without it)."""

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

from services.participation.adapters.mission_survey_store import survey_of, tally_of
from services.participation.api.survey_views import survey_results
from services.participation.context import ParticipationContext, context_of
from services.participation.domain.errors import DomainError, MissingField, NotFound, Refused
from services.participation.domain.mission_survey import (
    MissionSurvey,
    SurveyAnswerBody,
    SurveyStatus,
    takes_answers,
)
from services.participation.domain.survey_links import response_id_for, verify_link
from services.participation.handlers import mission_surveys
from services.participation.web.survey_texts import SurveyTexts
from shared.contract.events import Language
from shared.infra import csrf
from shared.thai.dates import format_date
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
Ctx = Annotated[ParticipationContext, Depends(context_of)]
Lang = Annotated[str, Query(pattern="^(th|en)$")]
Token = Annotated[str | None, Query(max_length=512)]
# The form is public: no session to bind its token to, only the browser's nonce.
_BOUND_TO = ""
_COOKIE_PATH = "/mission-surveys"
# Why an answer was refused → what the page says.
_REFUSED = {
    "already_answered": "answered",
    "link_expired": "expired",
    "not_open": "not_open",
}


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
    query = {**dict(request.query_params), "lang": "en" if language == Language.th else "th"}
    nonce = request.cookies.get(csrf.COOKIE) or csrf.new_nonce()
    html = _ENV.get_template(template).render(
        lang=language.value,
        t=SurveyTexts(language),
        day=lambda d: format_date(d, language.value),
        office=ctx.settings.office_name_th
        if language == Language.th
        else ctx.settings.office_name_en,
        switch_url=f"{request.url.path}?{urlencode(query)}",
        csrf_field=csrf.FIELD,
        csrf_token=csrf.form_token(ctx.settings.auth.secret, nonce, _BOUND_TO),
        **values,
    )
    headers = {
        "Cache-Control": "no-store",
        "Content-Language": language.value,
        # A personal link's token is in the URL: never hand it on.
        "Referrer-Policy": "no-referrer",
    }
    response = HTMLResponse(html, status_code=status, headers=headers)
    if nonce != request.cookies.get(csrf.COOKIE):
        response.set_cookie(csrf.COOKIE, nonce, httponly=True, samesite="strict", path=_COOKIE_PATH)
    return response


def _message(
    request: Request, ctx: ParticipationContext, language: Language, status: int, key: str
) -> HTMLResponse:
    return _render(request, ctx, "survey_message.html", language, status, message=key)


async def _published(ctx: ParticipationContext, survey_id: str) -> tuple[MissionSurvey, Any]:
    doc = await ctx.surveys.get(survey_id)
    survey = survey_of(doc)
    if survey.status is SurveyStatus.draft:
        raise NotFound("survey", survey_id)
    return survey, doc


async def _survey_page(
    request: Request,
    ctx: ParticipationContext,
    survey: MissionSurvey,
    doc: Any,
    language: Language,
    *,
    token: str | None,
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    values = values or {}
    t = SurveyTexts(language)
    plan = await ctx.plans.get(survey.fiscal_year)
    item = plan.item(survey.mission_item) if plan else None
    group = next((g for g in ctx.groups.groups if g.code == survey.group), None)
    closed = survey.status is SurveyStatus.closed
    return _render(
        request,
        ctx,
        "mission_survey.html",
        language,
        status,
        s=survey,
        open=takes_answers(survey, ctx.today()),
        results=survey_results(survey, tally_of(doc)) if closed else None,
        item_name=t.pick(item.name_th, item.name_en) if item else survey.mission_item,
        group_name=t.pick(group.name_th, group.name_en) if group else survey.group,
        token=token,
        values=values,
        errors=errors or {},
        notice=notice,
        submission_key=values.get("submission_key") or uuid.uuid4().hex,
    )


@router.get("/mission-surveys/{survey_id}", response_class=HTMLResponse)
async def survey_page(
    survey_id: str, request: Request, ctx: Ctx, lang: Lang = "th", t: Token = None
) -> HTMLResponse:
    language = _language(lang)
    try:
        survey, doc = await _published(ctx, survey_id)
        if t is not None:
            secret = ctx.settings.survey.secret.get_secret_value()
            old = [s.get_secret_value() for s in ctx.settings.survey.old_secrets]
            claims = verify_link(t, survey_id, ctx.now(), secret, old)
            if await ctx.surveys.response(response_id_for(survey_id, claims.link_id)):
                return _message(request, ctx, language, 200, "answered")
    except NotFound:
        return _message(request, ctx, language, 404, "not_found")
    except Refused:
        return _message(request, ctx, language, 200, "expired")
    except DomainError:
        return _message(request, ctx, language, 200, "bad_link")
    notice = None
    if survey.status is SurveyStatus.closed:
        notice = "closed"
    elif not takes_answers(survey, ctx.today()):
        notice = "not_open" if ctx.today() < survey.opens_on else "closed"
    return await _survey_page(request, ctx, survey, doc, language, token=t, notice=notice)


@router.post("/mission-surveys/{survey_id}", response_class=HTMLResponse)
async def answer_page(
    survey_id: str, request: Request, ctx: Ctx, lang: Lang = "th"
) -> HTMLResponse:
    language = _language(lang)
    try:
        survey, doc = await _published(ctx, survey_id)
    except NotFound:
        return _message(request, ctx, language, 404, "not_found")
    raw = await _read_limited(request, ctx.settings.max_body_bytes)
    if raw is None:
        return _message(request, ctx, language, 413, "too_large")
    flat = dict(parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True))
    nonce = request.cookies.get(csrf.COOKIE)
    if not csrf.accepts(ctx.settings.auth.secret, nonce, _BOUND_TO, flat.get(csrf.FIELD)):
        return _message(request, ctx, language, 403, "csrf")
    token = flat.get("t") or None

    async def again(status: int, errors: dict[str, str]) -> HTMLResponse:
        return await _survey_page(
            request,
            ctx,
            survey,
            doc,
            language,
            token=token,
            status=status,
            values=flat,
            errors=errors,
        )

    t = SurveyTexts(language)
    try:
        body = SurveyAnswerBody.model_validate(answer_fields(flat, language))
        receipt = await mission_surveys.answer(ctx, survey_id, body)
    except ValidationError as exc:
        errors = {_field(e["loc"]): t["problem.score"] for e in exc.errors()}
        return await again(422, errors)
    except Refused as exc:
        return _message(request, ctx, language, 409, _REFUSED.get(exc.reason, "closed"))
    except DomainError as exc:
        field = getattr(exc, "field", "body")
        if field == "token":
            return _message(request, ctx, language, 422, "bad_link")
        problem = "problem.empty" if isinstance(exc, MissingField) else "problem.score"
        return await again(422, {field: t[problem]})
    except PyMongoError:
        response = _message(request, ctx, language, 503, "busy")
        response.headers["Retry-After"] = "5"
        return response
    return _render(request, ctx, "survey_thanks.html", language, s=survey, receipt=receipt)


def _field(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc)


def answer_fields(flat: dict[str, str], language: Language) -> dict[str, Any]:
    """The form's fields as the API's body: `scores.q1` into `scores` (a blank one left
    out; anything not a whole number kept as given, so the model names it), `texts.q2`
    into `texts`, the link's token and the submission key."""
    body: dict[str, Any] = {"scores": {}, "texts": {}, "language": language.value}
    for name, value in flat.items():
        head, _, tail = name.partition(".")
        if head == "scores" and tail and value.strip():
            text = value.strip()
            body["scores"][tail] = int(text) if text.isdigit() else text
        elif head == "texts" and tail:
            body["texts"][tail] = value
    if flat.get("t"):
        body["token"] = flat["t"]
    if flat.get("submission_key"):
        body["submission_key"] = flat["submission_key"]
    return body


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
