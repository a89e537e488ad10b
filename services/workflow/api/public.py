"""Public tracking: with the tracking code and the PIN shown once at submission, anyone
can follow their case — status, unit, dates, deadline and the public timeline. No
personal data, no internal comments, no staff names. After too many wrong PINs the code
is locked for a while, so a PIN cannot be guessed."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from services.workflow.adapters.case_store import clocks_of
from services.workflow.context import WorkflowContext, context_of
from services.workflow.handlers.tracking import TrackingLocked, TrackingNotFound, follow_case
from shared.contract.events import CaseStatus, Clock

NOT_FOUND = {"error": {"code": "not_found", "message": "no case with this tracking code and PIN"}}


class PublicTimelineEntry(BaseModel):
    at: datetime
    status: CaseStatus | None
    event: str
    message: str | None


class PublicCase(BaseModel):
    tracking_code: str
    status: CaseStatus
    kind: str
    category: str
    category_name_th: str
    category_name_en: str
    unit: str
    unit_name_th: str
    unit_name_en: str
    received_at: datetime
    answer_due_at: datetime | None
    closed: bool
    close_reason: str | None
    public_answer: str | None
    timeline: list[PublicTimelineEntry]


def public_timeline(entries: list[dict[str, Any]]) -> list[PublicTimelineEntry]:
    out = []
    for e in entries:
        if e.get("visibility") != "public":
            continue
        command = str(e.get("command"))
        if command == "comment" and not e.get("public_reason"):
            continue
        out.append(
            PublicTimelineEntry(
                at=e["at"], status=e.get("to_status"), event=command, message=e.get("public_reason")
            )
        )
    return out


router = APIRouter(prefix="/v1/public", tags=["public tracking"])


@router.get(
    "/cases/{tracking_code}",
    response_model=PublicCase,
    summary="Follow a case with its tracking code and PIN",
    responses={
        404: {"description": "unknown code or wrong PIN"},
        429: {"description": "too many wrong PINs: locked for a while"},
    },
)
async def track(
    tracking_code: str,
    ctx: Annotated[WorkflowContext, Depends(context_of)],
    pin: Annotated[str | None, Query(min_length=4, max_length=12)] = None,
    x_tracking_pin: Annotated[str | None, Header()] = None,
) -> Any:
    try:
        doc = await follow_case(ctx, tracking_code, pin or x_tracking_pin or "")
    except TrackingLocked as exc:
        wait = exc.wait_seconds
        return JSONResponse(
            {"error": {"code": "locked", "message": f"too many wrong PINs; try again in {wait} s"}},
            status_code=429,
            headers={"Retry-After": str(wait)},
        )
    except TrackingNotFound:
        return JSONResponse(NOT_FOUND, status_code=404)
    category = (
        ctx.catalogue.category(doc["category"])
        if doc["category"] in {c.code for c in ctx.catalogue.categories}
        else None
    )
    unit = ctx.catalogue.unit(doc["unit"])
    clocks = clocks_of(doc)
    resolution = clocks.get(Clock.resolution)
    return PublicCase(
        tracking_code=doc["tracking_code"],
        status=doc["status"],
        kind=doc["kind"],
        category=doc["category"],
        category_name_th=category.name_th if category else doc["category"],
        category_name_en=category.name_en if category else doc["category"],
        unit=unit.code,
        unit_name_th=unit.name_th,
        unit_name_en=unit.name_en,
        received_at=doc["received_at"],
        answer_due_at=resolution.due_at if resolution else None,
        closed=doc["status"] == CaseStatus.closed,
        close_reason=doc.get("close_reason"),
        public_answer=doc.get("public_answer"),
        timeline=public_timeline(doc.get("timeline", [])),
    )
