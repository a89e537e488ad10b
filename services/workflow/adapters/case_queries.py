"""Which cases a list shows, said in the office's words (`CaseFilter`) and translated
here, and only here, into MongoDB: a filter on `cases` for the API's list (`case_query`),
and for the console's queue an aggregation that gives one page in the order asked for
and how many cases there are in all (`queue_pipeline`), resumed after or before a case
(`Position`, keyset paging: a page costs the same on the first page as on the 200th)."""

from __future__ import annotations

import base64
import re
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from shared.contract.events import Clock, Priority
from shared.infra.mongo import Document


@dataclass(frozen=True)
class Overdue:
    """Cases past their resolution deadline at `at` (`late`), or the others."""

    at: datetime
    late: bool


@dataclass(frozen=True)
class Window:
    """From `start` (included) to `end` (left out); None leaves that side open."""

    start: datetime | None = None
    end: datetime | None = None

    def condition(self) -> Document:
        bounds: Document = {}
        if self.start is not None:
            bounds["$gte"] = self.start
        if self.end is not None:
            bounds["$lt"] = self.end
        return bounds


@dataclass(frozen=True)
class CaseFilter:
    """Every part is optional; an empty sequence or None selects any."""

    # Never a case naming this person among its excluded assignees.
    hidden_from: str | None = None
    # Only the cases of `unit` (which may be None: cases outside any unit).
    one_unit: bool = False
    unit: str | None = None
    statuses: Sequence[str] = ()
    priorities: Sequence[str] = ()
    kinds: Sequence[str] = ()
    channels: Sequence[str] = ()
    categories: Sequence[str] = ()
    assignee: str | None = None
    # Only cases nobody is assigned.
    unassigned: bool = False
    overdue: Overdue | None = None
    # Received within this window.
    received: Window | None = None
    # The resolution deadline within this window, its clock not stopped.
    due: Window | None = None
    # Escalated to the unit's supervisor: a deadline passed and the scanner reported it
    # (a clock's 100% threshold emitted; the timeline says "escalate" then too).
    escalated: bool = False
    # A tracking code read out over the phone, or words of the subject (the API's `text`).
    text: str | None = None
    # One case by its tracking code, as the office wrote it.
    tracking_code: str | None = None
    # Keyed hashes of a phone number or an e-mail address (`routing.contact_keys`): the
    # cases of whoever left it, found without reading anyone's contact.
    contact_keys: Sequence[str] = ()
    # Words in the subject or the description, in any case.
    words: str | None = None
    # Cases after this (received_at, case id) in the list's newest-first order.
    after: tuple[datetime, str] | None = None


def _conditions(wanted: CaseFilter) -> Document:
    """Each part of `wanted` as its field's condition, in one flat document."""
    query: Document = {}
    if wanted.tracking_code is not None:
        query["tracking_code"] = wanted.tracking_code
    if wanted.contact_keys:
        query["contact_keys"] = {"$in": list(wanted.contact_keys)}
    if wanted.due is not None:
        query["clocks.resolution.due_at"] = wanted.due.condition()
        query["clocks.resolution.stopped_at"] = None
    if wanted.assignee is not None:
        query["assignee"] = wanted.assignee
    elif wanted.unassigned:
        query["assignee"] = None
    if wanted.one_unit:
        query["unit"] = wanted.unit
    for name, values in (
        ("status", wanted.statuses),
        ("priority", wanted.priorities),
        ("kind", wanted.kinds),
        ("channel", wanted.channels),
        ("category", wanted.categories),
    ):
        if values:
            query[name] = {"$in": list(values)}
    if wanted.received is not None:
        query["received_at"] = wanted.received.condition()
    if wanted.hidden_from is not None:
        query["excluded_assignees"] = {"$ne": wanted.hidden_from}
    if wanted.overdue is not None:
        late = {
            "clocks.resolution.due_at": {"$lt": wanted.overdue.at},
            "clocks.resolution.stopped_at": None,
        }
        query.update(late if wanted.overdue.late else {"$nor": [late]})
    either: list[Document] = []
    if wanted.escalated:
        either.append({"$or": [{f"clocks.{clock.value}.emitted": 100} for clock in Clock]})
    if wanted.words:
        pattern = {"$regex": re.escape(wanted.words.strip()), "$options": "i"}
        either.append({"$or": [{"subject": pattern}, {"description": pattern}]})
    if len(either) == 1:
        query.update(either[0])
    elif either:
        query["$and"] = either
    return query


def case_query(wanted: CaseFilter) -> Document:
    query = _conditions(wanted)
    also: list[Document] = query.pop("$and", [])
    if "$or" in query:
        also.append({"$or": query.pop("$or")})
    if wanted.text:
        also.append(
            {
                "$or": [
                    {"tracking_code": wanted.text.strip().upper()},
                    {"subject": {"$regex": re.escape(wanted.text), "$options": "i"}},
                ]
            }
        )
    if wanted.after is not None:
        at, case_id = wanted.after
        also.append(
            {"$or": [{"received_at": {"$lt": at}}, {"received_at": at, "_id": {"$lt": case_id}}]}
        )
    if also:
        query["$and"] = also
    return query


# ------------------------------------------------------------ the console's queue


class Sort(StrEnum):
    """The orders a queue can be read in."""

    newest = "newest"
    oldest = "oldest"
    due = "due"  # the resolution deadline, soonest first
    priority = "priority"  # most urgent first, then newest


# A case whose resolution clock is missing sorts after every deadline.
_NO_DEADLINE = datetime(9999, 12, 31, tzinfo=UTC)
_RANKS = [p.value for p in (Priority.low, Priority.normal, Priority.high, Priority.urgent)]
#: The keys each order sorts by, computed from the case (most significant first; the
#: case id breaks ties, in the direction of the first key), and how each key is read.
_KEYS: dict[str, Any] = {
    "received_at": "$received_at",
    "due": {"$ifNull": ["$clocks.resolution.due_at", _NO_DEADLINE]},
    "rank": {"$indexOfArray": [_RANKS, "$priority"]},
}
ORDERS: dict[Sort, tuple[tuple[str, int], ...]] = {
    Sort.newest: (("received_at", -1),),
    Sort.oldest: (("received_at", 1),),
    Sort.due: (("due", 1),),
    Sort.priority: (("rank", -1), ("received_at", -1)),
}


class BadPosition(ValueError):
    """A page position (`Position.token`) this list did not give, or for another order."""


@dataclass(frozen=True)
class Position:
    """Where a page of a queue starts: just after the case with these sort keys (the last
    row of the page before), or, `before`, where it ends: just before that case (the first
    row of the page after, for "previous page")."""

    sort: Sort
    keys: tuple[datetime | int, ...]
    case_id: str
    before: bool = False

    @classmethod
    def of(cls, sort: Sort, row: Document, *, before: bool = False) -> Position:
        """The position of a row `queue_pipeline` returned."""
        keys = tuple(row[name] for name, _ in ORDERS[sort])
        return cls(sort=sort, keys=keys, case_id=str(row["_id"]), before=before)

    def token(self) -> str:
        """The position as an opaque word for a URL (the direction is said apart)."""
        keys = [k.isoformat() if isinstance(k, datetime) else str(k) for k in self.keys]
        text = "|".join([self.sort.value, *keys, self.case_id])
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def parse(cls, token: str, sort: Sort, *, before: bool = False) -> Position:
        """The position `token` names in the order `sort`; BadPosition if it is not one."""
        try:
            padded = token + "=" * (-len(token) % 4)
            text = base64.urlsafe_b64decode(padded.encode()).decode()
            parts = text.split("|")
            order = ORDERS[Sort(parts[0])]
            if parts[0] != sort.value or len(parts) != len(order) + 2 or not parts[-1]:
                raise ValueError(text)
            keys = tuple(
                int(value) if name == "rank" else _moment(value)
                for (name, _), value in zip(order, parts[1:-1], strict=True)
            )
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadPosition(token) from exc
        return cls(sort=sort, keys=keys, case_id=parts[-1], before=before)


def _moment(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(text)
    return value


def _lead(wanted: CaseFilter) -> tuple[str, ...]:
    """The conditions an index should find the candidates by: the narrowest the filter
    has. The rest are checked on those candidates in a second stage. MongoDB merges the
    two stages and plans them as one; SecantusDB plans only the first, from at most one
    index, and reads every candidate it names whatever the page's limit (BENCHMARKS.md),
    so what the first stage holds decides the cost of a page."""
    if wanted.tracking_code is not None:
        return ("tracking_code",)
    if wanted.contact_keys:
        return ("contact_keys",)
    if wanted.due is not None and wanted.due.start is not None:
        return ("clocks.resolution.due_at",)  # a few days of deadlines
    if wanted.assignee is not None:
        return ("assignee", "status")  # index (assignee, status)
    if wanted.one_unit:
        if wanted.received is not None and (not wanted.statuses or "closed" in wanted.statuses):
            return ("unit", "received_at")  # index (unit, received_at): closed ones too
        return ("unit", "status")  # index (unit, status)
    if wanted.statuses:
        return ("status",)  # index (status, received_at)
    if wanted.received is not None:
        return ("received_at",)
    return ()


def queue_pipeline(
    wanted: CaseFilter,
    sort: Sort,
    position: Position | None,
    *,
    limit: int,
    count_up_to: int,
) -> list[Document]:
    """One aggregation that answers a page of the queue: a single document with `rows`
    (up to `limit` + 1 cases past `position`, each its id and sort keys, in the order or,
    for a position `before`, in reverse) and `total` (how many cases the filter selects,
    counted up to `count_up_to` + 1). The candidates are read once for
    both, which halves the cost of a page on a server that reads every candidate whatever
    the limit."""
    return window_pipeline(wanted, sort, position, limit=limit, count_up_to=count_up_to)


def window_pipeline(
    wanted: CaseFilter,
    sort: Sort,
    position: Position | None,
    *,
    limit: int | None,
    count_up_to: int | None,
    lead: Document | None = None,
) -> list[Document]:
    """`queue_pipeline`, or, given `lead` (one of `window_leads`), the same over the cases
    that finds only; without `limit` no rows, without `count_up_to` no total."""
    conditions = _conditions(wanted)
    if lead is None:
        lead = {name: conditions[name] for name in _lead(wanted) if name in conditions}
    rest = {name: value for name, value in conditions.items() if name not in lead}
    order = ORDERS[sort]
    stages: list[Document] = [{"$match": lead}]
    if rest:
        stages.append({"$match": rest})
    # Only the keys go on (SecantusDB copies whatever goes on, candidate by candidate: a
    # row's dozen fields cost twice what the page then costs to read in full, by id).
    stages.append({"$project": {name: _KEYS[name] for name, _ in order}})
    backwards = position is not None and position.before
    facet: Document = {}
    if limit is not None:
        rows: list[Document] = []
        if position is not None:
            rows.append({"$match": _beyond(order, position)})
        rows.append({"$sort": _sort(order, reverse=backwards)})
        rows.append({"$limit": limit + 1})
        facet["rows"] = rows
    if count_up_to is not None:
        facet["total"] = [{"$limit": count_up_to + 1}, {"$count": "n"}]
    stages.append({"$facet": facet})
    return stages


# ------------------------------------------------------------ days at a time (SecantusDB)

#: The leads that name most of a unit or of the office: read days at a time instead.
_BROAD = frozenset({(), ("status",), ("unit", "status"), ("unit", "received_at"), ("received_at",)})
#: How far a list read days at a time is counted, past which its page says "more than":
#: each case counted is a case SecantusDB reads and decodes (a list read whole is counted
#: to the caller's figure at no extra cost, its candidates being read anyway).
DAYS_COUNT_UP_TO = 200
#: The first window of days tried, how much wider each next one is, and past what width
#: the next is open-ended (every case further on).
FIRST_SPAN = timedelta(days=7)
GROWTH = 4
WIDEST = timedelta(days=3 * 366)


def by_days(wanted: CaseFilter, sort: Sort) -> bool:
    """Whether a page of this list is better read a window of days at a time: the order
    is by the day received, the filter's narrowest indexed part is still broad, and either
    the statuses asked for include the closed cases (most of them) or the list is of every
    unit (each status's days have an index of their own, `window_leads`). A unit's open
    cases are fewer by their status than by any days that hold a page and a count."""
    return (
        sort in (Sort.newest, Sort.oldest)
        and _lead(wanted) in _BROAD
        and (not wanted.statuses or "closed" in wanted.statuses or not wanted.one_unit)
    )


def window_leads(wanted: CaseFilter, within: Document) -> list[Document]:
    """First stages that, together, find the cases of `wanted` received `within` (a
    condition on received_at that implies the filter's own days), each a bounded read of
    one index, equality then the range: the unit's days (unit, received_at); or, for some
    statuses of every unit, each status's days (status, received_at), SecantusDB reading
    an index by equalities and one range only; or the office's days (received_at, _id).
    Disjoint, so their counts add up."""
    if wanted.one_unit:
        return [{"unit": wanted.unit, "received_at": within}]
    if wanted.statuses:
        statuses = dict.fromkeys(wanted.statuses)
        return [{"status": status, "received_at": within} for status in statuses]
    return [{"received_at": within}]


def scans_down(sort: Sort, position: Position | None) -> bool:
    """Whether the rows of a page come newest first (the rows `queue_pipeline` gives)."""
    backwards = position is not None and position.before
    return (sort is Sort.newest) != backwards


#: (cases found so far, cases wanted in all), sent back after each window.
Found = tuple[int, int]


def _next_span(span: timedelta, covered: timedelta, found: Found | None) -> timedelta:
    """The next window's width: `GROWTH` times the last, or, once some cases were found,
    as wide as their density says the rest wanted need (a quarter more, at least a day):
    a count of a thousand then reads about a thousand cases, not four times too many."""
    if found is None or found[0] <= 0:
        return span * GROWTH
    have, wanted = found
    return max(covered * (max(wanted - have, 1) / have) * 1.25, timedelta(days=1))


def windows(
    *, down: bool, anchor: datetime | None, days: Window | None, now: datetime
) -> Generator[Document, Found | None, None]:
    """Conditions on received_at for disjoint windows that, one after the other, cover
    every instant from `anchor` (included; None: the newest, going down) onwards in the
    direction, within `days`: the first `FIRST_SPAN` wide, each next `GROWTH` times the
    last (or sized by what was found, `send`), the last open-ended. Going up needs an
    anchor."""
    start = days.start if days is not None else None
    end = days.end if days is not None else None
    span = FIRST_SPAN
    if down:
        top: tuple[datetime, bool] | None = (anchor, True) if anchor is not None else None
        if end is not None and (top is None or end <= top[0]):
            top = (end, False)
        base = top[0] if top is not None else now
        origin = base
        while True:
            low: datetime | None = base - span
            last = span > WIDEST
            if last:
                low = None
            if start is not None and (low is None or low <= start):
                low, last = start, True
            cond: Document = {}
            if low is not None:
                cond["$gte"] = low
            if top is not None:
                cond["$lte" if top[1] else "$lt"] = top[0]
            if top is not None and low is not None and low > top[0]:
                return
            found = yield cond
            if last or low is None:
                return
            span = _next_span(span, origin - low, found)
            top, base = (low, False), low
    else:
        if anchor is None:
            raise ValueError("going up needs an anchor")
        bottom = anchor if start is None or start <= anchor else start
        origin = bottom
        while True:
            high: datetime | None = bottom + span
            last = span > WIDEST or (high is not None and high > now)
            if last:
                high = None
            if end is not None and (high is None or high >= end):
                high, last = end, True
            cond = {"$gte": bottom}
            if high is not None:
                if high <= bottom:
                    return
                cond["$lt"] = high
            found = yield cond
            if last or high is None:
                return
            span = _next_span(span, high - origin, found)
            bottom = high


def _with_id(order: tuple[tuple[str, int], ...]) -> list[tuple[str, int]]:
    return [*order, ("_id", order[0][1])]


def _sort(order: tuple[tuple[str, int], ...], *, reverse: bool) -> Document:
    return {name: -direction if reverse else direction for name, direction in _with_id(order)}


def _beyond(order: tuple[tuple[str, int], ...], position: Position) -> Document:
    """The rows strictly past `position` in the order (strictly before it, if `before`):
    past on the first key, or equal on it and past on the next, and so on to the id."""
    values = [*position.keys, position.case_id]
    branches: list[Document] = []
    equal: Document = {}
    for (name, direction), value in zip(_with_id(order), values, strict=True):
        onward = (direction == 1) != position.before
        branches.append({**equal, name: {"$gt" if onward else "$lt": value}})
        equal[name] = value
    return {"$or": branches}
