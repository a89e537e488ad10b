"""Read figures from `report_cases` and `report_notifications` documents.

Documents are flat cells (`services.reporting.read_cache.cells`), or nested ones from
MongoDB or `MemoryViews`; the functions here add them up and derive rates, means and
median/p90 from histograms. All counts are of the cases *received* in the selected
period (a cohort), so shares compare like with like.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from services.reporting.domain import histogram as hist
from services.reporting.domain import views as v
from services.reporting.domain.selection import Selection
from services.reporting.domain.views import Outcome, Scalar, Span
from shared.contract.events import CaseStatus
from shared.contract.vocabulary import OPEN_STATUSES

#: One row of a report view: a flat cell, or a nested document from MongoDB or `MemoryViews`.
ViewRow = Mapping[str, Any]


def flatten(doc: ViewRow, prefix: str = "") -> dict[str, int]:
    """The integer measures of a document as dotted paths (key fields and `_id` left out)."""
    out: dict[str, int] = {}
    for name, value in doc.items():
        path = prefix + name
        if isinstance(value, Mapping):
            out.update(flatten(value, path + "."))
        elif isinstance(value, int) and not isinstance(value, bool):
            out[path] = value
    return out


def totals(docs: Iterable[ViewRow], key: Sequence[str] = v.CASE_KEY) -> dict[str, int]:
    """Every measure summed over `docs` (flat cells or nested documents), by dotted path."""
    if isinstance(docs, Selection):
        return docs.totals_by(()).get((), {})
    out: dict[str, int] = {}
    skip = {*key, "_id"}
    for doc in docs:
        for name, value in doc.items():
            # Cheapest tests first: a year's summary walks ~50,000 fields of flat cells.
            if name in skip:
                continue
            if type(value) is int:
                out[name] = out.get(name, 0) + value
            elif isinstance(value, Mapping):
                for path, n in flatten(value, name + ".").items():
                    out[path] = out.get(path, 0) + n
    return out


def select(docs: Iterable[ViewRow], **dims: Scalar) -> list[ViewRow]:
    """The documents whose key fields equal every given dimension (None means null)."""
    return [d for d in docs if all(d.get(k) == want for k, want in dims.items())]


@dataclass(frozen=True, slots=True)
class Rate:
    """numerator / denominator, with `value` None when the denominator is 0."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return None if self.denominator == 0 else self.numerator / self.denominator


@dataclass(frozen=True, slots=True)
class Durations:
    """Durations of one stage: how many cases, and median, p90 and mean in hours."""

    n: int
    median_hours: float | None
    p90_hours: float | None
    mean_hours: float | None
    histogram: hist.Histogram = field(repr=False)


@dataclass(frozen=True, slots=True)
class Compliance:
    """One deadline: cases that met it, missed it, and (for SLA clocks) breach events."""

    met: int
    missed: int
    breaches: int

    @property
    def share_met(self) -> Rate:
        return Rate(self.met, self.met + self.missed)


@dataclass(frozen=True, slots=True)
class Satisfaction:
    """Survey answers: count, mean rating, distribution 1–5, solved, response rate."""

    responses: int
    rating_sum: int
    distribution: Mapping[int, int]
    solved: int
    not_solved: int
    response_rate: Rate

    @property
    def mean(self) -> float | None:
        return None if self.responses == 0 else self.rating_sum / self.responses


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """The figures of a set of `report_cases` cells.

    `in_progress` counts open cases not yet resolved; `completed` is resolved (awaiting
    closure) plus closed for any reason, so `received == in_progress + completed`.
    """

    received: int
    open_by_status: Mapping[str, int]
    closed: int
    closed_by_reason: Mapping[str, int]
    resolved_ever: int
    reopened: int
    merged: int
    answered_in_15_days: Compliance
    sla: Mapping[str, Compliance]
    warnings: Mapping[str, int]
    spans: Mapping[str, Durations]
    dwell: Mapping[str, Durations]
    satisfaction: Satisfaction

    @property
    def in_progress(self) -> int:
        return sum(n for s, n in self.open_by_status.items() if s != CaseStatus.resolved)

    @property
    def completed(self) -> int:
        return self.open_by_status.get(CaseStatus.resolved, 0) + self.closed


def _durations(t: Mapping[str, int], prefix: str) -> Durations:
    h = hist.from_fields({k[len(prefix) :]: n for k, n in t.items() if k.startswith(prefix)})
    return Durations(h.n, hist.median_hours(h), hist.p90_hours(h), hist.mean_hours(h), h)


def add_totals(parts: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """Totals of several sets of documents added up."""
    out: dict[str, int] = {}
    for part in parts:
        for path, n in part.items():
            out[path] = out.get(path, 0) + n
    return out


def summarise(docs: Iterable[ViewRow]) -> CaseSummary:
    """Add up `report_cases` documents and derive every figure."""
    return summary_of(totals(docs))


def summary_of(t: Mapping[str, int]) -> CaseSummary:
    """Every figure derived from the measures of a set of `report_cases` cells, added up."""
    sla = {
        str(c): Compliance(
            t.get(v.sla_field(c, Outcome.met), 0),
            t.get(v.sla_field(c, Outcome.missed), 0),
            t.get(v.breach_field(c), 0),
        )
        for c in v.ALL_CLOCKS
    }
    satisfaction = Satisfaction(
        responses=t.get(v.SURVEY_COUNT, 0),
        rating_sum=t.get(v.SURVEY_RATING_SUM, 0),
        distribution={r: t.get(v.rating_field(r), 0) for r in v.RATINGS},
        solved=t.get(v.SURVEY_SOLVED, 0),
        not_solved=t.get(v.SURVEY_NOT_SOLVED, 0),
        response_rate=Rate(t.get(v.SURVEY_COUNT, 0), t.get(v.RESOLVED, 0)),
    )
    return CaseSummary(
        received=t.get(v.RECEIVED, 0),
        open_by_status={str(s): t.get(v.open_field(s), 0) for s in OPEN_STATUSES},
        closed=t.get(v.CLOSED, 0),
        closed_by_reason={str(r): t.get(v.closed_by_field(r), 0) for r in v.ALL_REASONS},
        resolved_ever=t.get(v.RESOLVED, 0),
        reopened=t.get(v.REOPENED, 0),
        merged=t.get(v.MERGED, 0),
        answered_in_15_days=Compliance(t.get(v.S38_IN_TIME, 0), t.get(v.S38_LATE, 0), 0),
        sla=sla,
        warnings={str(c): t.get(v.warning_field(c), 0) for c in v.ALL_CLOCKS},
        spans={str(s): _durations(t, v.span_prefix(s)) for s in Span},
        dwell={str(s): _durations(t, v.dwell_prefix(s)) for s in OPEN_STATUSES},
        satisfaction=satisfaction,
    )


def group_key(doc: ViewRow, dims: Sequence[str]) -> tuple[Scalar, ...]:
    """The values of `dims` in a document, in order."""
    return tuple(doc.get(d) for d in dims)


def totals_by(
    docs: Iterable[ViewRow], dims: Sequence[str], key: Sequence[str] = v.CASE_KEY
) -> dict[tuple[Scalar, ...], dict[str, int]]:
    """`totals` per combination of `dims` values present in `docs`, in one pass."""
    if isinstance(docs, Selection):  # sums kept current by the cells it came from
        return docs.totals_by(dims)
    groups: dict[tuple[Scalar, ...], list[ViewRow]] = {}
    for doc in docs:
        groups.setdefault(group_key(doc, dims), []).append(doc)
    return {k: totals(g, key) for k, g in groups.items()}


def summarise_by(
    docs: Iterable[ViewRow], dims: Sequence[str]
) -> dict[tuple[Scalar, ...], CaseSummary]:
    """One summary per combination of `dims` values present in `docs` (e.g. by channel)."""
    return {k: summary_of(t) for k, t in totals_by(docs, dims).items()}


def summarise_with_groups(
    docs: Iterable[ViewRow], dims: Sequence[str]
) -> tuple[CaseSummary, dict[tuple[Scalar, ...], CaseSummary]]:
    """The summary of all `docs` and one per group, adding the documents up once."""
    groups = totals_by(docs, dims)
    whole = summary_of(add_totals(groups.values()))
    return whole, {k: summary_of(t) for k, t in groups.items()}


@dataclass(frozen=True, slots=True)
class NotificationCounts:
    """Notifications sent and failed (and of those, permanently) on one channel."""

    sent: int
    failed: int
    failed_permanent: int

    @property
    def failure_rate(self) -> Rate:
        return Rate(self.failed, self.sent + self.failed)


def summarise_notifications(docs: Iterable[ViewRow]) -> dict[str, NotificationCounts]:
    """`report_notifications` documents added up per delivery channel."""
    by_channel: dict[str, list[ViewRow]] = {}
    for doc in docs:
        by_channel.setdefault(str(doc["channel"]), []).append(doc)
    out = {}
    for channel, group in sorted(by_channel.items()):
        t = totals(group, v.NOTIFICATION_KEY)
        out[channel] = NotificationCounts(
            t.get(v.SENT, 0), t.get(v.FAILED, 0), t.get(v.FAILED_PERMANENT, 0)
        )
    return out
