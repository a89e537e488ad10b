"""The participation report of a fiscal year's round: the views' cells, the plan's items
(names, and how stakeholders take part in each), the configured groups, the committees'
names and the surveys' item statements, put together by `domain.participation_report`."""

from __future__ import annotations

from dataclasses import dataclass, field

from services.reporting.adapters.participation_names import ItemName, Name, SurveyNames
from services.reporting.context import ReportingContext
from services.reporting.domain import views as v
from services.reporting.domain.participation_report import (
    ParticipationReport,
    UnknownRound,
    for_public,
    participation_report,
)
from services.reporting.errors import InvalidFilter


@dataclass(frozen=True, slots=True)
class NamedReport:
    report: ParticipationReport
    items: dict[str, ItemName]
    groups: dict[str, Name]
    committees: dict[str, Name] = field(default_factory=dict)
    surveys: dict[str, SurveyNames] = field(default_factory=dict)


async def participation(
    ctx: ReportingContext, fiscal_year: int, months: int, public: bool
) -> NamedReport:
    """The staff report, or the public one (small counts hidden, published outcomes only)."""
    query = {"fiscal_year": fiscal_year}
    consultations = await ctx.store.documents(v.CONSULTATIONS, query)
    outcomes = await ctx.store.documents(v.OUTCOMES, query)
    meetings = await ctx.store.documents(v.MEETINGS, query)
    reviews = await ctx.store.documents(v.REVIEWS, query)
    surveys = await ctx.store.documents(v.SURVEYS, query)
    # Every year's: a committee that met this year may have been appointed before it.
    orders = await ctx.store.documents(v.ORDERS)
    items = await ctx.missions.of_year(fiscal_year)
    try:
        report = participation_report(
            consultations,
            outcomes,
            fiscal_year,
            months,
            list(items),
            list(ctx.groups),
            meetings=meetings,
            orders=orders,
            reviews=reviews,
            surveys=surveys,
        )
    except UnknownRound as exc:
        raise InvalidFilter(f"round: {exc}") from exc
    committees = await ctx.records.committees()
    survey_names = await ctx.records.surveys(fiscal_year)
    return NamedReport(
        for_public(report) if public else report, items, ctx.groups, committees, survey_names
    )
