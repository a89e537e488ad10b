"""Staff sign-in, signing out everywhere, and the `Principal` dependency every staff
endpoint uses (the token's session is checked against the account on every request)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from services.workflow.adapters.staff_directory import STAFF_ID_PATTERN
from services.workflow.api.errors import DATABASE, SIGNED_IN, refusals
from services.workflow.context import WorkflowContext, context_of
from services.workflow.domain.accounts import SignInLocked, WrongCurrentPassword
from services.workflow.domain.errors import Forbidden, NotFound
from services.workflow.domain.passwords import WeakPassword
from services.workflow.handlers.staff import (
    SignedIn,
    change_password,
    sign_in,
    sign_out_everywhere,
)
from shared.infra.auth import InvalidCredentials, Principal, StaffRole
from shared.infra.http import StrictJsonRoute
from shared.infra.sessions import token_of

COOKIE = "siang_token"
bearer = HTTPBearer(auto_error=False)


class Login(BaseModel):
    username: str = Field(min_length=1, max_length=64, examples=["personnel.a"])
    password: str = Field(min_length=1, max_length=200)


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=200)


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
    """The signed-in caller: the bearer token, else (for a request that changes nothing)
    the console's cookie; refused once the account's sessions have ended."""
    token = token_of(request, credentials.credentials if credentials else None, COOKIE)
    return await ctx.sessions.verify(token)


Caller = Annotated[Principal, Depends(current_principal)]

router = APIRouter(prefix="/v1/auth", tags=["staff sign-in"], route_class=StrictJsonRoute)


@router.post(
    "/login",
    response_model=Session,
    summary="Sign in with username and password",
    responses=refusals(RequestValidationError, InvalidCredentials, SignInLocked, *DATABASE),
)
async def login(body: Login, ctx: Annotated[WorkflowContext, Depends(context_of)]) -> Session:
    return _session(await sign_in(ctx, body.username, body.password))


def _session(signed_in: SignedIn) -> Session:
    return Session(
        access_token=signed_in.token,
        staff_id=signed_in.staff_id,
        name=signed_in.name,
        role=signed_in.role,
        unit=signed_in.unit,
    )


@router.get("/me", response_model=Principal, summary="Who am I", responses=refusals(*SIGNED_IN))
async def me(caller: Caller) -> Principal:
    return caller


@router.post(
    "/password",
    response_model=Session,
    summary="Change my password; every other session ends, and this is the new token",
    responses=refusals(
        *SIGNED_IN, RequestValidationError, WeakPassword, WrongCurrentPassword, SignInLocked
    ),
)
async def change_my_password(
    body: PasswordChange, caller: Caller, ctx: Annotated[WorkflowContext, Depends(context_of)]
) -> Session:
    return _session(await change_password(ctx, caller, body.current_password, body.new_password))


@router.post(
    "/sign-out-everywhere",
    status_code=204,
    summary="End every session of my account, this one included",
    responses=refusals(*SIGNED_IN),
)
async def sign_out_me(
    caller: Caller, ctx: Annotated[WorkflowContext, Depends(context_of)]
) -> Response:
    await sign_out_everywhere(ctx, caller, caller.id)
    return Response(status_code=204)


@router.post(
    "/staff/{staff_id}/sign-out-everywhere",
    status_code=204,
    summary="End every session of an account (admin, or oneself)",
    responses=refusals(*SIGNED_IN, Forbidden, NotFound, RequestValidationError),
)
async def sign_out_account(
    staff_id: Annotated[str, Path(pattern=STAFF_ID_PATTERN)],
    caller: Caller,
    ctx: Annotated[WorkflowContext, Depends(context_of)],
) -> Response:
    await sign_out_everywhere(ctx, caller, staff_id)
    return Response(status_code=204)
