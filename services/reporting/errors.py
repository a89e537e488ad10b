"""The reporting service's typed errors and the one place they become HTTP answers; the
routes' documented refusals come from the same table (`REFUSALS`, read by
`refusals(...)`)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import escape
from pydantic import BaseModel
from pymongo.errors import PyMongoError

from services.reporting.domain.tables import UnknownDimension
from services.reporting.handlers.rebuild import RebuildConflict, RebuildInProgress
from shared.infra.auth import AuthSettings, InvalidCredentials
from shared.infra.http import Refusal, Refusals, install_method_not_allowed
from shared.infra.sessions import SAFE_METHODS
from shared.infra.sign_in import sign_in_link, to_sign_in

#: What a database that answers again in a moment asks callers to wait.
RETRY_AFTER_SECONDS = 5


class ReportingError(Exception):
    """Base of the errors a caller can cause; `status` and `code` say how to answer."""

    status = 400
    code = "bad_request"


class Forbidden(ReportingError):
    """Signed in, but this report or unit is not the caller's to see."""

    status = 403
    code = "forbidden"


class InvalidFilter(ReportingError):
    """A filter or parameter with a value the reports do not know."""

    status = 422
    code = "invalid_filter"


class ProblemDetail(BaseModel):
    code: str
    message: str


class Problem(BaseModel):
    """Every refusal of the reporting API (the pages answer the same as a page)."""

    error: ProblemDetail


#: Each typed error's answer, the most specific first (with the code its body names).
_ROWS: list[tuple[type[Exception], str, Refusal]] = [
    (
        InvalidCredentials,
        "unauthorised",
        Refusal(401, "Not signed in, or the session has ended", ("WWW-Authenticate",)),
    ),
    (Forbidden, Forbidden.code, Refusal(403, "Not the caller's report or unit")),
    (RebuildInProgress, "rebuild_in_progress", Refusal(409, "Another rebuild is running")),
    (
        RebuildConflict,
        "rebuild_conflict",
        Refusal(409, "Another rebuild swapped the views first"),
    ),
    (InvalidFilter, InvalidFilter.code, Refusal(422, "A filter the reports do not know")),
    (UnknownDimension, "invalid_filter", Refusal(422, "A group-by that is not a dimension")),
    (
        RequestValidationError,
        "invalid_filter",
        Refusal(422, "A parameter is not what the schema says"),
    ),
    (ReportingError, ReportingError.code, Refusal(400, "The request cannot be answered")),
    (
        PyMongoError,
        "unavailable",
        Refusal(503, "The reports database is not reachable", ("Retry-After",)),
    ),
]
REFUSALS = Refusals(Problem, [(error, refusal) for error, _, refusal in _ROWS])
refusals = REFUSALS.responses

#: What every route a signed-in member of staff calls can answer besides its own.
SIGNED_IN = (InvalidCredentials, PyMongoError)


def _body(code: str, message: str) -> dict[str, object]:
    return {"error": {"code": code, "message": message}}


def _answer(
    request: Request, status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    # Pages get a page, the API gets JSON: a browser should not show a JSON error.
    headers = dict(headers or {})
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if not request.url.path.startswith("/v1/"):
        auth: AuthSettings = request.app.state.ctx.settings.auth
        if status == 401 and request.method in SAFE_METHODS:
            # Nobody signed in (or the session ended): the console's sign-in, and back.
            return to_sign_in(auth, request)
        html = (
            f"<!doctype html><html lang='th'><meta charset='utf-8'><title>{status}</title>"
            f"<h1>{status}</h1><p>{escape(message)}</p>"
            f"<p><a href='{escape(sign_in_link(auth, request))}'>"
            "เข้าสู่ระบบด้วยบัญชีอื่น · Sign in as someone else</a></p></html>"
        )
        return HTMLResponse(html, status_code=status, headers=headers)
    return JSONResponse(_body(code, message), status_code=status, headers=headers)


def _message(exc: Exception) -> str:
    match exc:
        case UnknownDimension():
            return f"cannot group by {exc}"
        case RequestValidationError():
            return "; ".join(
                f"{'.'.join(str(p) for p in e['loc'][1:]) or e['loc'][0]}: {e['msg']}"
                for e in exc.errors()
            )
        case PyMongoError():
            return "the reports database is not reachable"
        case _:
            return str(exc)


def to_response(request: Request, exc: Exception) -> Response:
    """The one mapping from a typed error to its answer."""
    refusal = REFUSALS.of(exc)
    code = next(c for t, c, _ in _ROWS if isinstance(exc, t))
    status = refusal.status
    if isinstance(exc, ReportingError):  # a subclass not listed keeps its own status
        status, code = exc.status, exc.code
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if "Retry-After" in refusal.headers else {}
    return _answer(request, status, code, _message(exc), headers)


async def method_not_allowed(request: Request, allow: str) -> Response:
    message = f"{request.method} is not a method of {request.url.path}; it takes {allow}"
    return _answer(request, 405, "method_not_allowed", message, {"Allow": allow})


def install_error_handlers(app: FastAPI) -> None:
    async def handle(request: Request, exc: Exception) -> Response:
        return to_response(request, exc)

    for error in REFUSALS.errors:
        app.add_exception_handler(error, handle)
    install_method_not_allowed(app, method_not_allowed)
