"""The one place where participation's typed errors become HTTP answers (never a 500 for
something the caller did), and where the routes' documented refusals come from: each
error's status, meaning and headers are said once, in `REFUSALS`; a route declares the
errors its own logic can raise with `refusals(...)`, and `api/routing.py` adds those its
signature implies (sign-in, parameters, an id in the path, the database)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from pymongo.errors import ConnectionFailure, PyMongoError

from services.participation.adapters.consultation_store import StaleVersion
from services.participation.domain.errors import (
    ConflictingField,
    DomainError,
    Forbidden,
    IllegalTransition,
    NotAuthentic,
    NotFound,
    Refused,
    TooLarge,
    UnsupportedType,
)
from shared.infra.auth import InvalidCredentials
from shared.infra.http import Refusal, Refusals
from shared.infra.uploads import BodyTooLarge

#: What a database that answers again in a moment asks callers to wait.
RETRY_AFTER_SECONDS = 5


class ProblemDetail(BaseModel):
    code: str
    message: str
    # Only when there is something to add (the field, the status, the command...).
    details: dict[str, Any] | None = None


class Problem(BaseModel):
    """Every refusal of the participation API."""

    error: ProblemDetail


#: Each typed error's answer, the most specific first.
REFUSALS = Refusals(
    Problem,
    [
        (
            InvalidCredentials,
            Refusal(401, "Not signed in, or the session has ended", ("WWW-Authenticate",)),
        ),
        (Forbidden, Refusal(403, "The caller's role may not do this")),
        (NotAuthentic, Refusal(403, "A signed link the office did not send (field named)")),
        (NotFound, Refusal(404, "No such record")),
        (IllegalTransition, Refusal(409, "Not allowed in the record's status")),
        (Refused, Refusal(409, "The record's state turns it down")),
        (StaleVersion, Refusal(409, "The record changed meanwhile; reload it and try again")),
        (
            ConflictingField,
            Refusal(409, "A field names what the records on file do not have or allow"),
        ),
        (TooLarge, Refusal(413, "The file is past the size limit (the limit is named)")),
        (BodyTooLarge, Refusal(413, "The body is past the size limit (the limit is named)")),
        (UnsupportedType, Refusal(415, "The file is not of a type accepted here (by content)")),
        (
            RequestValidationError,
            Refusal(422, "A parameter or the body is not what the schema says (fields named)"),
        ),
        (DomainError, Refusal(422, "A field is missing or cannot be accepted (field named)")),
        (
            ConnectionFailure,
            Refusal(503, "The database is not reachable; try again", ("Retry-After",)),
        ),
        # A write conflict that outlived its retries (a killed process's transaction can
        # hold a document for a minute): busy, like an unreachable database, so every
        # client that retries on 503 retries this too.
        (
            PyMongoError,
            Refusal(503, "The database is busy or refused the write; try again", ("Retry-After",)),
        ),
    ],
)
refusals = REFUSALS.responses

#: What every route that reads or writes the database can answer besides its own.
DATABASE = (ConnectionFailure, PyMongoError)


def body(code: str, message: str, **details: object) -> dict[str, object]:
    return {
        "error": {"code": code, "message": message, **({"details": details} if details else {})}
    }


def _fields(exc: RequestValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(p) for p in e["loc"]), "message": str(e["msg"])}
        for e in exc.errors()
    ]


def to_response(exc: Exception) -> Response:
    """The one mapping from a typed error to its answer (its status from `REFUSALS`)."""
    status = REFUSALS.of(exc).status
    headers: dict[str, str] = {}
    match exc:
        case DomainError():
            content = body(exc.code, exc.message, **exc.details)
        case StaleVersion():
            content = body("stale_version", f"{exc} changed meanwhile; reload it and try again")
        case BodyTooLarge():
            content = body("too_large", str(exc), limit=exc.limit)
        case InvalidCredentials():
            content = body("unauthorised", str(exc))
            headers["WWW-Authenticate"] = "Bearer"
        case RequestValidationError():
            content = body("invalid_request", "the request is not valid", fields=_fields(exc))
        case ConnectionFailure():
            content = body("unavailable", "the database is not reachable; try again")
            headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        case _:
            # A write conflict that outlived its retries is a race the caller can retry.
            content = body("unavailable", "the database is busy; try again")
            headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return JSONResponse(content, status_code=status, headers=headers or None)


def install_error_handlers(app: FastAPI) -> None:
    async def handle(_: Request, exc: Exception) -> Response:
        return to_response(exc)

    for error in REFUSALS.errors:
        app.add_exception_handler(error, handle)
