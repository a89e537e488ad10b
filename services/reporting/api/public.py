"""The public transparency figures as JSON (announcement clause 1.1): no sign-in, no
personal data (the views hold none), and small cells suppressed by `domain.public`."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.exceptions import RequestValidationError
from pymongo.errors import PyMongoError

from services.reporting.context import ReportingContext, context_of
from services.reporting.domain import views as v
from services.reporting.domain.public import SMALL_CELL, TransparencyReport, transparency_report
from services.reporting.errors import refusals
from shared.thai.fiscal import fiscal_year

FiscalYear = Annotated[int | None, Query(ge=2400, le=2800, description="B.E., e.g. 2570")]


def current_fiscal_year() -> int:
    return fiscal_year(datetime.now(UTC))


async def transparency(ctx: ReportingContext, year: int | None) -> TransparencyReport:
    """The suppressed public figures of one fiscal year (the current one by default)."""
    year = year or current_fiscal_year()
    docs = await ctx.store.documents(v.CASES, {"fiscal_year": year})
    return transparency_report(docs, year)


router = APIRouter(prefix="/v1/public", tags=["public"])


@router.get(
    "/transparency",
    summary="Public figures of a fiscal year, small cells suppressed",
    responses=refusals(RequestValidationError, PyMongoError),
)
async def public_transparency(
    ctx: Annotated[ReportingContext, Depends(context_of)], fiscal_year: FiscalYear = None
) -> Any:
    report = await transparency(ctx, fiscal_year)
    body: dict[str, Any] = asdict(report)
    body["suppression"] = {
        "threshold": SMALL_CELL,
        "note": "null means fewer than 5 cases, or a figure that would reveal one",
    }
    return body
