"""The one place where participation's typed errors become HTTP answers (never a 500 for
something the caller did): JSON for the API, a page for the public pages."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pymongo.errors import ConnectionFailure, PyMongoError

from services.participation.adapters.consultation_store import StaleVersion
from services.participation.domain.errors import (
    DomainError,
    Forbidden,
    IllegalTransition,
    InvalidField,
    MissingField,
    NotFound,
    Refused,
)
from shared.infra.auth import InvalidCredentials

STATUS: list[tuple[type[DomainError], int]] = [
    (NotFound, 404),
    (Forbidden, 403),
    (IllegalTransition, 409),
    (Refused, 409),
    (MissingField, 422),
    (InvalidField, 422),
    (DomainError, 422),
]


def status_of(exc: DomainError) -> int:
    return next(s for t, s in STATUS if isinstance(exc, t))


def body(code: str, message: str, **details: object) -> dict[str, object]:
    return {
        "error": {"code": code, "message": message, **({"details": details} if details else {})}
    }


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain(_: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse(body(exc.code, exc.message, **exc.details), status_code=status_of(exc))

    @app.exception_handler(StaleVersion)
    async def stale(_: Request, exc: StaleVersion) -> JSONResponse:
        return JSONResponse(
            body("stale_version", f"{exc} changed meanwhile; reload it and try again"),
            status_code=409,
        )

    @app.exception_handler(InvalidCredentials)
    async def unauthorised(_: Request, exc: InvalidCredentials) -> JSONResponse:
        return JSONResponse(
            body("unauthorised", str(exc)),
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )

    @app.exception_handler(PyMongoError)
    async def database_down(_: Request, exc: PyMongoError) -> JSONResponse:
        if isinstance(exc, ConnectionFailure):
            return JSONResponse(
                body("unavailable", "the database is not reachable; try again"),
                status_code=503,
                headers={"Retry-After": "5"},
            )
        # A write conflict that outlived its retries is a race the caller can retry.
        return JSONResponse(body("conflict", "busy; try again"), status_code=409)
