"""The reporting service's typed errors and the one place they become HTTP answers."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import escape
from pymongo.errors import PyMongoError

from services.reporting.domain.tables import UnknownDimension
from services.reporting.handlers.rebuild import RebuildConflict, RebuildInProgress
from shared.infra.auth import InvalidCredentials


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


def _body(code: str, message: str) -> dict[str, object]:
    return {"error": {"code": code, "message": message}}


def _answer(request: Request, status: int, code: str, message: str) -> Response:
    # Pages get a page, the API gets JSON: a browser should not show a JSON error.
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    if not request.url.path.startswith("/v1/"):
        html = (
            f"<!doctype html><html lang='th'><meta charset='utf-8'><title>{status}</title>"
            f"<h1>{status}</h1><p>{escape(message)}</p>"
            "<p><a href='/dashboard/sign-in'>เข้าสู่ระบบ · Sign in</a></p></html>"
        )
        return HTMLResponse(html, status_code=status, headers=headers)
    return JSONResponse(_body(code, message), status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ReportingError)
    async def reporting(request: Request, exc: ReportingError) -> Response:
        return _answer(request, exc.status, exc.code, str(exc))

    @app.exception_handler(UnknownDimension)
    async def dimension(request: Request, exc: UnknownDimension) -> Response:
        return _answer(request, 422, "invalid_filter", f"cannot group by {exc}")

    @app.exception_handler(InvalidCredentials)
    async def unauthorised(request: Request, exc: InvalidCredentials) -> Response:
        return _answer(request, 401, "unauthorised", str(exc))

    @app.exception_handler(RebuildInProgress)
    async def busy(request: Request, exc: RebuildInProgress) -> Response:
        return _answer(request, 409, "rebuild_in_progress", str(exc))

    @app.exception_handler(RebuildConflict)
    async def conflict(request: Request, exc: RebuildConflict) -> Response:
        return _answer(request, 409, "rebuild_conflict", str(exc))

    @app.exception_handler(PyMongoError)
    async def database_down(request: Request, exc: PyMongoError) -> Response:
        response = _answer(request, 503, "unavailable", "the reports database is not reachable")
        response.headers["Retry-After"] = "5"
        return response
