"""Staff accounts: signing in (API and console alike) and an admin's changes."""

from __future__ import annotations

from dataclasses import dataclass

from services.workflow.adapters.staff_directory import StaffAccount
from services.workflow.context import WorkflowContext
from services.workflow.domain.errors import InvalidField
from shared.infra.auth import InvalidCredentials, StaffRole, issue_token, verify_password


@dataclass(frozen=True)
class SignedIn:
    token: str
    staff_id: str
    name: str
    role: StaffRole
    unit: str | None


async def sign_in(ctx: WorkflowContext, username: str, password: str) -> SignedIn:
    """A token for an active account whose password this is, else `InvalidCredentials`."""
    doc = await ctx.directory.get(username)
    if (
        doc is None
        or not doc.get("active", True)
        or not verify_password(password, doc.get("password_hash", ""))
    ):
        raise InvalidCredentials("wrong username or password")
    role = StaffRole(doc["role"])
    token = issue_token(
        ctx.settings.auth, id=doc["_id"], name=doc["name"], role=role, unit=doc.get("unit")
    )
    return SignedIn(
        token=token, staff_id=doc["_id"], name=doc["name"], role=role, unit=doc.get("unit")
    )


async def save_account(
    ctx: WorkflowContext, staff_id: str, account: StaffAccount, password: str | None
) -> StaffAccount:
    """Create or change the account `staff_id` (its password too, if given); returns it."""
    if staff_id != account.id:
        raise InvalidField("update staff", "id", "differs from the URL")
    if account.unit is not None and account.unit not in {u.code for u in ctx.catalogue.units}:
        raise InvalidField("update staff", "unit", "is not a unit of the office")
    await ctx.directory.save(account, password)
    saved = await ctx.directory.account(staff_id)
    assert saved is not None
    return saved
