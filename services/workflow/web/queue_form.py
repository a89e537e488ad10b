"""The console queue's address: what its query string asks for (`read_queue`, every bad
value named for the page's 422), and the address of a queue (`queue_query`), always in
one order with the dates in ISO, so a filtered page can be bookmarked and shared.

    /console?view=unit&q=หลังคา&status=in_progress&channel=line&from=2026-11-01&to=2026-11-30
            &sort=due&after=<the last case of the page before>

A date is read as a person types it: ISO, or day/month/year in B.E. (5/11/2569)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from services.workflow.adapters.case_queries import BadPosition, Position, Sort
from services.workflow.domain.case_search import MAX_LENGTH, read_search
from services.workflow.handlers.queues import Queue, QueueAsk
from shared.contract.catalogue import Catalogue
from shared.contract.events import CaseStatus, Channel, Kind, Priority
from shared.thai.dates import parse_date

PARAMS = (
    "view",
    "unit",
    "q",
    "status",
    "kind",
    "category",
    "channel",
    "priority",
    "from",
    "to",
    "sort",
    "after",
    "before",
)
#: The tabs about deadlines are read soonest deadline first unless asked otherwise.
_DUE_FIRST = frozenset({Queue.due_soon, Queue.overdue})


@dataclass(frozen=True)
class Problem:
    """A value the page cannot use: the parameter, and what is wrong with it (a key of
    the page's words: `unknown`, `date`, `range`, `long`, `page`)."""

    field: str
    what: str


class BadQueue(ValueError):
    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(", ".join(f"{p.field}: {p.what}" for p in problems))
        self.problems = tuple(problems)


def default_view(admin: bool) -> Queue:
    """An admin is assigned no cases: their first look is at every unit."""
    return Queue.unit if admin else Queue.mine


def default_sort(queue: Queue) -> Sort:
    return Sort.due if queue in _DUE_FIRST else Sort.newest


def read_queue(
    params: Mapping[str, Sequence[str]], *, admin: bool, catalogue: Catalogue, secret: bytes
) -> QueueAsk:
    """The queue `params` ask for. Raises BadQueue naming every value it cannot use.
    Blank values are no choice; an admin's unit is the only one a person picks."""
    problems: list[Problem] = []

    def given(name: str) -> list[str]:
        return [v.strip() for v in params.get(name, ()) if v.strip()]

    def one_of(name: str, allowed: Sequence[str]) -> tuple[str, ...]:
        values = tuple(dict.fromkeys(given(name)))
        if any(v not in allowed for v in values):
            problems.append(Problem(name, "unknown"))
            return ()
        return values

    views = one_of("view", [q.value for q in Queue])
    queue = Queue(views[0]) if views else default_view(admin)
    units = one_of("unit", [u.code for u in catalogue.units]) if admin else ()
    typed = " ".join(given("q"))
    if len(typed) > MAX_LENGTH:
        problems.append(Problem("q", "long"))
        typed = ""
    statuses = _statuses(one_of("status", ["open", "all", *(s.value for s in CaseStatus)]))
    first = _day(given("from"), "from", problems)
    last = _day(given("to"), "to", problems)
    if first and last and first > last:
        problems.append(Problem("to", "range"))
    sorts = one_of("sort", [s.value for s in Sort])
    sort = Sort(sorts[0]) if sorts else default_sort(queue)
    ask = QueueAsk(
        queue=queue,
        unit=units[0] if units else None,
        search=read_search(typed, secret),
        statuses=statuses,
        kinds=one_of("kind", [k.value for k in Kind]),
        categories=one_of("category", [c.code for c in catalogue.categories]),
        channels=one_of("channel", [c.value for c in Channel]),
        priorities=one_of("priority", [p.value for p in Priority]),
        received_from=first,
        received_to=last,
        sort=sort,
    )
    after, before = given("after"), given("before")
    if after or before:
        try:
            position = Position.parse((before or after)[0], sort, before=bool(before))
        except BadPosition:
            problems.append(Problem("before" if before else "after", "page"))
        else:
            ask = replace(ask, position=position)
    if problems:
        raise BadQueue(problems)
    return ask


def _statuses(values: tuple[str, ...]) -> tuple[str, ...] | None:
    """None for the open cases (the default), () for any status."""
    if not values or values == ("open",):
        return None
    if "all" in values:
        return ()
    if "open" in values:
        # "open" with others: the open ones and those.
        values = tuple(
            dict.fromkeys([*(s.value for s in CaseStatus if s.value != "closed"), *values])
        )
    return tuple(v for v in values if v != "open")


def _day(values: list[str], name: str, problems: list[Problem]) -> date | None:
    if not values:
        return None
    try:
        return parse_date(values[0])
    except ValueError:
        problems.append(Problem(name, "date"))
        return None


def queue_query(ask: QueueAsk, *, page: bool = True) -> list[tuple[str, str]]:
    """The query string of `ask` (without its page position unless `page`): the tab,
    then only what differs from the defaults, in `PARAMS` order."""
    pairs: list[tuple[str, str]] = [("view", ask.queue.value)]
    if ask.unit:
        pairs.append(("unit", ask.unit))
    if ask.search is not None:
        pairs.append(("q", ask.search.value))
    if ask.statuses is not None:
        pairs += [("status", s) for s in ask.statuses] if ask.statuses else [("status", "all")]
    for name, values in (
        ("kind", ask.kinds),
        ("category", ask.categories),
        ("channel", ask.channels),
        ("priority", ask.priorities),
    ):
        pairs += [(name, v) for v in values]
    if ask.received_from:
        pairs.append(("from", ask.received_from.isoformat()))
    if ask.received_to:
        pairs.append(("to", ask.received_to.isoformat()))
    if ask.sort is not default_sort(ask.queue):
        pairs.append(("sort", ask.sort.value))
    if page and ask.position is not None:
        pairs.append(("before" if ask.position.before else "after", ask.position.token()))
    return pairs
