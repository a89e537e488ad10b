"""Staff sign-in and the `Principal` dependency every staff endpoint uses."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from services.workflow.context import WorkflowContext, context_of
from services.workflow.handlers.staff import sign_in
from shared.infra.auth import (
    AuthSettings,
    InvalidCredentials,
    Principal,
    StaffRole,
    read_token,
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
    ctx: Annotated[WorkflowContext, Depends(context_of)],
) -> Principal:
    return principal_of(request, credentials, ctx.settings.auth)


def principal_of(
    request: Request, credentials: HTTPAuthorizationCredentials | None, settings: AuthSettings
) -> Principal:
    """The signed-in staff member of a request (bearer token, else the console cookie)."""
    token = credentials.credentials if credentials else request.cookies.get("siang_token")
    if not token:
        raise InvalidCredentials("sign in first")
    return read_token(settings, token)


Caller = Annotated[Principal, Depends(current_principal)]

router = APIRouter(prefix="/v1/auth", tags=["staff sign-in"])


@router.post("/login", response_model=Session, summary="Sign in with username and password")
async def login(body: Login, ctx: Annotated[WorkflowContext, Depends(context_of)]) -> Session:
    signed_in = await sign_in(ctx, body.username, body.password)
    return Session(
        access_token=signed_in.token,
        staff_id=signed_in.staff_id,
        name=signed_in.name,
        role=signed_in.role,
        unit=signed_in.unit,
    )


@router.get("/me", response_model=Principal, summary="Who am I")
async def me(caller: Caller) -> Principal:
    return caller
