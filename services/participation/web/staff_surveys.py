"""Staff pages for mission satisfaction surveys: the list of a fiscal year's surveys with
their responses and mean, and a page per survey with each item's distribution (1-5),
mean and responses, the links, and the free-text answers (staff only). Read-only: the
commands go through the API. The session is the staff console's (`siang_token` cookie)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.participation.adapters.mission_survey_store import survey_of
from services.participation.api.access import COOKIE, actor_of
from services.participation.api.survey_views import survey_detail, survey_summary, text_answer
from services.participation.context import ParticipationContext, context_of
from services.participation.domain.errors import NotFound
from services.participation.web.survey_texts import SurveyTexts
from shared.infra.auth import InvalidCredentials, Principal
from shared.thai.dates import format_date
from shared.thai.fiscal import fiscal_year as fiscal_year_of

router = APIRouter(prefix="/staff", include_in_schema=False)
_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    auto_reload=False,
)
Ctx = Annotated[ParticipationContext, Depends(context_of)]


def _lang(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get("siang_lang")
    return "en" if asked == "en" else "th"


def _render(
    request: Request, ctx: ParticipationContext, template: str, status: int = 200, **values: Any
) -> HTMLResponse:
    lang = _lang(request)
    query = {**dict(request.query_params), "lang": "th" if lang == "en" else "en"}
    t = SurveyTexts(lang, staff=True)
    html = _ENV.get_template(template).render(
        lang=lang,
        t=t,
        switch_url=f"{request.url.path}?{urlencode(query)}",
        day=lambda v: format_date(
            date.fromisoformat(v) if isinstance(v, str) else v, lang, "short"
        ),
        group_names={g.code: t.pick(g.name_th, g.name_en) for g in ctx.groups.groups},
        **values,
    )
    headers = {"Cache-Control": "no-store", "Content-Language": lang}
    return HTMLResponse(html, status_code=status, headers=headers)


async def _caller(request: Request, ctx: ParticipationContext) -> Principal | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        return await ctx.sessions.verify(token)
    except InvalidCredentials:
        return None


def _sign_in(request: Request, ctx: ParticipationContext) -> HTMLResponse:
    return _render(request, ctx, "staff_survey_message.html", 401, message="sign_in_first")


@router.get("/mission-surveys", response_class=HTMLResponse)
async def survey_list(
    request: Request,
    ctx: Ctx,
    fiscal_year: Annotated[int | None, Query(ge=2400, le=2800)] = None,
) -> HTMLResponse:
    caller = await _caller(request, ctx)
    if caller is None:
        return _sign_in(request, ctx)
    year = fiscal_year or fiscal_year_of(ctx.today())
    docs = await ctx.surveys.search(fiscal_year=year)
    return _render(
        request,
        ctx,
        "staff_surveys.html",
        caller=caller,
        year=year,
        surveys=[survey_summary(d) for d in docs],
    )


@router.get("/mission-surveys/{survey_id}", response_class=HTMLResponse)
async def survey_page(request: Request, survey_id: str, ctx: Ctx) -> HTMLResponse:
    caller = await _caller(request, ctx)
    if caller is None:
        return _sign_in(request, ctx)
    try:
        doc = await ctx.surveys.get(survey_id)
    except NotFound:
        return _render(
            request, ctx, "staff_survey_message.html", 404, message="not_found", caller=caller
        )
    texts = await ctx.surveys.texts_of(survey_id)
    survey = survey_of(doc)
    base = ctx.settings.public_base_url.rstrip("/")
    return _render(
        request,
        ctx,
        "staff_survey.html",
        caller=caller,
        s=survey_detail(doc, actor_of(caller).role),
        questions={q.id: q for q in survey.questions},
        public_url=f"{base}/mission-surveys/{survey_id}",
        texts=[text_answer(d) for d in texts],
    )
