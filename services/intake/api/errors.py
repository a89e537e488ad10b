"""Every refusal of the intake API, mapped to HTTP once, worded in Thai or English per
Accept-Language. Anything unexpected becomes a 503 with Retry-After, never a 500: the
caller should retry, and nothing half-done was accepted. The routes' documented refusals
come from the same table (`REFUSALS`, read by `refusals(...)`)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.intake.api.responses import json_response
from services.intake.domain.api_keys import InvalidApiKey
from services.intake.domain.consultations import (
    STATUS_TH,
    ConsultationNotOpen,
    InvalidOpinion,
    UnknownConsultation,
)
from services.intake.domain.files import FileRefused, FileTooLarge, FileTypeRefused, TooManyFiles
from services.intake.domain.idempotency import IdempotencyKeyReused, InvalidIdempotencyKey
from services.intake.domain.lockout import minutes_left
from services.intake.domain.messages import FieldProblem, field_problems, language_of, text
from services.intake.domain.rate_limit import RateLimited
from services.intake.domain.tracking import InvalidTrackingCode
from services.intake.errors import (
    CaseClosed,
    IntakeError,
    NotAFormBody,
    NotWithdrawable,
    PayloadTooLarge,
    PinRequired,
    StaffEntryOnly,
    StaffRoleRequired,
    TrackingLocked,
    TrackingNotFound,
    Unavailable,
    UnsupportedMediaType,
)
from services.intake.handlers.ports import StoreUnavailable
from shared.contract.events import Language
from shared.infra import correlation
from shared.infra.auth import InvalidCredentials
from shared.infra.http import Refusal, Refusals, install_method_not_allowed

log = logging.getLogger(__name__)

# Set by `install_error_handlers` from settings: how long a 503 asks callers to wait.
RETRY_AFTER_KEY = "retry_after_seconds"


class Unexpected(IntakeError):
    """A bug or an error nobody foresaw; answered as 503, logged with its traceback."""


class FieldProblemBody(BaseModel):
    field: str
    code: str
    message: str


class ProblemBody(BaseModel):
    """Every refusal of the intake API, in the caller's language."""

    error: str
    message: str
    fields: list[FieldProblemBody] | None = None
    correlation_id: str | None = None


#: Each refusal's status, meaning and headers, the most specific first; the wording of
#: each answer is `to_response`'s.
_ROWS: list[tuple[type[Exception], Refusal]] = [
    (InvalidApiKey, Refusal(401, "Unknown or revoked API key", ("WWW-Authenticate",))),
    (TrackingNotFound, Refusal(404, "Unknown code or wrong PIN (the same answer for both)")),
    (CaseClosed, Refusal(409, "The case is closed: it takes nothing more")),
    (NotWithdrawable, Refusal(409, "Already withdrawn, or already answered")),
    (PayloadTooLarge, Refusal(413, "Body over the size limit (64 KiB by default)")),
    (UnsupportedMediaType, Refusal(415, "The body is not JSON")),
    (ValidationError, Refusal(422, "Invalid field (named in `fields`)")),
    (RequestValidationError, Refusal(422, "Invalid parameter (named in `fields`)")),
    (StaffEntryOnly, Refusal(403, "Phone, walk-in and letter are keyed in by signed-in staff")),
    (
        InvalidCredentials,
        Refusal(401, "No staff token, or its session ended", ("WWW-Authenticate",)),
    ),
    (StaffRoleRequired, Refusal(403, "Only staff, supervisors and admins key in submissions")),
    (NotAFormBody, Refusal(415, "The body is not multipart/form-data")),
    (TooManyFiles, Refusal(413, "More files than a submission takes")),
    (FileTooLarge, Refusal(413, "A file over the size limit")),
    (FileTypeRefused, Refusal(415, "A file that is not JPEG, PNG or PDF (by its content)")),
    (InvalidIdempotencyKey, Refusal(422, "`Idempotency-Key` is not visible ASCII")),
    (IdempotencyKeyReused, Refusal(422, "`Idempotency-Key` reused with another body")),
    (UnknownConsultation, Refusal(422, "`consultation_id` names no published consultation")),
    (InvalidOpinion, Refusal(422, "A group or answer the consultation does not take")),
    (ConsultationNotOpen, Refusal(409, "The consultation takes no opinions now")),
    (InvalidTrackingCode, Refusal(422, "A code we could not have issued")),
    (PinRequired, Refusal(422, "No PIN")),
    (RateLimited, Refusal(429, "Too many from this address", ("Retry-After",))),
    (TrackingLocked, Refusal(429, "Too many wrong PINs for this code", ("Retry-After",))),
    (Unavailable, Refusal(503, "Not durable: nothing was stored", ("Retry-After",))),
    (StoreUnavailable, Refusal(503, "The database is not reachable", ("Retry-After",))),
    (Unexpected, Refusal(503, "Something went wrong; nothing was stored", ("Retry-After",))),
]

#: What any route can answer besides its own: something nobody foresaw.
ALWAYS = (Unexpected,)
REFUSALS = Refusals(ProblemBody, _ROWS, always=ALWAYS)
refusals = REFUSALS.responses


def _language(request: Request) -> Language:
    return language_of(request.headers.get("accept-language"))


def problem(
    request: Request,
    status: int,
    code: str,
    *,
    fields: list[FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
    **values: Any,
) -> Response:
    language = _language(request)
    body: dict[str, Any] = {"error": code, "message": text(code, language, **values)}
    if fields is not None:
        body["fields"] = [f.as_dict() for f in fields]
    cid = correlation.current()
    if cid:
        body["correlation_id"] = cid
    return json_response(body, status_code=status, headers=headers)


def _header_problem(request: Request, header: str, code: str, **values: Any) -> FieldProblem:
    return FieldProblem(field=header, code=code, message=text(code, _language(request), **values))


def _retry_after(request: Request) -> int:
    return int(getattr(request.app.state, RETRY_AFTER_KEY, 5))


def to_response(request: Request, exc: Exception) -> Response:
    """The one mapping from an exception to its HTTP answer (its status from `REFUSALS`)."""
    known = isinstance(exc, REFUSALS.errors)
    status = REFUSALS.of(exc).status if known else 503
    match exc:
        case ValidationError():
            fields = field_problems(exc.errors(include_url=False), _language(request))
            return problem(request, status, "invalid_submission", fields=fields)
        case RequestValidationError():
            errors = [
                {**e, "loc": tuple(e["loc"][1:]) if len(e["loc"]) > 1 else e["loc"]}
                for e in exc.errors()
            ]
            return problem(
                request,
                status,
                "invalid_submission",
                fields=field_problems(errors, _language(request)),
            )
        case PayloadTooLarge():
            return problem(request, status, "payload_too_large", limit=exc.limit_bytes // 1024)
        case UnsupportedMediaType():
            return problem(request, status, "unsupported_media_type")
        case InvalidApiKey():
            return problem(
                request, status, "invalid_api_key", headers={"WWW-Authenticate": "X-API-Key"}
            )
        case StaffEntryOnly():
            return problem(request, status, "staff_entry_only", channel=exc.channel)
        case InvalidCredentials():
            return problem(
                request, status, "sign_in_required", headers={"WWW-Authenticate": "Bearer"}
            )
        case StaffRoleRequired():
            return problem(request, status, "staff_role_required")
        case NotAFormBody():
            return problem(request, status, "not_a_form")
        case FileRefused():
            code, worded = file_problem(exc)
            field = _header_problem(request, exc.field, code, **worded)
            return problem(request, status, code, fields=[field], **worded)
        case InvalidIdempotencyKey():
            field = _header_problem(request, "Idempotency-Key", "invalid_idempotency_key")
            return problem(request, status, "invalid_idempotency_key", fields=[field])
        case IdempotencyKeyReused():
            field = _header_problem(request, "Idempotency-Key", "idempotency_key_reused")
            return problem(request, status, "idempotency_key_reused", fields=[field])
        case RateLimited():
            return problem(
                request,
                status,
                "rate_limited",
                headers={"Retry-After": str(exc.retry_after)},
                retry_after=exc.retry_after,
            )
        case Unavailable():
            return problem(
                request,
                status,
                "unavailable",
                headers={"Retry-After": str(exc.retry_after)},
                retry_after=exc.retry_after,
            )
        case StoreUnavailable():
            seconds = _retry_after(request)
            return problem(
                request,
                status,
                "unavailable",
                headers={"Retry-After": str(seconds)},
                retry_after=seconds,
            )
        case UnknownConsultation() | InvalidOpinion():
            fields = [consultation_problem(exc, _language(request))]
            return problem(request, status, "invalid_submission", fields=fields)
        case ConsultationNotOpen():
            values: dict[str, Any] = not_open_values(exc)
            return problem(request, status, "consultation_not_open", **values)
        case InvalidTrackingCode():
            field = _header_problem(request, "tracking_code", "invalid_tracking_code")
            return problem(request, status, "invalid_tracking_code", fields=[field])
        case PinRequired():
            field = _header_problem(request, "pin", "pin_required")
            return problem(request, status, "pin_required", fields=[field])
        case TrackingNotFound():
            return problem(request, status, "tracking_not_found")
        case CaseClosed():
            return problem(request, status, "case_closed")
        case NotWithdrawable():
            return problem(request, status, f"not_withdrawable_{exc.state}")
        case TrackingLocked():
            minutes = minutes_left(exc.retry_after)
            return problem(
                request,
                status,
                "tracking_locked",
                headers={"Retry-After": str(exc.retry_after)},
                minutes=minutes,
                plural="" if minutes == 1 else "s",
            )
        case StarletteHTTPException() if exc.status_code == 404:
            return problem(request, 404, "not_found")
        case StarletteHTTPException():
            return json_response({"error": str(exc.detail)}, status_code=exc.status_code)
        case _:
            seconds = _retry_after(request)
            return problem(
                request,
                status,
                "internal",
                headers={"Retry-After": str(seconds)},
                retry_after=seconds,
            )


def consultation_problem(
    exc: UnknownConsultation | InvalidOpinion, language: Language
) -> FieldProblem:
    """The field an opinion's refusal names, worded for a person."""
    if isinstance(exc, UnknownConsultation):
        error = {
            "loc": ("consultation_id",),
            "type": "unknown_consultation",
            "ctx": {"consultation_id": exc.consultation_id},
        }
    else:
        error = {"loc": tuple(exc.field.split(".")), "type": exc.code, "ctx": exc.values}
    return field_problems([error], language)[0]


def file_problem(exc: FileRefused) -> tuple[str, dict[str, Any]]:
    """The text code of a refused file and the values it is worded with."""
    values: dict[str, Any] = {
        "field": exc.field,
        "count": exc.rules.max_count,
        "limit": f"{exc.rules.max_bytes / (1024 * 1024):g}",
    }
    if isinstance(exc, TooManyFiles):
        return "file_too_many", values
    if isinstance(exc, FileTooLarge):
        return "file_too_large", values
    return "file_type", values


def not_open_values(exc: ConsultationNotOpen) -> dict[str, str]:
    return {
        "state": exc.status.value,
        "state_th": STATUS_TH[exc.status],
        "closes_on": exc.closes_on.isoformat(),
    }


MAPPED: tuple[type[Exception], ...] = (
    UnknownConsultation,
    InvalidOpinion,
    ConsultationNotOpen,
    ValidationError,
    RequestValidationError,
    IntakeError,
    InvalidApiKey,
    InvalidIdempotencyKey,
    IdempotencyKeyReused,
    RateLimited,
    StoreUnavailable,
    InvalidTrackingCode,
    InvalidCredentials,
    FileRefused,
    StarletteHTTPException,
)


class GuardedRoute(APIRoute):
    """A route whose unforeseen exceptions become `Unexpected` (→ 503), so the client never
    sees a 500 and the traceback is logged once, here."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except MAPPED:
                raise
            except Exception as exc:
                log.exception("unexpected error on %s %s", request.method, request.url.path)
                raise Unexpected(type(exc).__name__) from exc

        return guarded


def install_error_handlers(app: FastAPI, *, retry_after_seconds: int) -> None:
    setattr(app.state, RETRY_AFTER_KEY, retry_after_seconds)

    async def handle(request: Request, exc: Exception) -> Response:
        return to_response(request, exc)

    for exc_class in MAPPED:
        app.add_exception_handler(exc_class, handle)
    install_method_not_allowed(app, method_not_allowed)


async def method_not_allowed(request: Request, allow: str) -> Response:
    return problem(request, 405, "method_not_allowed", headers={"Allow": allow})
