"""`GET /v1/track/{tracking_code}`: the public progress of a submission, given its PIN —
the one public tracking API (the page `/track/{code}` shows the same). No personal data,
no internal comments, no staff names. Too many wrong PINs lock the code for a while
(429 with Retry-After, even for the right PIN); each address is also rate-limited."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel

from services.intake.api.errors import GuardedRoute, refusals
from services.intake.api.responses import json_response
from services.intake.context import IntakeContext, context_of
from services.intake.domain.rate_limit import RateLimited
from services.intake.domain.tracking import TRACKING_CODE_PATTERN, InvalidTrackingCode
from services.intake.errors import PinRequired, TrackingLocked, TrackingNotFound
from services.intake.handlers.ports import StoreUnavailable
from services.intake.handlers.track import TrackingView
from shared.contract.catalogue import Catalogue, UnknownCategory
from shared.contract.events import CaseStatus

router = APIRouter(prefix="/v1/track", tags=["tracking"], route_class=GuardedRoute)


class PublicTimelineEntry(BaseModel):
    at: datetime
    status: CaseStatus | None
    event: str
    message: str | None


class TrackingOut(BaseModel):
    """What intake's tracking answered, and what workflow's public tracking answered
    (`unit` to `timeline`) before the two became this one door. The case's fields are
    empty until workflow has opened it."""

    tracking_code: str
    kind: str
    category: str
    category_name_th: str
    category_name_en: str
    channel: str
    status: CaseStatus
    received_at: datetime
    updated_at: datetime
    unit: str | None
    unit_name_th: str | None
    unit_name_en: str | None
    answer_due_at: datetime | None
    closed: bool
    close_reason: str | None
    public_answer: str | None
    timeline: list[PublicTimelineEntry]


def category_names(catalogue: Catalogue, code: str) -> tuple[str, str]:
    try:
        category = catalogue.category(code)
    except UnknownCategory:  # the catalogue changed since; the code still means something
        return code, code
    return category.name_th, category.name_en


def unit_names(catalogue: Catalogue, code: str) -> tuple[str, str]:
    try:
        unit = catalogue.unit(code)
    except KeyError:  # a unit the catalogue no longer lists
        return code, code
    return unit.name_th, unit.name_en


def tracking_out(view: TrackingView, catalogue: Catalogue) -> TrackingOut:
    record, case = view.record, view.case
    category = case.category if case else record.category
    names = category_names(catalogue, category)
    units = unit_names(catalogue, case.unit) if case else (None, None)
    return TrackingOut(
        tracking_code=record.tracking_code,
        kind=case.kind if case else record.kind,
        category=category,
        category_name_th=names[0],
        category_name_en=names[1],
        channel=record.channel,
        status=CaseStatus(view.status),
        received_at=record.received_at,
        updated_at=view.updated_at,
        unit=case.unit if case else None,
        unit_name_th=units[0],
        unit_name_en=units[1],
        answer_due_at=case.answer_due_at if case else None,
        closed=view.status == CaseStatus.closed,
        close_reason=case.close_reason if case else None,
        public_answer=case.public_answer if case else None,
        timeline=[
            PublicTimelineEntry(
                at=s.at,
                status=CaseStatus(s.status) if s.status else None,
                event=s.event,
                message=s.message,
            )
            for s in (case.timeline if case else ())
        ],
    )


@router.get(
    "/{tracking_code}",
    summary="Progress of a submission (no personal data); PIN in X-Tracking-PIN or ?pin=",
    response_model=TrackingOut,
    description=(
        "Give the PIN in `X-Tracking-PIN` or `?pin=` (one of the two is required). A code "
        "ends in a check symbol: one that does not check out is refused before any lookup."
    ),
    responses=refusals(
        TrackingNotFound,
        InvalidTrackingCode,
        PinRequired,
        RequestValidationError,
        RateLimited,
        TrackingLocked,
        StoreUnavailable,
    ),
)
async def track_submission(
    tracking_code: Annotated[
        str,
        # Documented, not validated here: the tracker answers a typo with its own problem.
        Path(json_schema_extra={"pattern": TRACKING_CODE_PATTERN, "format": "tracking-code"}),
    ],
    request: Request,
    intake: Annotated[IntakeContext, Depends(context_of)],
    pin: Annotated[str | None, Query(min_length=1, max_length=12)] = None,
    x_tracking_pin: Annotated[str | None, Header(min_length=1, max_length=12)] = None,
) -> Response:
    given = x_tracking_pin or pin
    if not given:
        raise PinRequired()
    # Every lookup spends a token: a brake on guessing across many codes from one address.
    intake.track_limiter.take(request.client.host if request.client else "unknown")
    view = await intake.tracker.follow(tracking_code, given)
    out = tracking_out(view, intake.catalogue)
    return json_response(out.model_dump(mode="json"), headers={"Cache-Control": "no-store"})
