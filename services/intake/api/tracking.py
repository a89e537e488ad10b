"""`GET /v1/track/{tracking_code}`: the status of a submission, given its PIN."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from pydantic import BaseModel

from services.intake.api.errors import GuardedRoute
from services.intake.api.responses import json_response
from services.intake.context import IntakeContext, context_of
from services.intake.errors import PinRequired
from services.intake.handlers.track import track
from shared.contract.catalogue import UnknownCategory

router = APIRouter(prefix="/v1/track", tags=["tracking"], route_class=GuardedRoute)


class TrackingOut(BaseModel):
    tracking_code: str
    kind: str
    category: str
    category_name_th: str
    category_name_en: str
    channel: str
    status: str
    received_at: datetime
    updated_at: datetime


@router.get(
    "/{tracking_code}",
    summary="Status of a submission (no personal data); PIN in X-Tracking-PIN or ?pin=",
    response_model=TrackingOut,
)
async def track_submission(
    tracking_code: str,
    request: Request,
    intake: Annotated[IntakeContext, Depends(context_of)],
    pin: Annotated[str | None, Query(max_length=12)] = None,
    x_tracking_pin: Annotated[str | None, Header(max_length=12)] = None,
) -> Response:
    given = x_tracking_pin or pin
    if not given:
        raise PinRequired()
    # Every lookup spends a token: a brake on guessing the 10^6 PINs of a known code.
    intake.track_limiter.take(request.client.host if request.client else "unknown")
    status = await track(
        intake.records,
        tracking_code,
        given,
        pepper=intake.settings.tracking.pepper.encode(),
    )
    try:
        category = intake.catalogue.category(status.category)
        names = (category.name_th, category.name_en)
    except UnknownCategory:  # the catalogue changed since; the code still means something
        names = (status.category, status.category)
    out = TrackingOut(
        tracking_code=status.tracking_code,
        kind=status.kind,
        category=status.category,
        category_name_th=names[0],
        category_name_en=names[1],
        channel=status.channel,
        status=status.status,
        received_at=status.received_at,
        updated_at=status.updated_at,
    )
    return json_response(out.model_dump(mode="json"), headers={"Cache-Control": "no-store"})
