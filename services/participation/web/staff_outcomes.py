"""Staff pages for outcomes, "you said, we did" (measures 1.4 and 2.6): the year's
outcomes with the form recording one against a consultation, a committee resolution of
one of the year's meetings or a category's complaints in a round, and a page per outcome with
the forms moving its status along the table (planned, in progress, done, not adopted
with the reason) and publishing it on the public page. Server-rendered, Thai by default
(`?lang=en`), no JavaScript; the session, CSRF check, rendering and refusals are
`staff.py`'s, and the forms call the API's handlers (a move the table does not allow is
409, a field refused is 422 naming it)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from services.participation.adapters.consultation_store import consultation_of
from services.participation.adapters.meeting_store import meeting_of
from services.participation.adapters.outcome_store import outcome_of
from services.participation.api.access import actor_of
from services.participation.context import ParticipationContext, context_of
from services.participation.domain.errors import DomainError
from services.participation.domain.lifecycle import MANAGERS
from services.participation.domain.outcomes import MOVES, OutcomeChange, OutcomeDraft
from services.participation.handlers import outcomes
from services.participation.handlers.published import heard_names
from services.participation.web.heard import heard_words
from services.participation.web.staff import (
    _back,
    _caller,
    _message,
    _render,
    _sign_in,
    _submit,
)
from shared.contract.events import ConsultationStatus, Kind, OutcomeBasis, OutcomeStatus
from shared.infra.auth import Principal
from shared.infra.uploads import Form
from shared.thai.fiscal import fiscal_year as fiscal_year_of
from shared.thai.fiscal import fiscal_year_bounds
from shared.web.language import page_language

router = APIRouter(prefix="/staff", include_in_schema=False)
Ctx = Annotated[ParticipationContext, Depends(context_of)]


def _given(form: Form, *names: str) -> dict[str, str]:
    """The fields of `names` the form filled in (an empty one is left as it was)."""
    return {n: form.get(n) for n in names if form.get(n)}


def _number(value: str) -> int | str:
    """A form's number as a number, anything else as it came (the model names it)."""
    return int(value) if value.isdigit() else value


def _basis_of_form(form: Form) -> dict[str, Any]:
    """The basis the form's `basis` choice names (a consultation when it names none, as
    the consultation page's own form does), from that choice's fields only."""
    basis = form.get("basis") or OutcomeBasis.consultation.value
    if basis == OutcomeBasis.resolution.value:
        committee_id, _, rest = form.get("resolution").partition("|")
        meeting_id, _, number = rest.partition("|")
        return {
            "resolution": {
                "committee_id": committee_id,
                "meeting_id": meeting_id,
                "number": _number(number),
            }
        }
    if basis == OutcomeBasis.complaints.value:
        return {
            "complaints": {
                "category": form.get("category"),
                "fiscal_year": _number(form.get("complaints_fiscal_year")),
                "round": _number(form.get("round")),
                **({"unit": form.get("complaints_unit")} if form.get("complaints_unit") else {}),
            }
        }
    return {"consultation_id": form.get("consultation_id")}


def draft_of_form(form: Form) -> OutcomeDraft:
    return OutcomeDraft.model_validate(
        {
            **_basis_of_form(form),
            "you_said_th": form.get("you_said_th"),
            "we_did_th": form.get("we_did_th"),
            "owner_unit": form.get("owner_unit"),
            "published": form.get("published") == "yes",
            **_given(
                form,
                "you_said_en",
                "we_did_en",
                "status",
                "reason",
                "due_on",
                "done_on",
                "mission_item",
            ),
        }
    )


def change_of_form(form: Form) -> OutcomeChange:
    """What the form changes: the fields it filled in, and publication when it says yes
    or no (the status form leaves it as it is)."""
    fields: dict[str, Any] = _given(
        form, "status", "reason", "we_did_th", "we_did_en", "due_on", "done_on"
    )
    if form.get("published") in {"yes", "no"}:
        fields["published"] = form.get("published") == "yes"
    return OutcomeChange.model_validate(fields)


# ------------------------------------------------------------------------ list


async def _list_page(
    request: Request,
    ctx: ParticipationContext,
    caller: Principal,
    *,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    asked = request.query_params.get("fiscal_year", "")
    year = int(asked) if asked.isdigit() and 2400 <= int(asked) <= 2800 else None
    year = year or fiscal_year_of(ctx.today())
    docs = await ctx.outcomes.search(fiscal_year=year)
    found = await ctx.consultations.search(fiscal_year=year, limit=500)
    asked_for = [consultation_of(d) for d in found]
    first, last = fiscal_year_bounds(year)
    meetings = [
        meeting_of(d)
        for d in await ctx.meetings.held_between(
            first.date().isoformat(), (last.date() - timedelta(days=1)).isoformat()
        )
    ]
    committees = await ctx.committees.names({m.committee_id for m in meetings})
    plan = await ctx.plans.get(year)
    listed = await heard_names(ctx, [outcome_of(d) for d in docs])
    units = (await ctx.unit_directory.catalogue()).units
    lang = page_language(request)
    return _render(
        request,
        ctx,
        "staff_outcomes.html",
        status,
        caller=caller,
        year=year,
        outcomes=listed,
        heard=lambda p: heard_words(p, lang),
        # An outcome answers a consultation that has opened (a draft asked nobody).
        recordable=[c for c in asked_for if c.status is not ConsultationStatus.draft],
        resolutions=[
            (m, committees.get(m.committee_id, (m.committee_id, None)), n, r)
            for m in meetings
            for n, r in enumerate(m.resolutions, start=1)
        ],
        categories=[c for c in ctx.catalogue.categories if Kind.complaint in c.kinds],
        items=list(plan.items) if plan else [],
        chosen=request.query_params.get("consultation_id", ""),
        units=units,
        unit_names={u.code: (u.name_th, u.name_en) for u in units},
        outcome_statuses=list(OutcomeStatus),
        manages=actor_of(caller).role in MANAGERS,
        error=error,
        done=request.query_params.get("done"),
    )


@router.get("/outcomes", response_model=None)
async def outcome_list(request: Request, ctx: Ctx) -> Response:
    caller = await _caller(request, ctx)
    if caller is None:
        return _sign_in(request, ctx)
    return await _list_page(request, ctx, caller)


@router.post("/outcomes", response_model=None)
async def record(request: Request, ctx: Ctx) -> Response:
    async def action(caller: Principal, form: Form) -> Response:
        doc = await outcomes.record(ctx, draft_of_form(form), actor_of(caller))
        return _back(f"/staff/outcomes/{doc['_id']}", request)

    async def again(caller: Principal, error: str, status: int) -> Response:
        return await _list_page(request, ctx, caller, error=error, status=status)

    return await _submit(request, ctx, action, again)


# ------------------------------------------------------------------------- one


async def _outcome_page(
    request: Request,
    ctx: ParticipationContext,
    caller: Principal,
    outcome_id: str,
    *,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    try:
        doc = await ctx.outcomes.get(outcome_id)
    except DomainError:
        return _message(request, ctx, caller, 404, "not_found")
    o = outcome_of(doc)
    (named,) = await heard_names(ctx, [o])
    units = (await ctx.unit_directory.catalogue()).units
    return _render(
        request,
        ctx,
        "staff_outcome.html",
        status,
        caller=caller,
        o=o,
        p=named,
        heard=heard_words(named, page_language(request)),
        announced_at=doc.get("announced_at"),
        version=doc["version"],
        history=doc.get("history", []),
        unit=next((u for u in units if u.code == o.owner_unit), None),
        moves=[o.status, *sorted(MOVES[o.status])],
        manages=actor_of(caller).role in MANAGERS,
        error=error,
        done=request.query_params.get("done"),
    )


@router.get("/outcomes/{outcome_id}", response_model=None)
async def outcome_page(outcome_id: str, request: Request, ctx: Ctx) -> Response:
    caller = await _caller(request, ctx)
    if caller is None:
        return _sign_in(request, ctx)
    return await _outcome_page(request, ctx, caller, outcome_id)


@router.post("/outcomes/{outcome_id}", response_model=None)
async def change(outcome_id: str, request: Request, ctx: Ctx) -> Response:
    async def action(caller: Principal, form: Form) -> Response:
        version = form.get("version")
        await outcomes.change(
            ctx,
            outcome_id,
            change_of_form(form),
            actor_of(caller),
            int(version) if version.isdigit() else None,
        )
        return _back(f"/staff/outcomes/{outcome_id}", request)

    async def again(caller: Principal, error: str, status: int) -> Response:
        return await _outcome_page(request, ctx, caller, outcome_id, error=error, status=status)

    return await _submit(request, ctx, action, again)


__all__ = ["router"]
