"""`POST /v1/submissions`: one front door for every channel. Translates HTTP to a `Receive`
command and the receipt back; the decisions live in the handler and the domain."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request, Response, Security
from fastapi.exceptions import RequestValidationError
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, ValidationError, WithJsonSchema

from services.intake.api.body import read_limited
from services.intake.api.errors import GuardedRoute, refusals
from services.intake.api.forms import read_submission_form
from services.intake.api.responses import json_response
from services.intake.context import IntakeContext, context_of
from services.intake.domain import idempotency
from services.intake.domain.api_keys import InvalidApiKey
from services.intake.domain.consultations import (
    ConsultationNotOpen,
    InvalidOpinion,
    UnknownConsultation,
)
from services.intake.domain.files import FileTooLarge, FileTypeRefused, SentFile, TooManyFiles
from services.intake.domain.form_body import CHECKBOXES, nest
from services.intake.domain.idempotency import IdempotencyKeyReused, InvalidIdempotencyKey
from services.intake.domain.rate_limit import RateLimited
from services.intake.domain.submission import (
    OPENAPI_EXAMPLES,
    SubmissionRequest,
    parse_submission,
)
from services.intake.errors import (
    NotAFormBody,
    PayloadTooLarge,
    StaffEntryOnly,
    Unavailable,
    UnsupportedMediaType,
)
from services.intake.handlers.ports import StoreUnavailable
from services.intake.handlers.receive import Receipt, Receive
from shared.contract.events import STAFF_KEYED_CHANNELS, Channel
from shared.infra import correlation

router = APIRouter(prefix="/v1/submissions", tags=["submissions"], route_class=GuardedRoute)


class ReceiptBody(BaseModel):
    """202 Accepted: the submission is durable (Kafka acks=all, or MongoDB majority+journal)."""

    submission_id: str
    tracking_code: str
    tracking_pin: str
    tracking_url: str


#: A channel's key; without one, the caller is the public web channel (hence the empty
#: alternative in the operation's `security`).
channel_key = APIKeyHeader(name="X-API-Key", auto_error=False, scheme_name="ChannelKey")


#: A submission with files: the JSON body's fields by their dotted names, as the web form
#: and staff entry send them, and the files (its schema: `SubmissionForm`, built with the
#: catalogue and the file limit by the app).
FORM_MEDIA = "multipart/form-data"

_REQUEST_BODY: dict[str, Any] = {
    "security": [{}],
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/SubmissionRequest"},
                "examples": OPENAPI_EXAMPLES,
            },
            FORM_MEDIA: {"schema": {"$ref": "#/components/schemas/SubmissionForm"}},
        },
    },
}


async def resolve_channel(request: Request, intake: IntakeContext, api_key: str | None) -> Channel:
    """The caller's channel from its key (none: the rate-limited public web channel).
    Phone, walk-in and letter are keyed in by signed-in staff
    (`POST /v1/staff/submissions`), who are recorded from their token: a key of those
    channels submits nothing here, whatever header names a keyer."""
    if api_key is None:
        address = request.client.host if request.client else "unknown"
        await intake.web_limiter.take(address)
        return Channel.web
    channel = await intake.keys.channel_of(api_key)
    if channel in STAFF_KEYED_CHANNELS:
        raise StaffEntryOnly(channel.value)
    return channel


def _media_type(request: Request) -> str:
    """JSON or a multipart form (with files); anything else is 415."""
    media = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json") and media != FORM_MEDIA:
        raise UnsupportedMediaType(media)
    return media


async def _read(
    request: Request, intake: IntakeContext
) -> tuple[SubmissionRequest, tuple[SentFile, ...]]:
    """The body and the files sent with it: a JSON body has none; a form's are read no
    further than the file limits allow and checked by content (413, 415)."""
    if _media_type(request) != FORM_MEDIA:
        raw = await read_limited(request, intake.settings.max_body_bytes)
        return parse_submission(raw, intake.catalogue), ()
    form = await read_submission_form(request, intake.file_rules)
    body = nest(form.fields)
    consent = body.get("consent")
    if isinstance(consent, dict):
        for box in CHECKBOXES:
            if box in form.fields:
                given = form.fields[box].strip()
                # Anything but true or false goes to the model as given: 422 naming it.
                consent[box.split(".", 1)[1]] = {"true": True, "false": False}.get(
                    given, form.fields[box]
                )
    request_body = parse_submission(body, intake.catalogue)
    return request_body, form.checked_files(intake.file_rules)


@router.post(
    "",
    status_code=202,
    summary="Submit a complaint, feedback, suggestion, compliment or question",
    description=(
        "The channel comes from `X-API-Key` (no key: the public web channel, rate-limited "
        "per address). Phone, walk-in and letter entries are keyed in by signed-in staff "
        "through `POST /v1/staff/submissions` (a key of those channels is 403 here). "
        "`location` is the place: an address (`text`) and/or a point (`lat`, `lon`, "
        "WGS84; both or neither). A retry with the same `Idempotency-Key` returns the first answer; "
        "while the first attempt is still being stored, 503 with `Retry-After`. "
        "An opinion on a consultation carries `consultation_id` (and may carry "
        "`stakeholder_group` and `answers`): 422 naming the field when the consultation is "
        "unknown or does not ask that group or question, 409 when it takes no opinions now. "
        "Photos and documents go with a `multipart/form-data` body instead of JSON: the "
        "same fields by their dotted names (`contact.email`, `location.text`, "
        "`consent.contact_me=true`, `answers.<question>`) and files `attachment1`... "
        "(JPEG, PNG or PDF by content; more files or a larger one than the office "
        "allows is 413, another type 415, naming the field). They are shown only to the "
        "staff the case is assigned to. "
        "202 means durable (with its files); 503 with `Retry-After` means nothing was stored."
    ),
    openapi_extra=_REQUEST_BODY,
    response_model=ReceiptBody,
    responses=refusals(
        InvalidApiKey,
        PayloadTooLarge,
        TooManyFiles,
        FileTooLarge,
        NotAFormBody,
        UnsupportedMediaType,
        FileTypeRefused,
        ValidationError,
        RequestValidationError,
        StaffEntryOnly,
        InvalidIdempotencyKey,
        IdempotencyKeyReused,
        UnknownConsultation,
        InvalidOpinion,
        ConsultationNotOpen,
        RateLimited,
        Unavailable,
        StoreUnavailable,
    ),
)
async def submit(
    request: Request,
    intake: Annotated[IntakeContext, Depends(context_of)],
    x_api_key: Annotated[str | None, Security(channel_key)] = None,
    idempotency_key: Annotated[
        str | None,
        Header(description="One submission's key: a retry with it returns the first answer"),
        # Documented, not validated here: `check_key` answers with its own problem.
        WithJsonSchema({"type": "string", "pattern": idempotency.KEY_PATTERN}),
    ] = None,
) -> Response:
    count = intake.metrics.submissions
    channel_label = "web" if x_api_key is None else "keyed"
    try:
        channel = await resolve_channel(request, intake, x_api_key)
        channel_label = channel.value
        key = idempotency.check_key(idempotency_key) if idempotency_key is not None else None
        body, files = await _read(request, intake)
    except RateLimited:
        count.labels(channel_label, "unknown", "rate_limited").inc()
        raise
    except Exception:
        count.labels(channel_label, "unknown", "rejected").inc()
        raise
    try:
        receipt = await intake.reception.receive(
            Receive(
                body=body,
                channel=channel,
                idempotency_key=key,
                correlation_id=correlation.current(),
                files=files,
            )
        )
    except (IdempotencyKeyReused, UnknownConsultation, InvalidOpinion, ConsultationNotOpen):
        count.labels(channel.value, body.kind.value, "rejected").inc()
        raise
    except Unavailable:
        count.labels(channel.value, body.kind.value, "unavailable").inc()
        raise
    return accepted(intake, receipt, channel, body)


def accepted(
    intake: IntakeContext, receipt: Receipt, channel: Channel, body: SubmissionRequest
) -> Response:
    outcome = "duplicate" if receipt.replayed else "accepted"
    intake.metrics.submissions.labels(channel.value, body.kind.value, outcome).inc()
    headers = {"Location": f"/v1/track/{receipt.tracking_code}", "Cache-Control": "no-store"}
    if receipt.replayed:
        headers["Idempotent-Replayed"] = "true"
    else:
        intake.metrics.time_to_durable.labels(receipt.durable_via).observe(
            receipt.seconds_to_durable
        )
        headers["X-Durable-Via"] = receipt.durable_via
    return json_response(receipt.body(), status_code=202, headers=headers)
