"""The staff's lists of cases: which cases a member of staff may see, a page of them
(the API), and the console's queues (its tabs, search, filters, orders and pages)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from services.workflow.adapters.case_queries import (
    CaseFilter,
    Position,
    Sort,
    Window,
    case_query,
)
from services.workflow.adapters.case_store import CaseNotFound
from services.workflow.context import WorkflowContext
from services.workflow.domain.case_search import Looking, Search
from services.workflow.domain.errors import Forbidden
from shared.contract.vocabulary import ACTIVE_STATUSES, OPEN_STATUSES
from shared.infra.auth import Principal, StaffRole
from shared.infra.mongo import Document
from shared.thai.calendar import ThaiCalendar
from shared.thai.dates import BANGKOK

# Roles that read reports and never a complaint case (nor its existence).
REPORTS_ONLY = frozenset({StaffRole.committee, StaffRole.participation})


def scope_of(caller: Principal) -> CaseFilter:
    """The cases a caller may see: their unit's (all, for admins), never one naming them."""
    if caller.role in REPORTS_ONLY:
        raise Forbidden(
            caller.role,
            "read cases",
            "committee members and participation coordinators read reports only",
        )
    return CaseFilter(
        hidden_from=caller.id, one_unit=caller.role is not StaffRole.admin, unit=caller.unit
    )


def check_scope(caller: Principal, doc: Document) -> None:
    scope = scope_of(caller)
    if caller.id in doc.get("excluded_assignees", []) or (
        scope.one_unit and doc["unit"] != caller.unit and doc.get("assignee") != caller.id
    ):
        # Not "forbidden": whether such a case exists is not theirs to know.
        raise CaseNotFound(doc["_id"])


async def list_cases(
    ctx: WorkflowContext, caller: Principal, wanted: CaseFilter, *, limit: int
) -> list[Document]:
    """Up to `limit` cases of those `wanted` that the caller may see, newest first."""
    scope = scope_of(caller)
    seen = replace(wanted, hidden_from=scope.hidden_from)
    if not wanted.one_unit or caller.role is not StaffRole.admin:
        # Only an admin picks the unit; everyone else sees their own.
        seen = replace(seen, one_unit=scope.one_unit, unit=scope.unit)
    return await ctx.store.page(case_query(seen), limit=limit)


# ------------------------------------------------------------ the console's queues


class Queue(StrEnum):
    """The console's tabs."""

    mine = "mine"  # assigned to me
    unit = "unit"  # my unit's (an admin's: the unit picked, or every unit)
    due_soon = "due_soon"  # resolution deadline within a few business days
    overdue = "overdue"  # resolution deadline passed, clock still running
    escalated = "escalated"  # a deadline passed and the scanner told the supervisor
    unassigned = "unassigned"  # nobody is assigned


#: The tabs about deadlines hold only cases with work still to do.
_ACTIVE_ONLY = frozenset({Queue.due_soon, Queue.overdue, Queue.escalated})
#: Cases counted exactly up to this many; past it, the page says "more than". A long list
#: may be counted less far (`QueueAnswer.counted_to`: each case counted is read).
COUNT_UP_TO = 1000
PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueAsk:
    """A queue as the console asks for it: the tab, the unit (admins), the search, the
    filters (empty: any; `statuses` None: the open ones), the order and the page."""

    queue: Queue = Queue.mine
    unit: str | None = None
    search: Search | None = None
    statuses: tuple[str, ...] | None = None
    kinds: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    # Received on these Bangkok days, both included.
    received_from: date | None = None
    received_to: date | None = None
    sort: Sort = Sort.newest
    position: Position | None = None


@dataclass(frozen=True)
class QueuePage:
    rows: list[Document]
    # How many cases the queue holds (more than that many, when `more_than`).
    total: int
    more_than: bool
    # Where the next and the previous page start, if there are such pages.
    next: Position | None
    previous: Position | None
    # A tracking code or a contact searches every case the caller may see.
    searched_everywhere: bool = False


def queue_filter(
    caller: Principal, ask: QueueAsk, now: datetime, calendar: ThaiCalendar, due_soon_days: int
) -> CaseFilter | None:
    """The cases of `ask` the caller may see; None when the filters leave none (a status
    the tab cannot hold). Raises Forbidden for those who read reports only."""
    scope = scope_of(caller)
    if ask.search is not None and ask.search.looking is not Looking.words:
        # A code or a phone number names the case wherever it sits: any tab, any status.
        return CaseFilter(
            hidden_from=scope.hidden_from,
            one_unit=scope.one_unit,
            unit=scope.unit,
            tracking_code=ask.search.value if ask.search.looking is Looking.tracking_code else None,
            contact_keys=ask.search.keys,
        )
    statuses = tuple(ask.statuses if ask.statuses is not None else OPEN_STATUSES)
    if ask.queue in _ACTIVE_ONLY:
        statuses = tuple(s for s in (statuses or ACTIVE_STATUSES) if s in ACTIVE_STATUSES)
        if not statuses:
            return None
    if ask.queue is Queue.mine:
        # Theirs wherever it is: a case assigned to someone is theirs to see (check_scope).
        where = CaseFilter(assignee=caller.id)
    elif caller.role is StaffRole.admin:
        where = CaseFilter(one_unit=ask.unit is not None, unit=ask.unit)
    else:
        where = CaseFilter(one_unit=scope.one_unit, unit=scope.unit)
    due: Window | None = None
    if ask.queue is Queue.due_soon:
        last = calendar.add_business_days(now, due_soon_days)
        due = Window(start=now, end=last + timedelta(seconds=1))
    elif ask.queue is Queue.overdue:
        due = Window(end=now)
    return replace(
        where,
        hidden_from=scope.hidden_from,
        statuses=statuses,
        kinds=ask.kinds,
        categories=ask.categories,
        channels=ask.channels,
        priorities=ask.priorities,
        unassigned=ask.queue is Queue.unassigned,
        escalated=ask.queue is Queue.escalated,
        due=due,
        received=received_window(ask.received_from, ask.received_to),
        words=ask.search.value if ask.search is not None else None,
    )


def received_window(first: date | None, last: date | None) -> Window | None:
    """Bangkok days `first` to `last` (both included) as a window of instants."""
    if first is None and last is None:
        return None
    return Window(
        start=_midnight(first) if first else None,
        end=_midnight(last + timedelta(days=1)) if last else None,
    )


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=BANGKOK)


async def queue_page(ctx: WorkflowContext, caller: Principal, ask: QueueAsk) -> QueuePage:
    """One page of a queue, in its order, with the count of the whole queue."""
    now = ctx.clock.now()
    wanted = queue_filter(caller, ask, now, ctx.calendar, ctx.settings.queue_due_soon_days)
    everywhere = ask.search is not None and ask.search.looking is not Looking.words
    if wanted is None:
        return QueuePage([], 0, False, None, None, everywhere)
    position = ask.position
    answer = await ctx.store.queue_page(
        wanted, ask.sort, position, limit=PAGE_SIZE, count_up_to=COUNT_UP_TO, now=now
    )
    if position is not None and (
        not answer.rows or (position.before and len(answer.rows) < PAGE_SIZE)
    ):
        # Cases came or went since the link was made, and the page it names is empty or
        # short: the first page, full, rather than a page with nowhere to go.
        position = None
        answer = await ctx.store.queue_page(
            wanted, ask.sort, None, limit=PAGE_SIZE, count_up_to=COUNT_UP_TO, now=now
        )
    counted_to = answer.counted_to if answer.counted_to is not None else COUNT_UP_TO
    keys = answer.rows[:PAGE_SIZE]
    more = len(answer.rows) > PAGE_SIZE
    backwards = position is not None and position.before
    if backwards:
        keys.reverse()  # read backwards from the position: back in the list's order
    has_next = backwards or more
    has_previous = more if backwards else position is not None
    return QueuePage(
        rows=await ctx.store.listed([str(k["_id"]) for k in keys]),
        total=min(answer.total, counted_to),
        more_than=answer.total > counted_to,
        next=Position.of(ask.sort, keys[-1]) if has_next and keys else None,
        previous=Position.of(ask.sort, keys[0], before=True) if has_previous and keys else None,
        searched_everywhere=everywhere,
    )
