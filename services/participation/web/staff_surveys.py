"""Staff pages for mission satisfaction surveys (measure 2.5): the list of a fiscal year's
surveys with the form creating a draft, and a page per survey with each item's
distribution (1-5), mean and responses, the free-text answers (staff only), the forms
opening and closing it, and the form minting signed per-person links: the recipients'
labels one a line answer a page listing each label with its link and the same list as a
CSV to download (or the CSV straight away). The links are shown once and kept nowhere.

Server-rendered, Thai by default (`?lang=en`), no JavaScript; the session, CSRF check,
rendering and refusals are `staff.py`'s, and the forms call the API's handlers: the
survey's table refuses a step it is past with 409, a bad field is 422 naming it."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from services.participation.adapters.mission_survey_store import survey_of
from services.participation.api.access import actor_of
from services.participation.api.mission_surveys import links_csv
from services.participation.api.survey_views import survey_detail, survey_summary, text_answer
from services.participation.context import ParticipationContext, context_of
from services.participation.domain.errors import DomainError
from services.participation.domain.lifecycle import MANAGERS
from services.participation.domain.mission_survey import (
    MissionSurveyDraft,
    SurveyCommand,
    allowed_commands,
)
from services.participation.handlers import mission_surveys
from services.participation.web.staff import (
    _back,
    _caller,
    _lines,
    _sign_in,
    _submit,
    _year_asked,
)
from services.participation.web.staff import _render as _render_staff
from services.participation.web.survey_texts import SurveyTexts
from shared.infra.auth import Principal
from shared.infra.uploads import Form
from shared.thai.fiscal import fiscal_year as fiscal_year_of

router = APIRouter(prefix="/staff", include_in_schema=False)
Ctx = Annotated[ParticipationContext, Depends(context_of)]
PAGE_COMMANDS = (SurveyCommand.open, SurveyCommand.close)
# Excel reads a CSV as the machine's code page unless it starts with a byte-order mark;
# the labels are Thai.
_BOM = "\ufeff"


def _words(lang: str) -> SurveyTexts:
    return SurveyTexts(lang, staff=True)


def _render(
    request: Request, ctx: ParticipationContext, template: str, status: int = 200, **values: Any
) -> HTMLResponse:
    return _render_staff(request, ctx, template, status, words=_words, **values)


def _message(
    request: Request, ctx: ParticipationContext, caller: Principal, status: int, message: str
) -> HTMLResponse:
    return _render(request, ctx, "staff_message.html", status, message=message, caller=caller)


def entries_of_form(text: str, prefix: str) -> list[dict[str, Any]]:
    """The statements or questions a textarea writes, one a line, `ไทย | English` where
    the English is given. Ids are `{prefix}1`, `{prefix}2`, ... in the order written."""
    out: list[dict[str, Any]] = []
    for n, line in enumerate(_lines(text), start=1):
        thai, _, english = line.partition("|")
        entry: dict[str, Any] = {"id": f"{prefix}{n}", "text_th": thai.strip()}
        if english.strip():
            entry["text_en"] = english.strip()
        out.append(entry)
    return out


def draft_of_form(form: Form) -> MissionSurveyDraft:
    return MissionSurveyDraft.model_validate(
        {
            "title_th": form.get("title_th"),
            "title_en": form.get("title_en") or None,
            "description_th": form.get("description_th"),
            "mission_item": form.get("mission_item"),
            "group": form.get("group"),
            "opens_on": form.get("opens_on") or None,
            "closes_on": form.get("closes_on") or None,
            "items": entries_of_form(form.get("items"), "i"),
            "questions": entries_of_form(form.get("questions"), "q"),
        }
    )


# ------------------------------------------------------------------------ list


async def _list_page(
    request: Request,
    ctx: ParticipationContext,
    caller: Principal,
    *,
    error: str | None = None,
    status: int = 200,
    values: dict[str, Any] | None = None,
) -> HTMLResponse:
    year = _year_asked(request, ctx)
    docs = await ctx.surveys.search(fiscal_year=year)
    plan = await ctx.plans.get(fiscal_year_of(ctx.today()))
    return _render(
        request,
        ctx,
        "staff_surveys.html",
        status,
        caller=caller,
        year=year,
        surveys=[survey_summary(d) for d in docs],
        items=plan.items if plan else (),
        manages=actor_of(caller).role in MANAGERS,
        today=ctx.today(),
        values=values or {},
        error=error,
        done=request.query_params.get("done"),
    )


@router.get("/mission-surveys", response_model=None)
async def survey_list(request: Request, ctx: Ctx) -> Response:
    caller = await _caller(request, ctx)
    if caller is None:
        return _sign_in(request, ctx)
    return await _list_page(request, ctx, caller)


@router.post("/mission-surveys", response_model=None)
async def create(request: Request, ctx: Ctx) -> Response:
    values: dict[str, Any] = {}

    async def action(caller: Principal, form: Form) -> Response:
        values.update({k: v for k, v in form.items})
        doc = await mission_surveys.create(ctx, draft_of_form(form), actor_of(caller))
        return _back(f"/staff/mission-surveys/{doc['_id']}", request)

    async def again(caller: Principal, error: str, status: int) -> Response:
        return await _list_page(request, ctx, caller, error=error, status=status, values=values)

    return await _submit(request, ctx, action, again)


# ------------------------------------------------------------------------- one


async def _survey_page(
    request: Request,
    ctx: ParticipationContext,
    caller: Principal,
    survey_id: str,
    *,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    try:
        doc = await ctx.surveys.get(survey_id)
    except DomainError:
        return _message(request, ctx, caller, 404, "not_found")
    texts = await ctx.surveys.texts_of(survey_id)
    survey = survey_of(doc)
    role = actor_of(caller).role
    base = ctx.settings.public_base_url.rstrip("/")
    return _render(
        request,
        ctx,
        "staff_survey.html",
        status,
        caller=caller,
        s=survey_detail(doc, role),
        version=doc["version"],
        questions={q.id: q for q in survey.questions},
        public_url=f"{base}/mission-surveys/{survey_id}",
        texts=[text_answer(d) for d in texts],
        commands=[c.value for c in allowed_commands(survey.status, role) if c in PAGE_COMMANDS],
        manages=role in MANAGERS,
        error=error,
        done=request.query_params.get("done"),
    )


@router.get("/mission-surveys/{survey_id}", response_model=None)
async def survey_page(request: Request, survey_id: str, ctx: Ctx) -> Response:
    caller = await _caller(request, ctx)
    if caller is None:
        return _sign_in(request, ctx)
    return await _survey_page(request, ctx, caller, survey_id)


@router.post("/mission-surveys/{survey_id}/links", response_model=None)
async def links(survey_id: str, request: Request, ctx: Ctx) -> Response:
    """Mint a link per label; the page listing them (and offering them as a CSV), or,
    with `format=csv`, the CSV itself. Nothing on the way may keep a copy: the links are
    credentials."""

    async def action(caller: Principal, form: Form) -> Response:
        labels = _lines(form.get("recipients"))
        minted = await mission_surveys.mint_links(ctx, survey_id, labels, actor_of(caller))
        csv_text = _BOM + links_csv(minted)
        if form.get("format") == "csv":
            headers = {
                "Cache-Control": "no-store",
                "Content-Disposition": f'attachment; filename="{survey_id}-links.csv"',
            }
            return Response(csv_text, media_type="text/csv; charset=utf-8", headers=headers)
        survey = survey_detail(await ctx.surveys.get(survey_id), actor_of(caller).role)
        return _render(
            request,
            ctx,
            "staff_survey_links.html",
            caller=caller,
            s=survey,
            links=minted,
            expires_at=minted[0].expires_at,
            csv_href="data:text/csv;charset=utf-8," + quote(csv_text, safe=""),
            csv_name=f"{survey_id}-links.csv",
        )

    async def again(caller: Principal, error: str, status: int) -> Response:
        return await _survey_page(request, ctx, caller, survey_id, error=error, status=status)

    return await _submit(request, ctx, action, again)


@router.post("/mission-surveys/{survey_id}/{command}", response_model=None)
async def command(survey_id: str, command: str, request: Request, ctx: Ctx) -> Response:
    async def action(caller: Principal, form: Form) -> Response:
        if command not in {c.value for c in PAGE_COMMANDS}:
            return _message(request, ctx, caller, 404, "not_found")
        version = form.get("version")
        await mission_surveys.run_command(
            ctx,
            survey_id,
            SurveyCommand(command),
            actor_of(caller),
            int(version) if version.isdigit() else None,
        )
        return _back(f"/staff/mission-surveys/{survey_id}", request)

    async def again(caller: Principal, error: str, status: int) -> Response:
        return await _survey_page(request, ctx, caller, survey_id, error=error, status=status)

    return await _submit(request, ctx, action, again)


__all__ = ["draft_of_form", "entries_of_form", "router"]
