"""The one place where the workflow's typed errors become HTTP answers (never a 500 for
something the caller did), and where the routes' documented refusals come from: each
error's status, meaning and headers are said once, in `REFUSALS`, and a route declares
the errors it can raise with `refusals(...)`."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from pymongo.errors import ConnectionFailure, PyMongoError

from services.workflow.adapters.case_store import CaseNotFound, StaleVersion
from services.workflow.domain.accounts import SignInLocked
from services.workflow.domain.errors import (
    DomainError,
    Forbidden,
    IllegalTransition,
    NotFound,
)
from shared.infra.auth import InvalidCredentials
from shared.infra.http import Refusal, Refusals

#: What a database that answers again in a moment asks callers to wait.
RETRY_AFTER_SECONDS = 5


class ProblemDetail(BaseModel):
    code: str
    message: str
    # Only when there is something to add (the field, the state, the command...).
    details: dict[str, Any] | None = None


class Problem(BaseModel):
    """Every refusal of the workflow API."""

    error: ProblemDetail


#: Each typed error's answer, the most specific first.
REFUSALS = Refusals(
    Problem,
    [
        (
            InvalidCredentials,
            Refusal(401, "Not signed in, or the session has ended", ("WWW-Authenticate",)),
        ),
        (Forbidden, Refusal(403, "The caller's role or unit may not do this")),
        (CaseNotFound, Refusal(404, "No such case (or not one the caller may see)")),
        (NotFound, Refusal(404, "No such account")),
        (IllegalTransition, Refusal(409, "Not allowed in the case's state")),
        (StaleVersion, Refusal(409, "The case changed meanwhile; reload it and try again")),
        (
            RequestValidationError,
            Refusal(422, "A parameter or the body is not what the schema says"),
        ),
        (DomainError, Refusal(422, "A field the command needs is missing or cannot be accepted")),
        (
            SignInLocked,
            Refusal(429, "Too many wrong passwords: try again after Retry-After", ("Retry-After",)),
        ),
        (
            ConnectionFailure,
            Refusal(503, "The database is not reachable; try again", ("Retry-After",)),
        ),
        (PyMongoError, Refusal(409, "The database refused the write meanwhile; try again")),
    ],
)
refusals = REFUSALS.responses

#: What every route that reads or writes the database can answer besides its own.
DATABASE = (ConnectionFailure, PyMongoError)
#: ... and every route a signed-in member of staff calls.
SIGNED_IN = (InvalidCredentials, *DATABASE)


def _body(code: str, message: str, **details: object) -> dict[str, object]:
    return {
        "error": {"code": code, "message": message, **({"details": details} if details else {})}
    }


def _fields(exc: RequestValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(p) for p in e["loc"]), "message": str(e["msg"])}
        for e in exc.errors()
    ]


def to_response(exc: Exception) -> Response:
    """The one mapping from a typed error to its answer."""
    status = REFUSALS.of(exc).status
    headers: dict[str, str] = {}
    match exc:
        case DomainError():
            body = _body(exc.code, exc.message, **exc.details)
        case CaseNotFound():
            body = _body("not_found", f"no case {exc}")
        case StaleVersion():
            body = _body("stale_version", f"case {exc} changed meanwhile; reload it and try again")
        case InvalidCredentials():
            body = _body("unauthorised", str(exc))
            headers["WWW-Authenticate"] = "Bearer"
        case SignInLocked():
            body = _body("sign_in_locked", str(exc), retry_after=exc.retry_after)
            headers["Retry-After"] = str(exc.retry_after)
        case RequestValidationError():
            body = _body("invalid_request", "the request is not valid", fields=_fields(exc))
        case ConnectionFailure():
            body = _body("unavailable", "the database is not reachable; try again")
            headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        case _:
            # A write conflict that outlived its retries is a race the caller can retry.
            body = _body("conflict", "the case is busy; try again")
    return JSONResponse(body, status_code=status, headers=headers or None)


def install_error_handlers(app: FastAPI) -> None:
    async def handle(_: Request, exc: Exception) -> Response:
        return to_response(exc)

    for error in REFUSALS.errors:
        app.add_exception_handler(error, handle)
