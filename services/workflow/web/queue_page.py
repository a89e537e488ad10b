"""The console's queue (`GET /console`): tabs (mine, my unit, due soon, overdue,
escalated, unassigned), a search box (tracking code, contact, words), filters, orders
and pages, all in the address (`queue_form`), so it works without JavaScript and a
filtered page can be bookmarked. Staff and supervisors see their unit's cases and those
assigned to them; an admin picks a unit or sees every unit; committee members and
participation coordinators are refused (403).

The last queue a browser looked at is kept in a cookie, for `/console/last` (the case
page's "back to the list") to return to, filters and page included."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from services.workflow.api.cases import summary
from services.workflow.context import WorkflowContext, context_of
from services.workflow.domain.errors import DomainError
from services.workflow.handlers.queues import (
    Queue,
    QueueAsk,
    QueuePage,
    queue_page,
    scope_of,
)
from services.workflow.web.pages import caller_of, language, page, to_login
from services.workflow.web.queue_form import (
    PARAMS,
    BadQueue,
    Problem,
    default_sort,
    default_view,
    queue_query,
    read_queue,
)
from services.workflow.web.texts import Texts
from shared.contract.events import CaseStatus, Channel, Kind, Priority
from shared.contract.vocabulary import (
    ACTIVE_STATUSES,
    CHANNEL_LABELS,
    KIND_LABELS,
    PRIORITY_LABELS,
    STATUS_LABELS,
    in_language,
)
from shared.infra.auth import Principal, StaffRole
from shared.infra.mongo import Document
from shared.infra.production import secure_cookies
from shared.thai.dates import buddhist_year

router = APIRouter(prefix="/console", include_in_schema=False)
#: The browser's last queue (its query string), for /console/last to return to.
LAST_QUEUE = "siang_queue"
# The cookie holds a query string, never more than this.
_LAST_QUEUE_MAX = 2000


@router.get("", response_model=None)
async def queue(request: Request, ctx: Annotated[WorkflowContext, Depends(context_of)]) -> Response:
    caller = await caller_of(request, ctx)
    if caller is None:
        return to_login()
    try:
        scope_of(caller)  # those who read reports only are told so before anything else
    except DomainError as exc:
        return page(request, ctx, "message.html", 403, message=exc.message, caller=caller)
    asked = {name: request.query_params.getlist(name) for name in PARAMS}
    admin = caller.role is StaffRole.admin
    try:
        ask = read_queue(asked, admin=admin, catalogue=ctx.catalogue, secret=ctx.contact_key)
    except BadQueue as bad:
        response = _page(request, ctx, caller, None, 422, problems=bad.problems, asked=asked)
        response.delete_cookie(LAST_QUEUE, path="/console")
        return response
    canonical = queue_query(ask)
    given = [(k, v) for k, v in request.query_params.multi_items() if k in PARAMS]
    if given and given != canonical:
        # A form sends every field, blank or not, and dates as typed: the one address of
        # this queue instead, so what is bookmarked or shared reads the same.
        lang = request.query_params.get("lang")
        pairs = canonical + ([("lang", lang)] if lang else [])
        return RedirectResponse(f"/console?{urlencode(pairs)}", status_code=303)
    try:
        found = await queue_page(ctx, caller, ask)
    except DomainError as exc:
        return page(request, ctx, "message.html", 403, message=exc.message, caller=caller)
    names = {a.id: a.name for a in await ctx.directory.accounts()}
    now = ctx.clock.now()
    response = _page(
        request,
        ctx,
        caller,
        ask,
        rows=[_row(doc, now, names) for doc in found.rows],
        found=found,
        asked=asked,
    )
    kept = urlencode(canonical)
    if len(kept) <= _LAST_QUEUE_MAX:
        response.set_cookie(
            LAST_QUEUE,
            kept,
            path="/console",
            httponly=True,
            samesite="strict",
            secure=secure_cookies(),
        )
    return response


@router.get("/last", response_model=None)
async def last_queue(
    request: Request, ctx: Annotated[WorkflowContext, Depends(context_of)]
) -> Response:
    """The queue this browser last looked at, filters and page included (the case page's
    "back to the list"); the default queue if none."""
    if await caller_of(request, ctx) is None:
        return to_login()
    # Read and written again: whatever the cookie holds, the address stays a query of ours.
    saved = urlencode(parse_qsl(request.cookies.get(LAST_QUEUE, "")))
    return RedirectResponse(f"/console?{saved}" if saved else "/console", status_code=303)


def _row(doc: Document, now: datetime, names: dict[str, str]) -> dict[str, Any]:
    row = summary(doc, now)
    # As the escalated tab reads it: a deadline passed and the supervisor was told.
    row["escalated"] = doc.get("status") in ACTIVE_STATUSES and any(
        100 in clock.get("emitted", ()) for clock in doc.get("clocks", {}).values()
    )
    assignee = row.get("assignee")
    row["assignee_name"] = names.get(assignee, assignee) if assignee else None
    return row


def _page(
    request: Request,
    ctx: WorkflowContext,
    caller: Principal,
    ask: QueueAsk | None,
    status: int = 200,
    *,
    asked: dict[str, list[str]],
    rows: list[dict[str, Any]] | None = None,
    found: QueuePage | None = None,
    problems: tuple[Problem, ...] = (),
) -> Response:
    lang = language(request)
    admin = caller.role is StaffRole.admin
    shown = ask or QueueAsk(queue=_view_asked(asked, admin))
    base = queue_query(shown, page=False)

    def link(**changes: str | None) -> str:
        """This queue with some parameters changed (None: left out), back on page one."""
        pairs = [(k, v) for k, v in base if k not in changes]
        pairs += [(k, v) for k, v in changes.items() if v]
        order = {name: i for i, name in enumerate(PARAMS)}
        pairs.sort(key=lambda kv: order.get(kv[0], len(order)))
        return "/console?" + urlencode(pairs)

    tabs = [(q.value, link(view=q.value, after=None, before=None, sort=None)) for q in Queue]
    return page(
        request,
        ctx,
        "queue.html",
        status,
        caller=caller,
        admin=admin,
        view=shown.queue.value,
        rows=rows or [],
        found=found,
        problems=problems,
        wrong={p.field for p in problems},
        filtered=_chosen(asked, shown),
        tabs=tabs,
        form=_form_values(asked, shown, lang),
        options=_options(ctx, admin),
        labels=_labels(ctx, lang),
        next_url=link(after=found.next.token()) if found and found.next else None,
        previous_url=link(before=found.previous.token()) if found and found.previous else None,
        first_url=link() if found and found.previous else None,
        clear_url=f"/console?view={shown.queue.value}",
    )


def _chosen(asked: dict[str, list[str]], ask: QueueAsk) -> int:
    """How many filters differ from the tab's defaults (the filters stay open if any)."""
    named = ("unit", "status", "kind", "category", "channel", "priority", "from", "to")
    chosen = sum(any(v.strip() and v != "open" for v in asked.get(name, ())) for name in named)
    return chosen + (ask.sort is not default_sort(ask.queue))


def _view_asked(asked: dict[str, list[str]], admin: bool) -> Queue:
    views = [v for v in asked.get("view", ()) if v in Queue.__members__]
    return Queue(views[0]) if views else default_view(admin)


def _form_values(asked: dict[str, list[str]], ask: QueueAsk, lang: str) -> dict[str, Any]:
    """What the filter form shows: the values as read (dates in the page's language),
    or, when something could not be read, as typed."""
    typed = {k: (v[0] if v else "") for k, v in asked.items()}
    values: dict[str, Any] = {
        "q": typed.get("q", ""),
        "unit": typed.get("unit", ""),
        "status": typed.get("status", "") or "open",
        "kind": typed.get("kind", ""),
        "category": typed.get("category", ""),
        "channel": typed.get("channel", ""),
        "priority": typed.get("priority", ""),
        "from": typed.get("from", ""),
        "to": typed.get("to", ""),
        "sort": ask.sort.value,
    }
    if ask.received_from:
        values["from"] = _typed_day(ask.received_from, lang)
    if ask.received_to:
        values["to"] = _typed_day(ask.received_to, lang)
    return values


def _typed_day(day: date, lang: str) -> str:
    """A day as a person of that language types it: 5/11/2569 (B.E.) or 2026-11-05."""
    if lang == "en":
        return day.isoformat()
    return f"{day.day}/{day.month}/{buddhist_year(day.year)}"


def _labels(ctx: WorkflowContext, lang: str) -> dict[str, dict[str, str]]:
    """Every choice of the form and every code of a row in words: the shared vocabulary's
    and the office's catalogue's."""
    t = Texts(lang)
    names = "name_en" if lang == "en" else "name_th"
    return {
        "status": {
            "open": t["q.open"],
            "all": t["q.all_statuses"],
            **in_language(STATUS_LABELS, lang),
        },
        "kind": in_language(KIND_LABELS, lang),
        "channel": in_language(CHANNEL_LABELS, lang),
        "priority": in_language(PRIORITY_LABELS, lang),
        "category": {c.code: getattr(c, names) for c in ctx.catalogue.categories},
        "unit": {u.code: getattr(u, names) for u in ctx.catalogue.units},
        "sort": {s: t[f"q.sort.{s}"] for s in ("newest", "oldest", "due", "priority")},
    }


def _options(ctx: WorkflowContext, admin: bool) -> dict[str, list[str]]:
    return {
        "status": ["open", "all", *(s.value for s in CaseStatus)],
        "kind": [k.value for k in Kind],
        "category": [c.code for c in ctx.catalogue.categories],
        "channel": [c.value for c in Channel],
        "priority": [p.value for p in Priority],
        "unit": [u.code for u in ctx.catalogue.units] if admin else [],
        "sort": ["newest", "oldest", "due", "priority"],
    }
