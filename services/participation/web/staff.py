"""Staff pages for committees (their members, appointment orders and meetings) and for
reviews of performance: lists, a page per record, and the forms to attach an order,
record a meeting, close it, plan, hold and report a review. Server-rendered, Thai by
default (`?lang=en`), no JavaScript; they call the same handlers as the API.

The session is the staff console's (`siang_token` cookie, signed by workflow); nobody
signed in is sent to the console's sign-in and back. Every
form carries a CSRF token (`shared.infra.csrf`) bound to this browser and that session;
a post without it is refused with 403 before anything else is done. Admins and
coordinators see the forms; other staff read; a committee member reads their own
committee only."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import ValidationError
from pymongo.errors import PyMongoError

from services.participation.adapters.committee_store import members_of
from services.participation.adapters.consultation_store import StaleVersion
from services.participation.adapters.meeting_store import meeting_of
from services.participation.adapters.review_store import review_of
from services.participation.api.access import COOKIE, actor_of
from services.participation.api.errors import REFUSALS
from services.participation.api.papers import order_of_form
from services.participation.context import ParticipationContext, context_of
from services.participation.domain.committees import MemberRole
from services.participation.domain.errors import DomainError, MissingField, TooLarge
from services.participation.domain.lifecycle import MANAGERS
from services.participation.domain.meetings import Attendance, MeetingDraft, ResolutionDraft
from services.participation.domain.reviews import Held, Report, ReviewDraft, allowed_commands
from services.participation.handlers import committees, meetings, papers, reviews
from services.participation.web.staff_texts import StaffTexts, Words
from shared.contract.events import ReviewKind
from shared.infra import csrf
from shared.infra.auth import InvalidCredentials, Principal
from shared.infra.personal_data import Reader
from shared.infra.sessions import SAFE_METHODS
from shared.infra.sign_in import sign_in_link, to_sign_in
from shared.infra.uploads import BodyTooLarge, Form, NotAForm, read_form
from shared.thai.dates import format_date
from shared.thai.fiscal import fiscal_year as fiscal_year_of
from shared.thai.fiscal import fiscal_year_label
from shared.thai.numbers import format_count
from shared.web import assets
from shared.web.language import page_language

router = APIRouter(prefix="/staff", include_in_schema=False)
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
# The plain forms (not the order's upload) are a few kilobytes of text.
FORM_LIMIT = 256 * 1024


def _day(value: date | str | None, lang: str) -> str:
    """A date as the page's language writes it (B.E. in Thai); stored ones are ISO text."""
    if not value:
        return ""
    return format_date(
        date.fromisoformat(value) if isinstance(value, str) else value, lang, "short"
    )


def _render(
    request: Request,
    ctx: ParticipationContext,
    template: str,
    status: int = 200,
    *,
    words: Callable[[str], Words] = StaffTexts,
    **values: Any,
) -> HTMLResponse:
    """`template` in the page's language (`words`: its texts, the staff pages' own unless
    a page has more), with this browser's CSRF token for its forms."""
    lang = page_language(request)
    query = {**dict(request.query_params), "lang": "th" if lang == "en" else "en"}
    nonce = request.cookies.get(csrf.COOKIE) or csrf.new_nonce()
    t = words(lang)
    html = _ENV.get_template(template).render(
        lang=lang,
        t=t,
        here=request.url.path,
        switch_url=f"{request.url.path}?{urlencode(query)}",
        day=lambda v: _day(v, lang),
        csrf_field=csrf.FIELD,
        csrf_token=csrf.form_token(
            ctx.settings.auth.secret, nonce, request.cookies.get(COOKIE, "")
        ),
        group_names={g.code: t.pick(g.name_th, g.name_en) for g in ctx.groups.groups},
        **values,
    )
    response = HTMLResponse(
        html, status_code=status, headers={"Cache-Control": "no-store", "Content-Language": lang}
    )
    if nonce != request.cookies.get(csrf.COOKIE):
        response.set_cookie(csrf.COOKIE, nonce, httponly=True, samesite="strict", path="/staff")
    return response


async def _caller(request: Request, ctx: ParticipationContext) -> Principal | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        return await ctx.sessions.verify(token)
    except InvalidCredentials:
        return None


def _sign_in(request: Request, ctx: ParticipationContext) -> Response:
    """Nobody signed in: a page is sent to the console's sign-in and back (the one
    sign-in of every service's pages, `shared.infra.sign_in`); a form posted meanwhile
    (the session ended) gets a page linking there."""
    if request.method in SAFE_METHODS:
        return to_sign_in(ctx.settings.auth, request)
    return _render(
        request,
        ctx,
        "staff_message.html",
        401,
        message="sign_in_first",
        caller=None,
        # Back to the section's list (`/staff/outcomes`...): the post's own address
        # may be a form's only.
        sign_in_url=sign_in_link(
            ctx.settings.auth, request, request.url.replace(path=_section(request), query="")
        ),
    )


def _section(request: Request) -> str:
    return "/".join(request.url.path.split("/")[:3])


def _message(
    request: Request, ctx: ParticipationContext, caller: Principal, status: int, message: str
) -> HTMLResponse:
    return _render(request, ctx, "staff_message.html", status, message=message, caller=caller)


async def _posted(
    request: Request, ctx: ParticipationContext, file_limit: int = FORM_LIMIT
) -> Form | None:
    """The posted form, or None if it lacks this browser's and session's CSRF token.
    `TooLarge` past the limit."""
    try:
        form = await read_form(request, file_limit)
    except BodyTooLarge:
        raise TooLarge("file", file_limit) from None
    except NotAForm:
        return None
    nonce = request.cookies.get(csrf.COOKIE)
    session = request.cookies.get(COOKIE, "")
    if not csrf.accepts(ctx.settings.auth.secret, nonce, session, form.get(csrf.FIELD)):
        return None
    return form


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _back(url: str, request: Request, **params: object) -> RedirectResponse:
    """After a form: to `url` in the caller's language, saying it was done."""
    query = urlencode({**params, "lang": page_language(request), "done": 1})
    return RedirectResponse(f"{url}?{query}", 303)


def _year_asked(request: Request, ctx: ParticipationContext) -> int:
    """The fiscal year (B.E.) in `?fiscal_year=`, or the current one."""
    asked = request.query_params.get("fiscal_year", "")
    year = int(asked) if asked.isdigit() and 2400 <= int(asked) <= 2800 else None
    return year or fiscal_year_of(ctx.today())


async def _submit(
    request: Request,
    ctx: ParticipationContext,
    action: Callable[[Principal, Form], Awaitable[Response]],
    again: Callable[[Principal, str, int], Awaitable[Response]],
    *,
    file_limit: int = FORM_LIMIT,
) -> Response:
    """A form post: signed in, CSRF checked, then `action`; a refusal shows the page
    again (`again`) with the reason and its status."""
    caller = await _caller(request, ctx)
    if caller is None:
        return _sign_in(request, ctx)
    try:
        form = await _posted(request, ctx, file_limit)
        if form is None:
            return _message(request, ctx, caller, 403, "csrf")
        return await action(caller, form)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        return await again(caller, f"{field}: {first['msg']}", 422)
    except DomainError as exc:
        status = REFUSALS.of(exc).status
        if status == 404:
            return _message(request, ctx, caller, 404, "not_found")
        return await again(caller, exc.message, status)
    except StaleVersion as exc:
        return await again(caller, f"{exc} changed meanwhile; reload it", 409)
    except PyMongoError:
        return _message(request, ctx, caller, 503, "busy")


# ------------------------------------------------------------------ committees


async def committee_list_page(
    request: Request,
    ctx: ParticipationContext,
    caller: Principal,
    *,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The committees the caller reads; for admins and coordinators, the form appointing
    one (posted to `staff_plan.py`, which shows this page again with its refusal)."""
    docs = await committees.readable_all(ctx, caller)
    rows = [{"doc": d, "active": sum(1 for m in members_of(d) if m.active)} for d in docs]
    plan = await ctx.plans.get(fiscal_year_of(ctx.today()))
    return _render(
        request,
        ctx,
        "staff_committees.html",
        status,
        caller=caller,
        rows=rows,
        manages=actor_of(caller).role in MANAGERS,
        items=plan.items if plan else (),
        today=ctx.today(),
        error=error,
    )


@router.get("/committees", response_model=None)
async def committee_list(request: Request, ctx: Ctx) -> Response:
    caller = await _caller(request, ctx)
    if caller is None:
        return _sign_in(request, ctx)
    return await committee_list_page(request, ctx, caller)


async def _committee_page(
    request: Request,
    ctx: ParticipationContext,
    caller: Principal,
    committee_id: str,
    *,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    try:
        doc = await committees.readable(ctx, committee_id, caller)
    except DomainError:
        return _message(request, ctx, caller, 404, "not_found")
    members = members_of(doc)
    names = await ctx.committees.people.read_for(
        Reader(staff_id=caller.id, purpose="committee page"),
        [m.person_id for m in members],
        about=committee_id,
    )
    plan = await ctx.plans.get(fiscal_year_of(ctx.today()))
    return _render(
        request,
        ctx,
        "staff_committee.html",
        status,
        caller=caller,
        c=doc,
        members=members,
        names={k: v.name for k, v in names.items()},
        meetings=[meeting_of(m) for m in await ctx.meetings.of_committee(committee_id)],
        manages=actor_of(caller).role in MANAGERS,
        items=plan.items if plan else (),
        roles=list(MemberRole),
        today=ctx.today(),
        error=error,
        done=request.query_params.get("done"),
    )


@router.get("/committees/{committee_id}", response_model=None)
async def committee_page(committee_id: str, request: Request, ctx: Ctx) -> Response:
    caller = await _caller(request, ctx)
    if caller is None:
        return _sign_in(request, ctx)
    return await _committee_page(request, ctx, caller, committee_id)


@router.post("/committees/{committee_id}/orders", response_model=None)
async def attach_order(committee_id: str, request: Request, ctx: Ctx) -> Response:
    async def action(caller: Principal, form: Form) -> Response:
        if "file" not in form.files:
            raise MissingField("attach an appointment order", "file")
        order = order_of_form(form)
        await papers.attach_order(ctx, committee_id, order, form.files["file"], actor_of(caller))
        return _back(f"/staff/committees/{committee_id}", request)

    async def again(caller: Principal, error: str, status: int) -> Response:
        return await _committee_page(request, ctx, caller, committee_id, error=error, status=status)

    return await _submit(request, ctx, action, again, file_limit=ctx.settings.max_document_bytes)


def meeting_of_form(form: Form) -> MeetingDraft:
    """The meeting a form records: attendance from `att.<member id>` radios, resolutions
    one a line (`S2 | text` ties one to an item)."""
    attendance = {
        name.removeprefix("att."): Attendance(value)
        for name, value in form.items
        if name.startswith("att.") and value in {a.value for a in Attendance}
    }
    resolutions = []
    for line in _lines(form.get("resolutions")):
        item, bar, text = line.partition("|")
        resolutions.append(
            ResolutionDraft(text=text.strip(), mission_item=item.strip() or None)
            if bar
            else ResolutionDraft(text=line)
        )
    return MeetingDraft.model_validate(
        {
            "held_on": form.get("held_on") or None,
            "title_th": form.get("title_th") or None,
            "agenda": _lines(form.get("agenda")),
            "attendance": attendance,
            "minutes": form.get("minutes"),
            "resolutions": resolutions,
        }
    )


@router.post("/committees/{committee_id}/meetings", response_model=None)
async def record_meeting(committee_id: str, request: Request, ctx: Ctx) -> Response:
    async def action(caller: Principal, form: Form) -> Response:
        doc = await meetings.record(ctx, committee_id, meeting_of_form(form), actor_of(caller))
        return _back(f"/staff/committees/{committee_id}/meetings/{doc['_id']}", request)

    async def again(caller: Principal, error: str, status: int) -> Response:
        return await _committee_page(request, ctx, caller, committee_id, error=error, status=status)

    return await _submit(request, ctx, action, again)


async def _meeting_page(
    request: Request,
    ctx: ParticipationContext,
    caller: Principal,
    committee_id: str,
    meeting_id: str,
    *,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    try:
        doc = await committees.readable(ctx, committee_id, caller)
        meeting = meeting_of(await ctx.meetings.get(committee_id, meeting_id))
    except DomainError:
        return _message(request, ctx, caller, 404, "not_found")
    members = members_of(doc)
    names = await ctx.committees.people.read_for(
        Reader(staff_id=caller.id, purpose="meeting page"),
        [m.person_id for m in members if m.member_id in meeting.attendance],
        about=meeting_id,
    )
    return _render(
        request,
        ctx,
        "staff_meeting.html",
        status,
        caller=caller,
        c=doc,
        m=meeting,
        members={x.member_id: x for x in members},
        names={k: v.name for k, v in names.items()},
        manages=actor_of(caller).role in MANAGERS,
        error=error,
        done=request.query_params.get("done"),
    )


@router.get("/committees/{committee_id}/meetings/{meeting_id}", response_model=None)
async def meeting_page(committee_id: str, meeting_id: str, request: Request, ctx: Ctx) -> Response:
    caller = await _caller(request, ctx)
    if caller is None:
        return _sign_in(request, ctx)
    return await _meeting_page(request, ctx, caller, committee_id, meeting_id)


@router.post("/committees/{committee_id}/meetings/{meeting_id}/close", response_model=None)
async def close_meeting(committee_id: str, meeting_id: str, request: Request, ctx: Ctx) -> Response:
    async def action(caller: Principal, form: Form) -> Response:
        await meetings.close(ctx, committee_id, meeting_id, actor_of(caller))
        return _back(f"/staff/committees/{committee_id}/meetings/{meeting_id}", request)

    async def again(caller: Principal, error: str, status: int) -> Response:
        return await _meeting_page(
            request, ctx, caller, committee_id, meeting_id, error=error, status=status
        )

    return await _submit(request, ctx, action, again)


# --------------------------------------------------------------------- reviews


async def _reviews_page(
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
    plan = await ctx.plans.get(year)
    return _render(
        request,
        ctx,
        "staff_reviews.html",
        status,
        caller=caller,
        year=year,
        reviews=[review_of(d) for d in await ctx.reviews.search(fiscal_year=year)],
        items=plan.items if plan else (),
        kinds=list(ReviewKind),
        manages=actor_of(caller).role in MANAGERS,
        today=ctx.today(),
        error=error,
    )


@router.get("/reviews", response_model=None)
async def review_list(request: Request, ctx: Ctx) -> Response:
    caller = await _caller(request, ctx)
    if caller is None:
        return _sign_in(request, ctx)
    return await _reviews_page(request, ctx, caller)


@router.post("/reviews", response_model=None)
async def plan_review(request: Request, ctx: Ctx) -> Response:
    async def action(caller: Principal, form: Form) -> Response:
        draft = ReviewDraft.model_validate(
            {
                "title_th": form.get("title_th"),
                "mission_item": form.get("mission_item"),
                "kind": form.get("kind"),
                "planned_on": form.get("planned_on") or None,
                "description_th": form.get("description_th"),
            }
        )
        doc = await reviews.plan(ctx, draft, actor_of(caller))
        return _back(f"/staff/reviews/{doc['_id']}", request)

    async def again(caller: Principal, error: str, status: int) -> Response:
        return await _reviews_page(request, ctx, caller, error=error, status=status)

    return await _submit(request, ctx, action, again)


async def _review_page(
    request: Request,
    ctx: ParticipationContext,
    caller: Principal,
    review_id: str,
    *,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    try:
        review = review_of(await ctx.reviews.get(review_id))
    except DomainError:
        return _message(request, ctx, caller, 404, "not_found")
    outcomes = await ctx.outcomes.search(fiscal_year=review.fiscal_year)
    return _render(
        request,
        ctx,
        "staff_review.html",
        status,
        caller=caller,
        r=review,
        commands=[c.value for c in allowed_commands(review.status, actor_of(caller))],
        outcomes=[o for o in outcomes if o["mission_item"] == review.mission_item],
        today=ctx.today(),
        error=error,
        done=request.query_params.get("done"),
    )


@router.get("/reviews/{review_id}", response_model=None)
async def review_page(review_id: str, request: Request, ctx: Ctx) -> Response:
    caller = await _caller(request, ctx)
    if caller is None:
        return _sign_in(request, ctx)
    return await _review_page(request, ctx, caller, review_id)


def _held(form: Form) -> Held:
    counts = {}
    for name, value in form.items:
        if name.startswith("group.") and value.strip():
            counts[name.removeprefix("group.")] = value.strip()
    return Held.model_validate(
        {"held_on": form.get("held_on") or None, "participants_by_group": counts}
    )


@router.post("/reviews/{review_id}/{command}", response_model=None)
async def review_command(review_id: str, command: str, request: Request, ctx: Ctx) -> Response:
    async def action(caller: Principal, form: Form) -> Response:
        body: Held | Report
        if command == "hold":
            body = _held(form)
        elif command == "report":
            body = Report.model_validate(
                {
                    "findings": _lines(form.get("findings")),
                    "outcome_ids": form.getlist("outcome_ids"),
                }
            )
        else:
            return _message(request, ctx, caller, 404, "not_found")
        await reviews.run_command(ctx, review_id, body, actor_of(caller))
        return _back(f"/staff/reviews/{review_id}", request)

    async def again(caller: Principal, error: str, status: int) -> Response:
        return await _review_page(request, ctx, caller, review_id, error=error, status=status)

    return await _submit(request, ctx, action, again)


__all__ = ["router"]
