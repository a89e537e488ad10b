"""Server-rendered pages: the staff dashboard, the public transparency page and the
printable ITA report. Thai by default (`?lang=en`), charts as inline SVG, no external
asset and no script, so they work offline and print as they look."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.reporting.api.access import Caller, unit_scope, visible_cells
from services.reporting.api.csv_export import csv_response
from services.reporting.api.public import current_fiscal_year, transparency
from services.reporting.context import ReportingContext, context_of
from services.reporting.domain import tables
from services.reporting.domain import views as v
from services.reporting.domain.ita import TYPE_ROWS, ita_complaint_stats
from services.reporting.domain.participation_report import participation_table
from services.reporting.domain.summary import summarise, summarise_by
from services.reporting.errors import InvalidFilter
from services.reporting.handlers.participation import NamedReport, participation
from services.reporting.web.charts import bar_chart, column_chart
from services.reporting.web.pdf import participation_pdf
from services.reporting.web.texts import Texts
from shared.contract.events import Channel, Kind
from shared.infra.sign_in import signed_in, to_sign_in
from shared.thai.fiscal import fiscal_months
from shared.web import assets

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    auto_reload=False,
)
_ENV.globals.update(bar_chart=bar_chart, column_chart=column_chart)
assets.use_in(_ENV)

Lang = Annotated[str, Query(pattern="^(th|en)$")]
Year = Annotated[int | None, Query(ge=2400, le=2800)]
Round = Annotated[int | None, Query(ge=1, le=2)]


def _render(request: Request, template: str, t: Texts, **values: Any) -> HTMLResponse:
    other = "en" if t.lang == "th" else "th"
    params = dict(request.query_params)
    params["lang"] = other
    html = _ENV.get_template(template).render(
        t=t, lang=t.lang, switch_url=f"{request.url.path}?{urlencode(params)}", **values
    )
    headers = {"Cache-Control": "no-store", "Content-Language": t.lang}
    return HTMLResponse(html, headers=headers)


async def _texts(ctx: ReportingContext, lang: str, thai_digits: bool = False) -> Texts:
    # The units as an admin named and added them, so a report shows today's names.
    return Texts(lang, await ctx.units.catalogue(), thai_digits)


def _office(ctx: ReportingContext, t: Texts) -> str:
    s = ctx.settings
    return s.office_name_th if t.lang == "th" else s.office_name_en


router = APIRouter(include_in_schema=False)


@router.get("/dashboard/sign-in")
async def sign_in(
    request: Request, ctx: Annotated[ReportingContext, Depends(context_of)], lang: Lang = "th"
) -> RedirectResponse:
    """Staff sign in once, at the console, whose cookie opens these pages too: an old
    bookmark of this address leads to the dashboard, through the sign-in if need be."""
    dashboard = request.url_for("dashboard").include_query_params(lang=lang)
    if await signed_in(request, ctx.sessions) is not None:
        return RedirectResponse(str(dashboard), status_code=303)
    return to_sign_in(ctx.settings.auth, request, dashboard)


@router.get("/dashboard")
async def dashboard(
    request: Request,
    ctx: Annotated[ReportingContext, Depends(context_of)],
    caller: Caller,
    lang: Lang = "th",
    fiscal_year: Year = None,
    round: Round = None,
    unit: Annotated[str | None, Query(max_length=40)] = None,
) -> HTMLResponse:
    t = await _texts(ctx, lang)
    year = fiscal_year or current_fiscal_year()
    scope = unit_scope(caller, unit or None)
    query: dict[str, Any] = {"fiscal_year": year}
    if round is not None:
        query["round"] = round
    if scope is not None:
        query["unit"] = scope
    docs = visible_cells(caller, await ctx.store.documents(v.CASES, query))
    notes = await ctx.store.documents(
        v.NOTIFICATIONS, {k: x for k, x in query.items() if k != "unit"}
    )
    s = summarise(docs)
    months = fiscal_months(year, round)
    by_month = summarise_by(docs, ("month",))
    by_channel = summarise_by(docs, ("channel",))
    by_unit = summarise_by(docs, ("unit",))
    csv_params = urlencode({k: x for k, x in query.items()} | {"format": "csv"})
    newest = await ctx.store.newest_event_time()
    return _render(
        request,
        "dashboard.html",
        t,
        caller=caller,
        year=year,
        round=round,
        scope=scope,
        units=[u.code for u in t.catalogue.units] if scope is None else [],
        s=s,
        month_items=[
            (t.month(m), by_month[(m,)].received if (m,) in by_month else 0) for m in months
        ],
        channel_items=[
            (t[f"channel.{c}"], by_channel[(str(c),)].received)
            for c in Channel
            if (str(c),) in by_channel
        ],
        unit_items=sorted(
            ((t.unit(k[0]), x.received) for k, x in by_unit.items()), key=lambda i: -(i[1] or 0)
        ),
        status_items=[(t[f"status.{k}"], n) for k, n in s.open_by_status.items()]
        + [(t[f"reason.{k}"], n) for k, n in s.closed_by_reason.items()],
        rating_items=[(str(r), n) for r, n in s.satisfaction.distribution.items()],
        sla=tables.sla_table(docs).records(),
        stages=[(name, d) for name, d in s.spans.items()],
        notifications=tables.notifications_table(notes).records(),
        csv_params=csv_params,
        newest=newest,
        years=range(year - 2, year + 2),
    )


@router.get("/transparency")
async def transparency_page(
    request: Request,
    ctx: Annotated[ReportingContext, Depends(context_of)],
    lang: Lang = "th",
    fiscal_year: Year = None,
) -> HTMLResponse:
    t = await _texts(ctx, lang)
    report = await transparency(ctx, fiscal_year)
    return _render(
        request,
        "transparency.html",
        t,
        r=report,
        office=_office(ctx, t),
        years=range(report.fiscal_year - 2, report.fiscal_year + 1),
        category_items=[(t.category(k), n) for k, n in report.by_category.items()],
        channel_items=[(t[f"channel.{k}"], n) for k, n in report.by_channel.items()],
        kind_items=[(t[f"kind.{k}"], n) for k, n in report.by_kind.items()],
    )


@router.get("/reports/ita")
async def ita_report(
    request: Request,
    ctx: Annotated[ReportingContext, Depends(context_of)],
    caller: Caller,
    fiscal_year: Year = None,
    round: Round = None,
    thai_digits: Annotated[bool, Query()] = False,
    lang: Lang = "th",
    unit: Annotated[str | None, Query(max_length=40)] = None,
    format: Annotated[str, Query(pattern="^(html|csv)$")] = "html",
) -> Response:
    year = fiscal_year or current_fiscal_year()
    if round not in (None, 1, 2):
        raise InvalidFilter("round must be 1 or 2")
    scope = unit_scope(caller, unit or None)
    query: dict[str, Any] = {"fiscal_year": year}
    if scope is not None:
        query["unit"] = scope
    cells = visible_cells(caller, await ctx.store.documents(v.CASES, query))
    stats = ita_complaint_stats(cells, year, round)
    if format == "csv":
        name = f"siang-ita-{year}" + (f"-round{round}" if round else "")
        return csv_response(tables.ita_table(stats), name)
    t = await _texts(ctx, lang, thai_digits)
    type_labels = {
        (kind, ctype): t[f"complaint_type.{ctype or 'none'}"]
        if kind == Kind.complaint
        else t[f"kind.{kind}"]
        for kind, ctype in TYPE_ROWS
    }
    return _render(
        request,
        "ita.html",
        t,
        st=stats,
        office=_office(ctx, t),
        scope=scope,
        first_day=stats.period_start,
        last_day=stats.period_end - timedelta(days=1),
        generated=datetime.now(UTC),
        type_labels=type_labels,
    )


# ------------------------------------------------------------ participation (2.6)

Months = Annotated[int, Query(description="6: October–March; 12: the whole fiscal year")]
ReportFormat = Annotated[str, Query(pattern="^(html|csv|pdf)$")]


async def _participation_answer(
    request: Request,
    ctx: ReportingContext,
    named: NamedReport,
    lang: str,
    format: str,
    template: str,
) -> Response:
    report = named.report
    name = f"siang-participation-{report.fiscal_year}-{report.months}m" + (
        "-public" if report.public else ""
    )
    if format == "csv":
        return csv_response(participation_table(report), name)
    t = await _texts(ctx, lang)
    generated = datetime.now(UTC)
    if format == "pdf":
        body = participation_pdf(
            report,
            t,
            _office(ctx, t),
            named.items,
            named.groups,
            generated,
            committees=named.committees,
            surveys=named.surveys,
        )
        return Response(
            body,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'inline; filename="{name}.pdf"',
                "Cache-Control": "no-store",
            },
        )
    params = {"fy": report.fiscal_year, "round": report.months, "lang": lang}
    return _render(
        request,
        template,
        t,
        r=report,
        office=_office(ctx, t),
        items=named.items,
        groups=named.groups,
        committees=named.committees,
        surveys=named.surveys,
        generated=generated,
        years=range(report.fiscal_year - 2, report.fiscal_year + 2),
        page_params=urlencode(params),
        csv_params=urlencode(params | {"format": "csv"}),
        pdf_params=urlencode(params | {"format": "pdf"}),
    )


def _months(round: int) -> int:
    if round not in (6, 12):
        raise InvalidFilter("round must be 6 (October–March) or 12 (the whole year)")
    return round


@router.get("/reports/participation")
async def participation_report_page(
    request: Request,
    ctx: Annotated[ReportingContext, Depends(context_of)],
    caller: Caller,
    fy: Year = None,
    round: Months = 12,
    lang: Lang = "th",
    format: ReportFormat = "html",
) -> Response:
    """The participation report for staff (every signed-in role; office-wide, not per
    unit): counts in full and every outcome, published or not."""
    named = await participation(ctx, fy or current_fiscal_year(), _months(round), public=False)
    return await _participation_answer(request, ctx, named, lang, format, "participation.html")


@router.get("/transparency/participation")
async def participation_public_page(
    request: Request,
    ctx: Annotated[ReportingContext, Depends(context_of)],
    fy: Year = None,
    round: Months = 12,
    lang: Lang = "th",
    format: ReportFormat = "html",
) -> Response:
    """The participation report for anyone: small counts hidden, published outcomes only."""
    named = await participation(ctx, fy or current_fiscal_year(), _months(round), public=True)
    return await _participation_answer(request, ctx, named, lang, format, "participation.html")
