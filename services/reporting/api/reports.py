"""The staff report API: summary, time series, SLA compliance, satisfaction, stages,
statuses and notifications, each as JSON or (`?format=csv`) as CSV of the same table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response

from services.reporting.api.access import Caller, sees_misconduct, unit_scope, without_misconduct
from services.reporting.api.csv_export import csv_response
from services.reporting.api.filters import Filters
from services.reporting.context import ReportingContext, context_of
from services.reporting.domain import tables
from services.reporting.domain import views as v
from services.reporting.domain.summary import CaseSummary, Compliance, summarise
from services.reporting.domain.tables import Table, share
from services.reporting.errors import SIGNED_IN, Forbidden, refusals
from services.reporting.read_cache.cells import Cell
from shared.contract.events import ComplaintType
from shared.thai.fiscal import fiscal_months

T = TypeVar("T")

Query_ = Annotated[Filters, Query()]


def _compliance(c: Compliance) -> dict[str, Any]:
    return {
        "met": c.met,
        "missed": c.missed,
        "breaches": c.breaches,
        "share_met": share(c.share_met),
    }


def summary_json(s: CaseSummary) -> dict[str, Any]:
    """Every figure of a summary, nested for reading."""
    sat = s.satisfaction
    return {
        "received": s.received,
        "in_progress": s.in_progress,
        "completed": s.completed,
        "open_by_status": dict(s.open_by_status),
        "closed": s.closed,
        "closed_by_reason": dict(s.closed_by_reason),
        "resolved": s.resolved_ever,
        "reopened": s.reopened,
        "merged": s.merged,
        "answered_within_15_days": _compliance(s.answered_in_15_days),
        "sla": {clock: _compliance(c) for clock, c in s.sla.items()},
        "sla_warnings": dict(s.warnings),
        "stages_hours": {
            name: {"cases": d.n, "median": d.median_hours, "p90": d.p90_hours, "mean": d.mean_hours}
            for name, d in s.spans.items()
        },
        "time_in_status_hours": {
            name: {"cases": d.n, "median": d.median_hours, "p90": d.p90_hours, "mean": d.mean_hours}
            for name, d in s.dwell.items()
        },
        "satisfaction": {
            "responses": sat.responses,
            "mean": sat.mean,
            "distribution": {str(r): n for r, n in sat.distribution.items()},
            "solved": sat.solved,
            "not_solved": sat.not_solved,
            "response_rate": share(sat.response_rate),
        },
    }


async def remembered(
    ctx: ReportingContext,
    caller: Caller,
    filters: Filters,
    name: str,
    compute: Callable[[list[Cell]], T],
) -> tuple[T, str | None]:
    """`compute` over the `report_cases` documents the filters select within the caller's
    scope, remembered until the views change; and that scope (the unit, or None)."""
    unit = unit_scope(caller, filters.unit)
    if sees_misconduct(caller):
        chosen = compute
    else:
        if filters.complaint_type == ComplaintType.misconduct:
            raise Forbidden("misconduct complaints are counted in supervisors' reports only")
        name = f"{name}:without-misconduct"

        def chosen(docs: list[Cell]) -> T:
            return compute(without_misconduct(docs))

    # The format only shapes the response, built afresh each time from what is remembered.
    key = f"{name}:{filters.model_dump_json(exclude={'format'})}"
    value = await ctx.store.answer(v.CASES, filters.query(unit), key, chosen)
    return value, unit


def _answer(
    table: Table, filters: Filters, unit: str | None, name: str
) -> Response | dict[str, Any]:
    if filters.format == "csv":
        return csv_response(table, f"siang-{name}-{filters.fiscal_year or 'all'}")
    return {"filters": filters.echo(unit), "columns": list(table.columns), "rows": table.records()}


#: Every report answers JSON, or with `?format=csv` the same table as CSV.
AS_JSON_OR_CSV: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The report (JSON), or its table as CSV with `format=csv`",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}

router = APIRouter(
    prefix="/v1/reports",
    tags=["reports"],
    responses={
        **AS_JSON_OR_CSV,
        **refusals(*SIGNED_IN, Forbidden, RequestValidationError),
    },
)


def table_endpoint(name: str, build: Callable[[list[Cell], Filters], Table], doc: str) -> None:
    """`GET /v1/reports/<name>`: the table `build` makes of the filtered views."""

    async def endpoint(
        ctx: Annotated[ReportingContext, Depends(context_of)], caller: Caller, filters: Query_
    ) -> Any:
        table, unit = await remembered(
            ctx, caller, filters, name, lambda docs: build(docs, filters)
        )
        return _answer(table, filters, unit, name)

    router.add_api_route(f"/{name}", endpoint, methods=["GET"], summary=doc, name=name)


@router.get("/summary", summary="Headline figures for the filters, optionally grouped")
async def summary(
    ctx: Annotated[ReportingContext, Depends(context_of)], caller: Caller, filters: Query_
) -> Any:
    if filters.format == "csv":
        table, _ = await remembered(
            ctx,
            caller,
            filters,
            "summary-table",
            lambda docs: tables.summary_table(docs, filters.group_by),
        )
        return csv_response(table, f"siang-summary-{filters.fiscal_year or 'all'}")
    (summary_, groups), unit = await remembered(
        ctx,
        caller,
        filters,
        "summary",
        lambda docs: (
            tables.summary_and_table(docs, filters.group_by)
            if filters.group_by
            else (summarise(docs), None)
        ),
    )
    body: dict[str, Any] = {"filters": filters.echo(unit), "summary": summary_json(summary_)}
    if groups is not None:
        body["groups"] = groups.records()
    return body


table_endpoint(
    "timeseries",
    lambda docs, f: tables.timeseries_table(
        docs, fiscal_months(f.fiscal_year, f.round) if f.fiscal_year and not f.month else ()
    ),
    "Figures per month of receipt",
)
table_endpoint(
    "sla",
    lambda docs, f: tables.sla_table(docs, f.group_by),
    "Deadlines met and missed: s.38 (15 days) and each SLA clock",
)
table_endpoint(
    "satisfaction",
    lambda docs, f: tables.satisfaction_table(docs, f.group_by),
    "Survey answers: count, mean, distribution, response rate",
)
table_endpoint("stages", lambda docs, f: tables.stages_table(docs), "Median and p90 time per stage")
table_endpoint(
    "statuses", lambda docs, f: tables.status_table(docs), "Open by status, closed by reason"
)


@router.get("/notifications", summary="Notifications sent and failed per channel")
async def notifications(
    ctx: Annotated[ReportingContext, Depends(context_of)], caller: Caller, filters: Query_
) -> Any:
    # Not per unit: every signed-in member of staff sees the delivery figures.
    q = {k: val for k, val in filters.query(None).items() if k in v.NOTIFICATION_KEY}
    docs = await ctx.store.documents(v.NOTIFICATIONS, q)
    return _answer(tables.notifications_table(docs), filters, None, "notifications")
