"""The one place where the workflow's typed errors become HTTP answers (never a 500 for
something the caller did)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pymongo.errors import ConnectionFailure, PyMongoError

from services.workflow.adapters.case_store import CaseNotFound, StaleVersion
from services.workflow.domain.accounts import SignInLocked
from services.workflow.domain.errors import (
    DomainError,
    Forbidden,
    IllegalTransition,
    InvalidField,
    MissingField,
)
from shared.infra.auth import InvalidCredentials

STATUS: list[tuple[type[Exception], int]] = [
    (IllegalTransition, 409),
    (Forbidden, 403),
    (MissingField, 422),
    (InvalidField, 422),
    (DomainError, 422),
]


def _body(code: str, message: str, **details: object) -> dict[str, object]:
    return {
        "error": {"code": code, "message": message, **({"details": details} if details else {})}
    }


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain(_: Request, exc: DomainError) -> JSONResponse:
        status = next(s for t, s in STATUS if isinstance(exc, t))
        return JSONResponse(_body(exc.code, exc.message, **exc.details), status_code=status)

    @app.exception_handler(CaseNotFound)
    async def not_found(_: Request, exc: CaseNotFound) -> JSONResponse:
        return JSONResponse(_body("not_found", f"no case {exc}"), status_code=404)

    @app.exception_handler(StaleVersion)
    async def stale(_: Request, exc: StaleVersion) -> JSONResponse:
        return JSONResponse(
            _body("stale_version", f"case {exc} changed meanwhile; reload it and try again"),
            status_code=409,
        )

    @app.exception_handler(InvalidCredentials)
    async def unauthorised(_: Request, exc: InvalidCredentials) -> JSONResponse:
        return JSONResponse(
            _body("unauthorised", str(exc)),
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )

    @app.exception_handler(SignInLocked)
    async def locked(_: Request, exc: SignInLocked) -> JSONResponse:
        return JSONResponse(
            _body("sign_in_locked", str(exc), retry_after=exc.retry_after),
            status_code=429,
            headers={"Retry-After": str(exc.retry_after)},
        )

    @app.exception_handler(PyMongoError)
    async def database_down(_: Request, exc: PyMongoError) -> JSONResponse:
        # A write conflict that outlived its retries is a race the caller can retry.
        if isinstance(exc, ConnectionFailure):
            return JSONResponse(
                _body("unavailable", "the database is not reachable; try again"),
                status_code=503,
                headers={"Retry-After": "5"},
            )
        return JSONResponse(_body("conflict", "the case is busy; try again"), status_code=409)
