"""`GET /v1/track/{tracking_code}`: the public progress of a submission, given its PIN —
the one public tracking API (the page `/track/{code}` shows the same). No personal data,
no internal comments, no staff names. Too many wrong PINs lock the code for a while
(429 with Retry-After, even for the right PIN); each address is also rate-limited.

On the same door, with the PIN in `X-Tracking-PIN` (never in the URL of a change): the
complainant adds information (`POST .../information`) or withdraws (`POST
.../withdrawal`); each is durable in intake's outbox before the 202, and a closed case
answers 409."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import WithJsonSchema

from services.intake.api.body import read_limited
from services.intake.api.errors import GuardedRoute, refusals
from services.intake.api.responses import json_response
from services.intake.context import IntakeContext, context_of
from services.intake.domain import idempotency
from services.intake.domain.follow_up import FollowUpBody, WithdrawalBody
from services.intake.domain.idempotency import InvalidIdempotencyKey
from services.intake.domain.rate_limit import RateLimited
from services.intake.domain.tracking import TRACKING_CODE_PATTERN, InvalidTrackingCode
from services.intake.errors import (
    CaseClosed,
    NotWithdrawable,
    PayloadTooLarge,
    PinRequired,
    TrackingLocked,
    TrackingNotFound,
    UnsupportedMediaType,
)
from services.intake.handlers.follow_up import Accepted
from services.intake.handlers.ports import StoreUnavailable
from services.intake.handlers.track import TrackingView
from shared.contract.catalogue import Catalogue, UnknownCategory
from shared.contract.events import CaseStatus
from shared.infra import correlation

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
    await intake.track_limiter.take(request.client.host if request.client else "unknown")
    view = await intake.tracker.follow(tracking_code, given)
    out = tracking_out(view, await intake.units.catalogue())
    return json_response(out.model_dump(mode="json"), headers={"Cache-Control": "no-store"})


# ------------------------------------------------------------ the complainant's changes

# Follow-ups are a few lines of text: well under the submission limit.
_FOLLOW_UP_BYTES = 32 * 1024

TrackingCode = Annotated[
    str, Path(json_schema_extra={"pattern": TRACKING_CODE_PATTERN, "format": "tracking-code"})
]
PinHeader = Annotated[
    str | None,
    Header(
        min_length=1,
        max_length=12,
        description="The submission's PIN (required; never in the URL of a change)",
    ),
]
KeyHeader = Annotated[
    str | None,
    Header(description="One request's key: sent again, it changes nothing more"),
    WithJsonSchema({"type": "string", "pattern": idempotency.KEY_PATTERN}),
]


class AcceptedOut(BaseModel):
    """A follow-up or withdrawal made durable: the workflow applies it to the case."""

    id: str
    tracking_code: str
    replayed: bool


def _body_of(model: type[BaseModel]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": model is FollowUpBody,
            "content": {"application/json": {"schema": model.model_json_schema()}},
        }
    }


async def _json(request: Request) -> bytes:
    media = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise UnsupportedMediaType(media)
    return await read_limited(request, _FOLLOW_UP_BYTES)


def _key(given: str | None) -> str:
    return idempotency.check_key(given) if given is not None else str(uuid.uuid4())


def _accepted(done: Accepted) -> Response:
    body = AcceptedOut(id=done.id, tracking_code=done.tracking_code, replayed=done.replayed)
    headers = {"Cache-Control": "no-store", "Location": f"/v1/track/{done.tracking_code}"}
    return json_response(body.model_dump(mode="json"), status_code=202, headers=headers)


_CHANGE_REFUSALS = (
    TrackingNotFound,
    InvalidTrackingCode,
    PinRequired,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationError,
    RequestValidationError,
    InvalidIdempotencyKey,
    CaseClosed,
    RateLimited,
    TrackingLocked,
    StoreUnavailable,
)


@router.post(
    "/{tracking_code}/information",
    status_code=202,
    summary="Add information to your case (PIN in X-Tracking-PIN)",
    description=(
        "The complainant's words (`text`, up to 5,000 characters) join the case's timeline, "
        "which staff and the public tracking read; a case waiting for information goes back "
        "to work and its deadline clock runs again. 202 means durable. A closed case is a "
        "409. Wrong PINs count towards the code's lock-out, as on `GET`."
    ),
    response_model=AcceptedOut,
    openapi_extra=_body_of(FollowUpBody),
    responses=refusals(*_CHANGE_REFUSALS),
)
async def add_information(
    tracking_code: TrackingCode,
    request: Request,
    intake: Annotated[IntakeContext, Depends(context_of)],
    x_tracking_pin: PinHeader = None,
    idempotency_key: KeyHeader = None,
) -> Response:
    if not x_tracking_pin:
        raise PinRequired()
    key = _key(idempotency_key)
    body = FollowUpBody.model_validate_json(await _json(request))
    await intake.track_limiter.take(request.client.host if request.client else "unknown")
    done = await intake.complainant.add(
        tracking_code, x_tracking_pin, body.text, key=key, correlation_id=correlation.current()
    )
    return _accepted(done)


@router.post(
    "/{tracking_code}/withdrawal",
    status_code=202,
    summary="Withdraw your case (PIN in X-Tracking-PIN)",
    description=(
        "Closes the case as withdrawn, with the `reason` if given. Only while the office "
        "still has work to do on it: a case already answered, or already withdrawn, is a "
        "409, as is a closed one. 202 means durable."
    ),
    response_model=AcceptedOut,
    openapi_extra=_body_of(WithdrawalBody),
    responses=refusals(*_CHANGE_REFUSALS, NotWithdrawable),
)
async def withdraw(
    tracking_code: TrackingCode,
    request: Request,
    intake: Annotated[IntakeContext, Depends(context_of)],
    x_tracking_pin: PinHeader = None,
    idempotency_key: KeyHeader = None,
) -> Response:
    if not x_tracking_pin:
        raise PinRequired()
    key = _key(idempotency_key)
    raw = await _json(request)
    body = WithdrawalBody.model_validate_json(raw) if raw.strip() else WithdrawalBody()
    await intake.track_limiter.take(request.client.host if request.client else "unknown")
    done = await intake.complainant.withdraw(
        tracking_code,
        x_tracking_pin,
        body.given_reason,
        key=key,
        correlation_id=correlation.current(),
    )
    return _accepted(done)
