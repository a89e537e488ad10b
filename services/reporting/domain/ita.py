"""The complaint statistics of an ITA (Integrity and Transparency Assessment) report.

For one fiscal year and, optionally, one half-year round (clause 2.6 of the
announcement): cases received, in progress and completed, the same by channel and by
type, the share answered in time (Royal Decree s.38, 15 days) and satisfaction. Counts
are of the cases received in the period. The page and CSV renderers take this structure
as it is; B.E. dates and Thai digits are theirs to format.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from services.reporting.domain.summary import (
    CaseSummary,
    Compliance,
    Satisfaction,
    ViewRow,
    select,
    summarise,
)
from shared.contract.events import Channel, ComplaintType, Kind
from shared.thai.fiscal import fiscal_year_bounds, round_bounds

#: The types an ITA table lists: complaints split by complaint type (None: not given),
#: then every other kind.
TYPE_ROWS: tuple[tuple[str, str | None], ...] = (
    *((str(Kind.complaint), str(t)) for t in ComplaintType),
    (str(Kind.complaint), None),
    *((str(k), None) for k in Kind if k is not Kind.complaint),
)


@dataclass(frozen=True, slots=True)
class ItaRow:
    """One line of a table: received, in progress and completed."""

    received: int
    in_progress: int
    completed: int


@dataclass(frozen=True, slots=True)
class ItaComplaintStats:
    """The ITA complaint statistics of one fiscal year (B.E.) and round (None = the year).

    `period_start` and `period_end` are aware Bangkok datetimes, end exclusive.
    `by_channel` lists every channel, `by_type` every row of `TYPE_ROWS`, zeros included,
    so the printed tables always have the same lines.
    """

    fiscal_year: int
    round: int | None
    period_start: datetime
    period_end: datetime
    total: ItaRow
    closed_by_reason: Mapping[str, int]
    by_channel: Mapping[str, ItaRow]
    by_type: Mapping[tuple[str, str | None], ItaRow]
    answered_in_time: Compliance
    satisfaction: Satisfaction


def _row(s: CaseSummary) -> ItaRow:
    return ItaRow(s.received, s.in_progress, s.completed)


def _of_type(docs: list[ViewRow], kind: str, ctype: str | None) -> list[ViewRow]:
    if kind == Kind.complaint:
        return select(docs, kind=kind, complaint_type=ctype)
    return select(docs, kind=kind)  # a complaint type on another kind is ignored


def ita_complaint_stats(
    docs: Iterable[ViewRow], fiscal_year: int, round_: int | None = None
) -> ItaComplaintStats:
    """The statistics from `report_cases` documents (others are filtered out here)."""
    if round_ is None:
        start, end = fiscal_year_bounds(fiscal_year)
        period = select(docs, fiscal_year=fiscal_year)
    else:
        start, end = round_bounds(fiscal_year, round_)
        period = select(docs, fiscal_year=fiscal_year, round=round_)
    whole = summarise(period)
    by_channel = {str(c): _row(summarise(select(period, channel=str(c)))) for c in Channel}
    by_type = {
        (kind, ctype): _row(summarise(_of_type(period, kind, ctype))) for kind, ctype in TYPE_ROWS
    }
    return ItaComplaintStats(
        fiscal_year=fiscal_year,
        round=round_,
        period_start=start,
        period_end=end,
        total=_row(whole),
        closed_by_reason=whole.closed_by_reason,
        by_channel=by_channel,
        by_type=by_type,
        answered_in_time=whole.answered_in_15_days,
        satisfaction=whole.satisfaction,
    )
