"""Staff sign-in and the `Principal` dependency every staff endpoint uses."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from services.workflow.adapters.staff_directory import StaffDirectory
from shared.infra.auth import (
    AuthSettings,
    InvalidCredentials,
    Principal,
    StaffRole,
    issue_token,
    read_token,
    verify_password,
)

bearer = HTTPBearer(auto_error=False)


class Login(BaseModel):
    username: str = Field(min_length=1, max_length=64, examples=["personnel.a"])
    password: str = Field(min_length=1, max_length=200)


class Session(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    staff_id: str
    name: str
    role: StaffRole
    unit: str | None


async def current_principal(  # async: a plain def would run in the thread pool
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    return principal_of(request, credentials)


def principal_of(request: Request, credentials: HTTPAuthorizationCredentials | None) -> Principal:
    """The signed-in staff member of a request (bearer token, else the console cookie)."""
    token = credentials.credentials if credentials else request.cookies.get("siang_token")
    if not token:
        raise InvalidCredentials("sign in first")
    settings: AuthSettings = request.app.state.auth_settings
    return read_token(settings, token)


Caller = Annotated[Principal, Depends(current_principal)]


def router() -> APIRouter:
    r = APIRouter(prefix="/v1/auth", tags=["staff sign-in"])

    @r.post("/login", response_model=Session, summary="Sign in with username and password")
    async def login(body: Login, request: Request) -> Session:
        directory: StaffDirectory = request.app.state.directory
        doc = await directory.get(body.username)
        if (
            doc is None
            or not doc.get("active", True)
            or not verify_password(body.password, doc.get("password_hash", ""))
        ):
            raise InvalidCredentials("wrong username or password")
        settings: AuthSettings = request.app.state.auth_settings
        role = StaffRole(doc["role"])
        token = issue_token(
            settings, id=doc["_id"], name=doc["name"], role=role, unit=doc.get("unit")
        )
        return Session(
            access_token=token,
            staff_id=doc["_id"],
            name=doc["name"],
            role=role,
            unit=doc.get("unit"),
        )

    @r.get("/me", response_model=Principal, summary="Who am I")
    async def me(caller: Caller) -> Principal:
        return caller

    return r
