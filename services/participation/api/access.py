"""Who is calling: a signed-in member of staff (a token from workflow's sign-in, checked
against the account in workflow's `staff` collection by `shared.infra.sessions`), as the
lifecycle's `Actor`. Admins and participation coordinators manage; other staff read.
The public endpoints and pages take no token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.participation.context import ParticipationContext, context_of
from services.participation.domain.lifecycle import Actor, role_of
from shared.infra.auth import Principal
from shared.infra.sessions import token_of

COOKIE = "siang_token"

bearer = HTTPBearer(auto_error=False)


async def current_principal(  # async: a plain def would run in the thread pool
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ctx: Annotated[ParticipationContext, Depends(context_of)],
) -> Principal:
    token = token_of(request, credentials.credentials if credentials else None, COOKIE)
    return await ctx.sessions.verify(token)


Caller = Annotated[Principal, Depends(current_principal)]


def actor_of(caller: Principal) -> Actor:
    return Actor(id=caller.id, role=role_of(caller.role.value))
