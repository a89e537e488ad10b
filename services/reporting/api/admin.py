"""Operations on the reporting views: recompute them from the events."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from services.reporting.api.access import Caller, require_admin
from services.reporting.context import ReportingContext, context_of
from services.reporting.errors import SIGNED_IN, Forbidden, refusals
from services.reporting.handlers.rebuild import RebuildConflict, RebuildInProgress

router = APIRouter(prefix="/v1/admin", tags=["operations"])


@router.post(
    "/rebuild",
    summary="Recompute every view from the events and swap them in",
    responses=refusals(*SIGNED_IN, Forbidden, RebuildInProgress, RebuildConflict),
)
async def rebuild(
    ctx: Annotated[ReportingContext, Depends(context_of)], caller: Caller
) -> dict[str, Any]:
    require_admin(caller)
    started = time.perf_counter()
    report = await ctx.rebuilder.run()
    ctx.metrics.rebuild_duration.observe(time.perf_counter() - started)
    ctx.metrics.rebuild_seconds.set(report.seconds)
    return {
        "version": report.version,
        "previous": report.previous,
        "events": report.events,
        "cases": report.cases,
        "caught_up": report.caught_up,
        "seconds": round(report.seconds, 3),
    }
