"""The summary views: collection names, their keys, their field names, and the update type.

Three collections, each document keyed by a tuple of dimensions and holding integer
measures that only ever change by `$inc`:

- `report_cases`: one document per cell of case dimensions (fiscal year B.E., round,
  month, unit, category, kind, complaint type, channel). A case counts in the cell of
  the period it was *received* in and of its *current* unit and category (triage and
  reassignment move everything the case contributed to its new cell), so in every cell
  `received == sum(open.*) + closed`. Measures are nested fields, e.g. `open.assigned`,
  `closed_by.duplicate`, `span.received_to_resolved.b07` (see `histogram`).
- `report_notifications`: per fiscal period of the notification and delivery channel.
- `report_orphans`: events about a case the reporting service has never seen opened,
  per event type (should stay empty; a count here means a lost or skipped case.opened).
- `report_consultations` and `report_outcomes`: one document per consultation and per
  outcome ("you said, we did") of a fiscal year, from `siang.participation.v1`
  (`domain.participation`). Opinions are `$inc`ed counters; what a consultation or an
  outcome *is* (topic, dates, status, what was decided) is `$set` from the latest event,
  which is safe because one consultation's events share a Kafka key and so arrive, are
  journaled and are replayed in the order they were published.
- `report_meetings`, `report_orders`, `report_reviews`, `report_surveys`: one document
  per committee meeting, appointment order, review of performance and mission survey,
  from the same topic, `$set` the same way (a committee's, review's or survey's events
  share its key); a survey's answers are `$inc`ed per round, item and score.

All measures are integers so that sums are exact in any order of application.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from shared.contract.events import Clock, CloseReason

CASES = "report_cases"
NOTIFICATIONS = "report_notifications"
ORPHANS = "report_orphans"
#: The participation report's views (seed measure 2.6; `domain.participation`).
CONSULTATIONS = "report_consultations"
OUTCOMES = "report_outcomes"
MEETINGS = "report_meetings"
ORDERS = "report_orders"
REVIEWS = "report_reviews"
SURVEYS = "report_surveys"

PERIOD_KEY = ("fiscal_year", "round", "month")
CASE_KEY = (*PERIOD_KEY, "unit", "category", "kind", "complaint_type", "channel")
NOTIFICATION_KEY = (*PERIOD_KEY, "channel")
ORPHAN_KEY = ("event_type",)
CONSULTATION_KEY = ("fiscal_year", "consultation_id")
OUTCOME_KEY = ("fiscal_year", "outcome_id")
MEETING_KEY = ("fiscal_year", "meeting_id")
ORDER_KEY = ("fiscal_year", "order_id")
REVIEW_KEY = ("fiscal_year", "review_id")
SURVEY_KEY = ("fiscal_year", "survey_id")

#: The key fields of each view, in order: the adapter builds a unique index on them.
VIEW_KEYS: dict[str, tuple[str, ...]] = {
    CASES: CASE_KEY,
    NOTIFICATIONS: NOTIFICATION_KEY,
    ORPHANS: ORPHAN_KEY,
    CONSULTATIONS: CONSULTATION_KEY,
    OUTCOMES: OUTCOME_KEY,
    MEETINGS: MEETING_KEY,
    ORDERS: ORDER_KEY,
    REVIEWS: REVIEW_KEY,
    SURVEYS: SURVEY_KEY,
}
#: The participation report's views, in the order the report reads them.
PARTICIPATION_VIEWS = (CONSULTATIONS, OUTCOMES, MEETINGS, ORDERS, REVIEWS, SURVEYS)

# ------------------------------------------------------------- report_cases fields

RECEIVED = "received"
CLOSED = "closed"
#: Cases that reached `resolved` (or were closed as resolved) at least once.
RESOLVED = "resolved"
REOPENED = "reopened"
MERGED = "merged"
#: Royal Decree s.38: first public answer within 15 days of receipt (see reducers).
S38_IN_TIME = "s38.in_time"
S38_LATE = "s38.late"
SURVEY_COUNT = "survey.n"
SURVEY_RATING_SUM = "survey.rating_sum"
SURVEY_SOLVED = "survey.solved"
SURVEY_NOT_SOLVED = "survey.not_solved"
RATINGS = (1, 2, 3, 4, 5)


class Outcome(StrEnum):
    met = "met"
    missed = "missed"


class Span(StrEnum):
    """Milestone-to-milestone durations, one observation per case (the latest)."""

    received_to_assigned = "received_to_assigned"
    received_to_answered = "received_to_answered"
    assigned_to_resolved = "assigned_to_resolved"
    received_to_resolved = "received_to_resolved"
    received_to_closed = "received_to_closed"


def open_field(status: str) -> str:
    """Cases of the cell currently in `status` (not closed)."""
    return f"open.{status}"


def closed_by_field(reason: str) -> str:
    """Closed cases of the cell by closing reason."""
    return f"closed_by.{reason}"


def sla_field(clock: str, outcome: Outcome) -> str:
    """Cases whose SLA `clock` was met, or missed (completed late, or breached)."""
    return f"sla.{clock}.{outcome}"


def breach_field(clock: str) -> str:
    """Cases that received a `case.sla_breached` for `clock` (once per case)."""
    return f"breaches.{clock}"


def warning_field(clock: str) -> str:
    """`case.sla_warning` events for `clock` (50 % and 75 % each count)."""
    return f"warnings.{clock}"


def rating_field(rating: int) -> str:
    """Survey answers with this rating (1–5)."""
    return f"survey.rating.{rating}"


def span_prefix(span: Span) -> str:
    """The histogram prefix of a milestone span, e.g. "span.received_to_resolved."."""
    return f"span.{span}."


def dwell_prefix(status: str) -> str:
    """The histogram prefix of total time spent in an open status, e.g. "dwell.assigned."."""
    return f"dwell.{status}."


# ---------------------------------------------------- notifications and orphans fields

SENT = "sent"
FAILED = "failed"
FAILED_PERMANENT = "failed_permanent"
ORPHAN_COUNT = "n"

ALL_CLOCKS = tuple(Clock)
ALL_REASONS = tuple(CloseReason)

# ------------------------------------------------------------------------- updates

Scalar = str | int | None


@dataclass(frozen=True, slots=True)
class ViewUpdate:
    """One upsert: `update_one(filter=key, {"$inc": inc, "$set": set}, upsert=True)`.

    `inc` values are integers; `set` holds values that follow the order of one key's
    events (the participation views; the case views use none). An update with nothing to
    do is refused, since MongoDB rejects an empty `$inc`.
    """

    collection: str
    key: Mapping[str, Scalar]
    inc: Mapping[str, int]
    set: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.inc and not self.set:
            raise ValueError("a view update must $inc or $set something")
        expected = VIEW_KEYS.get(self.collection)
        if expected is None:
            raise ValueError(f"unknown view {self.collection!r}")
        if tuple(sorted(self.key)) != tuple(sorted(expected)):
            raise ValueError(f"{self.collection} is keyed by {expected}, not {tuple(self.key)}")

    def filter(self) -> dict[str, Scalar]:
        """The MongoDB filter (equality on every key field)."""
        return dict(self.key)

    def to_mongo(self) -> dict[str, dict[str, Any]]:
        """The MongoDB update document, without empty operators."""
        doc: dict[str, dict[str, Any]] = {}
        if self.inc:
            doc["$inc"] = dict(self.inc)
        if self.set:
            doc["$set"] = dict(self.set)
        return doc

    def identity(self) -> tuple[str, tuple[Scalar, ...]]:
        """(collection, key values in `VIEW_KEYS` order): which document it touches."""
        return self.collection, tuple(self.key[k] for k in VIEW_KEYS[self.collection])


_Identity = tuple[str, tuple[Scalar, ...]]


def combine(updates: Iterable[ViewUpdate]) -> list[ViewUpdate]:
    """Merge updates of the same document into one: incs add up, a later `set` wins.

    Applying the result leaves the views exactly as applying `updates` one by one would
    (a field whose increments cancel is kept as 0, as sequential `$inc`s leave it), in
    far fewer writes: what a rebuild or a batch consumer sends to MongoDB.
    """
    merged: dict[_Identity, tuple[dict[str, Scalar], dict[str, int], dict[str, Any]]] = {}
    for u in updates:
        _, inc, set_ = merged.setdefault(u.identity(), (dict(u.key), {}, {}))
        for name, amount in u.inc.items():
            inc[name] = inc.get(name, 0) + amount
        set_.update(u.set)
    return [
        ViewUpdate(collection, key, inc, set_)
        for (collection, _), (key, inc, set_) in merged.items()
    ]
