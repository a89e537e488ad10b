"""Staff pages for consultations (measures 1.2-1.4): the list by status and fiscal year,
the form creating one, a page per consultation with its counts per group and question
and the lifecycle's forms (open, close, reopen, conclude with the results summary), and
the opinions as given, each with a form tagging its themes. Server-rendered, Thai by
default (`?lang=en`), no JavaScript; the session, CSRF check, rendering and refusals are
`staff.py`'s, and the forms call the API's handlers: the lifecycle table refuses a step
the consultation is past with 409, a bad field is 422 naming it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from services.participation.adapters.consultation_store import consultation_of, counted
from services.participation.api.access import actor_of
from services.participation.context import ParticipationContext, context_of
from services.participation.domain.consultation import (
    Consultation,
    ConsultationDraft,
    QuestionKind,
)
from services.participation.domain.errors import DomainError
from services.participation.domain.lifecycle import (
    MANAGERS,
    Command,
    CommandPayload,
    allowed_commands,
)
from services.participation.domain.tally import Tally, theme_counts
from services.participation.handlers import consultations, opinions
from services.participation.web.staff import (
    _back,
    _caller,
    _lines,
    _message,
    _render,
    _sign_in,
    _submit,
    _year_asked,
)
from shared.contract.events import ConsultationStatus, OutcomeStatus
from shared.infra.auth import Principal
from shared.infra.uploads import Form
from shared.thai.fiscal import fiscal_year as fiscal_year_of
from shared.web.language import page_language

router = APIRouter(prefix="/staff", include_in_schema=False)
Ctx = Annotated[ParticipationContext, Depends(context_of)]
# The commands a page gives (editing a draft is the API's).
PAGE_COMMANDS = (Command.open, Command.close, Command.reopen, Command.conclude)
OPINIONS_PER_PAGE = 100


def questions_of_form(text: str) -> list[dict[str, Any]]:
    """The questions a form's textarea writes, one a line: `*` first if it must be
    answered; `question | a; b; c` for one choice among a, b and c (codes c1, c2, ...).
    Ids are q1, q2, ... in the order written."""
    out: list[dict[str, Any]] = []
    for n, line in enumerate(_lines(text), start=1):
        required = line.startswith("*")
        body = line.lstrip("*").strip()
        asked, bar, choices = body.partition("|")
        question: dict[str, Any] = {
            "id": f"q{n}",
            "kind": QuestionKind.text.value,
            "text_th": asked.strip(),
            "required": required,
        }
        if bar:
            labels = [c.strip() for c in choices.split(";") if c.strip()]
            question["kind"] = QuestionKind.choice.value
            question["choices"] = [
                {"code": f"c{i}", "label_th": label} for i, label in enumerate(labels, start=1)
            ]
        out.append(question)
    return out


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
    asked = request.query_params.get("status", "")
    statuses = [ConsultationStatus(asked)] if asked in set(ConsultationStatus) else []
    docs = await ctx.consultations.search(fiscal_year=year, statuses=statuses, limit=500)
    plan = await ctx.plans.get(fiscal_year_of(ctx.today()))
    return _render(
        request,
        ctx,
        "staff_consultations.html",
        status,
        caller=caller,
        year=year,
        status_asked=asked if statuses else "",
        statuses=list(ConsultationStatus),
        consultations=[consultation_of(d) for d in docs],
        items=plan.items if plan else (),
        manages=actor_of(caller).role in MANAGERS,
        today=ctx.today(),
        values=values or {},
        error=error,
        done=request.query_params.get("done"),
    )


@router.get("/consultations", response_model=None)
async def consultation_list(request: Request, ctx: Ctx) -> Response:
    caller = await _caller(request, ctx)
    if caller is None:
        return _sign_in(request, ctx)
    return await _list_page(request, ctx, caller)


@router.post("/consultations", response_model=None)
async def create(request: Request, ctx: Ctx) -> Response:
    values: dict[str, Any] = {}

    async def action(caller: Principal, form: Form) -> Response:
        values.update({k: v for k, v in form.items})
        values["groups"] = form.getlist("groups")
        draft = ConsultationDraft.model_validate(
            {
                "topic_th": form.get("topic_th"),
                "topic_en": form.get("topic_en") or None,
                "description_th": form.get("description_th"),
                "mission_item": form.get("mission_item"),
                "groups": form.getlist("groups"),
                "opens_on": form.get("opens_on") or None,
                "closes_on": form.get("closes_on") or None,
                "questions": questions_of_form(form.get("questions")),
            }
        )
        doc = await consultations.create(ctx, draft, actor_of(caller))
        return _back(f"/staff/consultations/{doc['_id']}", request)

    async def again(caller: Principal, error: str, status: int) -> Response:
        return await _list_page(request, ctx, caller, error=error, status=status, values=values)

    return await _submit(request, ctx, action, again)


# ------------------------------------------------------------------------- one


def counts_by_group(c: Consultation, tally: Tally) -> list[dict[str, Any]]:
    """A row per group asked (and any other that answered): its opinions, and how many
    of them answered each question."""
    by_question = tally.get("by_question") or {}
    groups = list(c.groups) + [g for g in (tally.get("by_group") or {}) if g not in c.groups]
    return [
        {
            "group": g,
            "opinions": int((tally.get("by_group") or {}).get(g, 0)),
            "answered": [
                int(((by_question.get(q.id) or {}).get("by_group") or {}).get(g, 0))
                for q in c.questions
            ],
        }
        for g in groups
    ]


async def _consultation_page(
    request: Request,
    ctx: ParticipationContext,
    caller: Principal,
    consultation_id: str,
    *,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    try:
        doc = await ctx.consultations.get(consultation_id)
    except DomainError:
        return _message(request, ctx, caller, 404, "not_found")
    c = consultation_of(doc)
    tally = dict(doc.get("tally") or {})
    plan = await ctx.plans.get(c.fiscal_year)
    item = plan.item(c.mission_item) if plan else None
    role = actor_of(caller).role
    return _render(
        request,
        ctx,
        "staff_consultation.html",
        status,
        caller=caller,
        c=c,
        version=doc["version"],
        item=item,
        tally=tally,
        rows=counts_by_group(c, tally),
        commands=[x.value for x in allowed_commands(c.status, role) if x in PAGE_COMMANDS],
        timeline=doc.get("timeline", []),
        outcomes=await ctx.outcomes.search(consultation_id=consultation_id),
        units=(await ctx.unit_directory.catalogue()).units,
        outcome_statuses=list(OutcomeStatus),
        manages=role in MANAGERS,
        today=ctx.today(),
        error=error,
        done=request.query_params.get("done"),
    )


@router.get("/consultations/{consultation_id}", response_model=None)
async def consultation_page(consultation_id: str, request: Request, ctx: Ctx) -> Response:
    caller = await _caller(request, ctx)
    if caller is None:
        return _sign_in(request, ctx)
    return await _consultation_page(request, ctx, caller, consultation_id)


@router.post("/consultations/{consultation_id}/{command}", response_model=None)
async def command(consultation_id: str, command: str, request: Request, ctx: Ctx) -> Response:
    async def action(caller: Principal, form: Form) -> Response:
        if command not in {c.value for c in PAGE_COMMANDS}:
            return _message(request, ctx, caller, 404, "not_found")
        payload = CommandPayload.model_validate(
            {
                "reason": form.get("reason") or None,
                "summary": form.get("summary") or None,
                "closes_on": form.get("closes_on") or None,
            }
        )
        version = form.get("version")
        await consultations.run_command(
            ctx,
            consultation_id,
            Command(command),
            actor_of(caller),
            payload,
            int(version) if version.isdigit() else None,
        )
        return _back(f"/staff/consultations/{consultation_id}", request)

    async def again(caller: Principal, error: str, status: int) -> Response:
        return await _consultation_page(
            request, ctx, caller, consultation_id, error=error, status=status
        )

    return await _submit(request, ctx, action, again)


# -------------------------------------------------------------------- opinions


def answers_shown(c: Consultation, answers: dict[str, str], lang: str) -> list[tuple[str, str]]:
    """(question, answer) in the questions' order, a choice by its label."""
    shown = []
    for q in c.questions:
        value = answers.get(q.id)
        if not value:
            continue
        if q.kind is QuestionKind.choice:
            label = next((ch for ch in q.choices if ch.code == value), None)
            if label is not None:
                value = label.label_en if lang == "en" and label.label_en else label.label_th
        text = q.text_en if lang == "en" and q.text_en else q.text_th
        shown.append((text, value))
    return shown


async def _opinions_page(
    request: Request,
    ctx: ParticipationContext,
    caller: Principal,
    consultation_id: str,
    *,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    try:
        doc = await ctx.consultations.get(consultation_id)
    except DomainError:
        return _message(request, ctx, caller, 404, "not_found")
    c = consultation_of(doc)
    group = request.query_params.get("group") or None
    group = group if group in ctx.groups.codes() else None
    asked_skip = request.query_params.get("skip", "")
    skip = int(asked_skip) if asked_skip.isdigit() else 0
    docs = await ctx.consultations.opinions_of(
        consultation_id, group=group, limit=OPINIONS_PER_PAGE + 1, skip=skip
    )
    every = await ctx.consultations.all_opinions(consultation_id)
    lang = page_language(request)
    return _render(
        request,
        ctx,
        "staff_opinions.html",
        status,
        caller=caller,
        c=c,
        group=group,
        skip=skip,
        more=len(docs) > OPINIONS_PER_PAGE,
        per_page=OPINIONS_PER_PAGE,
        opinions=[
            {"doc": d, "answers": answers_shown(c, d.get("answers") or {}, lang)}
            for d in docs[:OPINIONS_PER_PAGE]
        ],
        themes=theme_counts(counted(d) for d in every),
        manages=actor_of(caller).role in MANAGERS,
        error=error,
        done=request.query_params.get("done"),
    )


@router.get("/consultations/{consultation_id}/opinions", response_model=None)
async def opinion_list(consultation_id: str, request: Request, ctx: Ctx) -> Response:
    caller = await _caller(request, ctx)
    if caller is None:
        return _sign_in(request, ctx)
    return await _opinions_page(request, ctx, caller, consultation_id)


@router.post("/consultations/{consultation_id}/opinions/{opinion_id}/themes", response_model=None)
async def tag(consultation_id: str, opinion_id: str, request: Request, ctx: Ctx) -> Response:
    async def action(caller: Principal, form: Form) -> Response:
        themes = [t.strip() for t in form.get("themes").split(",") if t.strip()]
        await opinions.tag(ctx, consultation_id, opinion_id, themes, actor_of(caller))
        params = {k: v for k, v in request.query_params.items() if k in {"group", "skip"}}
        return _back(f"/staff/consultations/{consultation_id}/opinions", request, **params)

    async def again(caller: Principal, error: str, status: int) -> Response:
        return await _opinions_page(
            request, ctx, caller, consultation_id, error=error, status=status
        )

    return await _submit(request, ctx, action, again)


__all__ = ["questions_of_form", "router"]
