"""The report tables: view documents in, rows out, the same for JSON, CSV and pages.

Each function returns a `Table` (column names and rows of plain values), so every table
the API or a page shows can also be exported as CSV by the same code. Hours are
rounded to one decimal, shares and means to three: the views are exact, the display
need not pretend to more precision than the histogram buckets give.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from services.reporting.domain import views as v
from services.reporting.domain.ita import ItaComplaintStats
from services.reporting.domain.summary import (
    CaseSummary,
    Rate,
    ViewRow,
    summarise,
    summarise_by,
    summarise_notifications,
    summarise_with_groups,
)

Cell = str | int | float | None

#: Dimensions a table can be grouped by, in the order the views key them.
GROUPABLE = v.CASE_KEY


class UnknownDimension(ValueError):
    """A group-by name that is not a dimension of the views."""


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]

    def records(self) -> list[dict[str, Cell]]:
        """The rows as dicts (for JSON)."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _r(x: float | None, digits: int) -> float | None:
    return None if x is None else round(x, digits)


def share(rate: Rate) -> float | None:
    return _r(rate.value, 3)


def check_dimensions(dims: Sequence[str]) -> tuple[str, ...]:
    for d in dims:
        if d not in GROUPABLE:
            raise UnknownDimension(d)
    return tuple(dims)


def _sort_key(key: tuple[Any, ...]) -> tuple[tuple[int, str], ...]:
    return tuple((0, "") if x is None else (1, f"{x:>12}") for x in key)


def _grouped(
    docs: Iterable[ViewRow], dims: Sequence[str]
) -> list[tuple[tuple[Any, ...], CaseSummary]]:
    # `docs` is passed on as it is: a `Selection` of cells keeps its sums per group current.
    if not dims:
        return [((), summarise(docs))]
    groups = summarise_by(docs, check_dimensions(dims))
    return sorted(groups.items(), key=lambda kv: _sort_key(kv[0]))


SUMMARY_COLUMNS = (
    "received",
    "in_progress",
    "completed",
    "closed",
    "resolved",
    "reopened",
    "answered_15d_met",
    "answered_15d_missed",
    "answered_15d_share",
    "breaches",
    "resolution_median_hours",
    "resolution_p90_hours",
    "satisfaction_responses",
    "satisfaction_mean",
)


def _summary_row(s: CaseSummary) -> tuple[Cell, ...]:
    resolved = s.spans["received_to_resolved"]
    return (
        s.received,
        s.in_progress,
        s.completed,
        s.closed,
        s.resolved_ever,
        s.reopened,
        s.answered_in_15_days.met,
        s.answered_in_15_days.missed,
        share(s.answered_in_15_days.share_met),
        sum(c.breaches for c in s.sla.values()),
        _r(resolved.median_hours, 1),
        _r(resolved.p90_hours, 1),
        s.satisfaction.responses,
        _r(s.satisfaction.mean, 3),
    )


def summary_table(docs: Iterable[ViewRow], group_by: Sequence[str] = ()) -> Table:
    """Headline figures, one row per combination of `group_by` values (one row if none)."""
    return _summary_rows(_grouped(docs, group_by), group_by)


def _summary_rows(
    groups: Iterable[tuple[tuple[Any, ...], CaseSummary]], group_by: Sequence[str]
) -> Table:
    rows = [(*key, *_summary_row(s)) for key, s in groups]
    return Table((*group_by, *SUMMARY_COLUMNS), rows)


def summary_and_table(
    docs: Iterable[ViewRow], group_by: Sequence[str]
) -> tuple[CaseSummary, Table]:
    """The headline summary of all `docs` and `summary_table(docs, group_by)`, adding the
    documents up once (a year of cells takes ~10 ms a pass)."""
    whole, groups = summarise_with_groups(docs, check_dimensions(group_by))
    return whole, _summary_rows(sorted(groups.items(), key=lambda kv: _sort_key(kv[0])), group_by)


def timeseries_table(docs: Iterable[ViewRow], months: Sequence[str] = ()) -> Table:
    """Figures per month of receipt; `months` lists the months to show even when empty."""
    by_month = dict(_grouped(docs, ("month",)))
    wanted = list(months) or sorted(str(k[0]) for k in by_month)
    empty = summarise([])
    rows = [(m, *_summary_row(by_month.get((m,), empty))) for m in wanted]
    return Table(("month", *SUMMARY_COLUMNS), rows)


def sla_table(docs: Iterable[ViewRow], group_by: Sequence[str] = ()) -> Table:
    """Each deadline (s.38 answer and every SLA clock): met, missed, breaches, share met."""
    rows: list[tuple[Cell, ...]] = []
    for key, s in _grouped(docs, group_by):
        a = s.answered_in_15_days
        rows.append((*key, "s38_answer_15_days", a.met, a.missed, a.breaches, share(a.share_met)))
        for clock, c in s.sla.items():
            rows.append((*key, clock, c.met, c.missed, c.breaches, share(c.share_met)))
    return Table((*group_by, "deadline", "met", "missed", "breaches", "share_met"), rows)


def satisfaction_table(docs: Iterable[ViewRow], group_by: Sequence[str] = ()) -> Table:
    """Survey answers: responses, mean, distribution 1-5, solved, response rate."""
    rows: list[tuple[Cell, ...]] = []
    for key, s in _grouped(docs, group_by):
        sat = s.satisfaction
        rows.append(
            (
                *key,
                sat.responses,
                _r(sat.mean, 3),
                *(sat.distribution[r] for r in v.RATINGS),
                sat.solved,
                sat.not_solved,
                share(sat.response_rate),
            )
        )
    columns = (
        *group_by,
        "responses",
        "mean",
        *(f"rating_{r}" for r in v.RATINGS),
        "solved",
        "not_solved",
        "response_rate",
    )
    return Table(columns, rows)


def stages_table(docs: Iterable[ViewRow]) -> Table:
    """Time between milestones and in each status: cases, median, p90 and mean hours."""
    s = summarise(docs)
    rows: list[tuple[Cell, ...]] = []
    for kind, durations in (("span", s.spans), ("status", s.dwell)):
        for name, d in durations.items():
            rows.append(
                (
                    kind,
                    name,
                    d.n,
                    _r(d.median_hours, 1),
                    _r(d.p90_hours, 1),
                    _r(d.mean_hours, 1),
                )
            )
    return Table(("measure", "stage", "cases", "median_hours", "p90_hours", "mean_hours"), rows)


def status_table(docs: Iterable[ViewRow]) -> Table:
    """Open cases by status and closed cases by reason."""
    s = summarise(docs)
    rows: list[tuple[Cell, ...]] = [("open", k, n) for k, n in s.open_by_status.items()]
    rows += [("closed", k, n) for k, n in s.closed_by_reason.items()]
    return Table(("state", "status_or_reason", "cases"), rows)


def notifications_table(docs: Iterable[ViewRow]) -> Table:
    """Notifications sent and failed per delivery channel."""
    rows: list[tuple[Cell, ...]] = [
        (channel, c.sent, c.failed, c.failed_permanent, share(c.failure_rate))
        for channel, c in summarise_notifications(docs).items()
    ]
    return Table(("channel", "sent", "failed", "failed_permanent", "failure_rate"), rows)


def ita_table(stats: ItaComplaintStats) -> Table:
    """The ITA complaint statistics as one table: section, item, and its figures."""
    rows: list[tuple[Cell, ...]] = []
    t = stats.total
    rows.append(("total", "all", t.received, t.in_progress, t.completed, None))
    for channel, row in stats.by_channel.items():
        rows.append(("channel", channel, row.received, row.in_progress, row.completed, None))
    for (kind, ctype), row in stats.by_type.items():
        item = kind if kind != "complaint" else f"complaint:{ctype or 'none'}"
        rows.append(("type", item, row.received, row.in_progress, row.completed, None))
    for reason, n in stats.closed_by_reason.items():
        rows.append(("closed_by", reason, None, None, n, None))
    a = stats.answered_in_time
    rows.append(("answered_15_days", "met", None, None, None, a.met))
    rows.append(("answered_15_days", "missed", None, None, None, a.missed))
    rows.append(("answered_15_days", "share_met", None, None, None, share(a.share_met)))
    sat = stats.satisfaction
    rows.append(("satisfaction", "responses", None, None, None, sat.responses))
    rows.append(("satisfaction", "mean", None, None, None, _r(sat.mean, 3)))
    for rating, n in sat.distribution.items():
        rows.append(("satisfaction", f"rating_{rating}", None, None, None, n))
    rows.append(("satisfaction", "response_rate", None, None, None, share(sat.response_rate)))
    columns = ("section", "item", "received", "in_progress", "completed", "value")
    return Table(columns, rows)
