"""Who may read which reports: a signed-in member of staff, scoped to their unit.

Committee members, participation coordinators and admins see every unit; staff and
supervisors see their own unit only (the figures of other units are not theirs to
compare). Misconduct complaints are left out of the figures a member of staff (role
`staff`) sees: they go to supervisors, and in a unit's figures, grouped by month or
channel, a single one would tell the person it names that it exists. The token comes from the `Authorization: Bearer` header or, for the pages
(which change nothing), the `siang_token` cookie; it is checked against the account in
workflow's `staff` collection (`shared.infra.sessions`), so the role and unit are the
account's as of seconds ago.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.reporting.context import ReportingContext, context_of
from services.reporting.errors import Forbidden
from shared.contract.events import ComplaintType
from shared.infra.auth import Principal, StaffRole
from shared.infra.sessions import token_of

COOKIE = "siang_token"
OFFICE_WIDE = frozenset({StaffRole.committee, StaffRole.participation, StaffRole.admin})

T = TypeVar("T", bound=Mapping[str, Any])

bearer = HTTPBearer(auto_error=False)


async def current_principal(  # async: a plain def would run in the thread pool
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ctx: Annotated[ReportingContext, Depends(context_of)],
) -> Principal:
    token = token_of(request, credentials.credentials if credentials else None, COOKIE)
    return await ctx.sessions.verify(token)


Caller = Annotated[Principal, Depends(current_principal)]


def unit_scope(caller: Principal, requested: str | None) -> str | None:
    """The unit the caller's reports are limited to (None: every unit)."""
    if caller.role in OFFICE_WIDE:
        return requested
    if caller.unit is None:
        raise Forbidden("your account has no unit; ask an admin")
    if requested is not None and requested != caller.unit:
        raise Forbidden(f"you may see the reports of unit {caller.unit} only")
    return caller.unit


def sees_misconduct(caller: Principal) -> bool:
    """Whether the caller's figures count misconduct complaints (see the module's doc)."""
    return caller.role is not StaffRole.staff


def without_misconduct(cells: Sequence[T]) -> list[T]:
    return [c for c in cells if c.get("complaint_type") != ComplaintType.misconduct.value]


def visible_cells(caller: Principal, cells: Sequence[T]) -> list[T]:
    """The view cells whose figures the caller may see."""
    return list(cells) if sees_misconduct(caller) else without_misconduct(cells)


def require_admin(caller: Principal) -> None:
    if caller.role is not StaffRole.admin:
        raise Forbidden("only an admin may do this")
