"""`POST /v1/staff/submissions`: a member of staff keys in what a person told the office by
phone, at the counter, or in a letter. The keyer is the signed-in account of the bearer
token (checked against the account by `shared.infra.sessions`), never a header or a field;
the rest is the web form's vocabulary plus the channel and, for a letter, its registry
number, date and scan. Translates HTTP to a `Receive` and the receipt back."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError, WithJsonSchema

from services.intake.api.errors import GuardedRoute, refusals
from services.intake.api.forms import read_submission_form
from services.intake.api.submissions import ReceiptBody, accepted
from services.intake.context import IntakeContext, context_of
from services.intake.domain import idempotency
from services.intake.domain.consultations import (
    ConsultationNotOpen,
    InvalidOpinion,
    UnknownConsultation,
)
from services.intake.domain.files import FileTooLarge, FileTypeRefused, TooManyFiles, file_fields
from services.intake.domain.form_body import nest
from services.intake.domain.idempotency import IdempotencyKeyReused, InvalidIdempotencyKey
from services.intake.domain.staff_entry import LETTER_NUMBER, parse_staff_entry
from services.intake.errors import (
    NotAFormBody,
    PayloadTooLarge,
    StaffRoleRequired,
    Unavailable,
)
from services.intake.handlers.ports import StoreUnavailable
from services.intake.handlers.receive import Receive
from shared.contract.events import STAFF_KEYED_CHANNELS, ComplaintType, Kind, Language
from shared.infra import correlation
from shared.infra.auth import InvalidCredentials, Principal, StaffRole

router = APIRouter(prefix="/v1/staff/submissions", tags=["staff entry"], route_class=GuardedRoute)

#: Who keys in submissions: those who handle cases (not committee members or
#: participation coordinators, who read reports).
KEYERS = frozenset({StaffRole.staff, StaffRole.supervisor, StaffRole.admin})

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="StaffToken",
    description="A staff token from workflow's `POST /v1/auth/token`.",
)


async def keyer(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    intake: Annotated[IntakeContext, Depends(context_of)],
) -> Principal:
    """The signed-in member of staff keying this in (401 without a live session)."""
    if credentials is None:
        raise InvalidCredentials("sign in first")
    principal = await intake.sessions.verify(credentials.credentials)
    if principal.role not in KEYERS:
        raise StaffRoleRequired(principal.role.value)
    return principal


def _form_schema(files: int) -> dict[str, Any]:
    text = {"type": "string"}
    properties: dict[str, Any] = {
        "channel": {"type": "string", "enum": sorted(c.value for c in STAFF_KEYED_CHANNELS)},
        "kind": {"type": "string", "enum": [k.value for k in Kind]},
        "complaint_type": {"type": "string", "enum": [c.value for c in ComplaintType]},
        "category": {"type": "string", "minLength": 1, "maxLength": 40},
        "subject": {"type": "string", "minLength": 1, "maxLength": 200},
        "description": {"type": "string", "minLength": 1, "maxLength": 10_000},
        "occurred_on": {"type": "string", "format": "date"},
        "language": {"type": "string", "enum": [lang.value for lang in Language]},
        "location.text": {**text, "maxLength": 500, "description": "The place: an address"},
        "location.lat": {"type": "number", "minimum": -90, "maximum": 90},
        "location.lon": {"type": "number", "minimum": -180, "maximum": 180},
        "contact.name": {**text, "maxLength": 200},
        "contact.phone": {**text, "maxLength": 25},
        "contact.email": {**text, "maxLength": 254},
        "contact.line_user_id": {**text, "maxLength": 64},
        "consent.contact_me": {"type": "string", "enum": ["true"]},
        "consent.share_name_with_unit": {"type": "string", "enum": ["true"]},
        "named_person": {**text, "maxLength": 200},
        "letter.number": {
            **text,
            "pattern": LETTER_NUMBER,
            "description": "เลขที่หนังสือ (channel letter: required)",
        },
        "letter.dated": {
            **text,
            "description": "ลงวันที่: YYYY-MM-DD, or D/M/YYYY in B.E. (channel letter: required)",
        },
    }
    for name in file_fields(files):
        properties[name] = {
            "type": "string",
            "format": "binary",
            "description": "A photo or document: JPEG, PNG or PDF by its content",
        }
    return {
        "type": "object",
        "required": ["channel", "kind", "category", "subject", "description"],
        "properties": properties,
    }


_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {"schema": _form_schema(4)},
            "application/x-www-form-urlencoded": {"schema": _form_schema(0)},
        },
    }
}


@router.post(
    "",
    status_code=202,
    summary="Key in a submission taken by phone, at the counter, or in a letter",
    description=(
        "For signed-in staff, supervisors and admins (bearer token). The keyer recorded is "
        "the token's account. Fields are the web form's (`contact.phone`, "
        "`location.text`, ...) plus `channel` (phone, walk_in, letter) and, for a letter, "
        "`letter.number` (เลขที่หนังสือ) and `letter.dated` (ลงวันที่). Files "
        "(`attachment1`...; a letter's scan) are JPEG, PNG or PDF by content: more files "
        "or a larger one than the settings allow is 413, another type 415. 202 means "
        "the submission and its files are durable together."
    ),
    openapi_extra=_OPENAPI,
    response_model=ReceiptBody,
    responses=refusals(
        InvalidCredentials,
        StaffRoleRequired,
        PayloadTooLarge,
        TooManyFiles,
        FileTooLarge,
        NotAFormBody,
        FileTypeRefused,
        ValidationError,
        InvalidIdempotencyKey,
        IdempotencyKeyReused,
        UnknownConsultation,
        InvalidOpinion,
        ConsultationNotOpen,
        Unavailable,
        StoreUnavailable,
    ),
)
async def key_in(
    request: Request,
    intake: Annotated[IntakeContext, Depends(context_of)],
    caller: Annotated[Principal, Depends(keyer)],
    idempotency_key: Annotated[
        str | None,
        Header(description="One entry's key: a retry with it returns the first answer"),
        WithJsonSchema({"type": "string", "pattern": idempotency.KEY_PATTERN}),
    ] = None,
) -> Response:
    count = intake.metrics.submissions
    try:
        key = idempotency.check_key(idempotency_key) if idempotency_key is not None else None
        form = await read_submission_form(request, intake.file_rules)
        files = form.checked_files(intake.file_rules)
        body = parse_staff_entry(nest(form.fields), intake.catalogue)
    except Exception:
        count.labels("keyed", "unknown", "rejected").inc()
        raise
    receipt = await intake.reception.receive(
        Receive(
            body=body,
            channel=body.channel,
            keyed_by=caller.id,
            letter=body.letter.reference() if body.letter else None,
            files=files,
            idempotency_key=key,
            correlation_id=correlation.current(),
        )
    )
    return accepted(intake, receipt, body.channel, body)
