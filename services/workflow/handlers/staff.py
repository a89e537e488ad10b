"""Staff accounts: signing in (API and console alike, with the lock-out after repeated
wrong passwords), changing one's own password, signing out everywhere, and an admin's
changes (each recorded in the admin history). Every new password keeps the rules of
`domain.passwords`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from pymongo.asynchronous.client_session import AsyncClientSession

from services.workflow.adapters.staff_directory import StaffAccount
from services.workflow.context import WorkflowContext
from services.workflow.domain.accounts import (
    LockoutPolicy,
    SignInLocked,
    WrongCurrentPassword,
    lock_after,
    seconds_locked,
)
from services.workflow.domain.admin_history import Subject, entry_for
from services.workflow.domain.errors import Forbidden, InvalidField, NotFound
from services.workflow.domain.passwords import check_password
from services.workflow.handlers.policies import in_force
from shared.infra.auth import (
    AuthSettings,
    InvalidCredentials,
    Principal,
    StaffRole,
    hash_password,
    hashed_password,
    issue_token,
    password_matches,
)
from shared.infra.mongo import Document, in_transaction
from shared.infra.sessions import SESSION_VERSION

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignedIn:
    token: str
    staff_id: str
    name: str
    role: StaffRole
    unit: str | None


def lockout_policy(settings: AuthSettings) -> LockoutPolicy:
    return LockoutPolicy(
        failures=settings.lockout_failures,
        window=timedelta(seconds=settings.lockout_window_seconds),
        lock_for=timedelta(seconds=settings.lockout_seconds),
    )


@cache
def _no_account_hash() -> str:
    """A hash to check passwords against when there is no account, so an unknown username
    takes as long to refuse as a wrong password (the time would tell who exists)."""
    return hash_password("no such account")


async def sign_in(ctx: WorkflowContext, username: str, password: str) -> SignedIn:
    """A token for an active account whose password this is, else `InvalidCredentials`;
    `SignInLocked` while the username is locked, and on the failure that locks it."""
    now = ctx.clock.now()
    wait = seconds_locked(await ctx.sign_ins.locked_until(username), now)
    if wait is not None:
        raise SignInLocked(wait)
    doc = await ctx.directory.get(username)
    stored = doc.get("password_hash", "") if doc is not None else _no_account_hash()
    if not await password_matches(password, stored) or doc is None or not doc.get("active", True):
        await _count_failure(ctx, username)
        raise InvalidCredentials("wrong username or password")
    await ctx.sign_ins.clear(username)
    return _signed_in(ctx, doc, int(doc.get(SESSION_VERSION, 0)))


def _signed_in(ctx: WorkflowContext, doc: Document, session_version: int) -> SignedIn:
    role = StaffRole(doc["role"])
    token = issue_token(
        ctx.settings.auth,
        id=doc["_id"],
        name=doc["name"],
        role=role,
        unit=doc.get("unit"),
        session_version=session_version,
    )
    return SignedIn(
        token=token, staff_id=doc["_id"], name=doc["name"], role=role, unit=doc.get("unit")
    )


async def _count_failure(ctx: WorkflowContext, username: str) -> None:
    """Counts a wrong password, and locks the username (`SignInLocked`) on too many."""
    now = ctx.clock.now()
    policy = lockout_policy(ctx.settings.auth)
    failures = await ctx.sign_ins.count_failure(username, now, policy)
    until = lock_after(failures, policy, now)
    if until is None:
        return
    await ctx.sign_ins.lock(username, until)
    ctx.metrics.sign_in_lockouts.inc()
    # The username as typed is what was locked; the password never reaches a log.
    log.warning(
        "sign-in locked: username=%r failures=%d window_seconds=%d locked_seconds=%d",
        username[:64],
        failures,
        policy.window.total_seconds(),
        policy.lock_for.total_seconds(),
    )
    raise SignInLocked(seconds_locked(until, now) or 1)


async def change_password(
    ctx: WorkflowContext, caller: Principal, current: str, new: str
) -> SignedIn:
    """The caller's new password (`WeakPassword` if it breaks a rule), given the current
    one; every other session ends, and the returned token is this browser's new one.

    A wrong current password counts toward the lock-out as a wrong sign-in does, so a
    session left open on a shared computer cannot be used to guess the password; while
    the username is locked, no change is made (`SignInLocked`)."""
    now = ctx.clock.now()
    wait = seconds_locked(await ctx.sign_ins.locked_until(caller.id), now)
    if wait is not None:
        raise SignInLocked(wait)
    doc = await ctx.directory.get(caller.id)
    if doc is None or not doc.get("active", True):
        raise InvalidCredentials("your session has ended; sign in again")
    if not await password_matches(current, doc.get("password_hash", "")):
        await _count_failure(ctx, caller.id)
        raise WrongCurrentPassword()
    check_password(new, doc["_id"], doc["name"], lambda p: p == current)
    version = await ctx.directory.set_password(caller.id, await hashed_password(new))
    if version is None:
        raise InvalidCredentials("your session has ended; sign in again")
    ctx.sessions.forget(caller.id)
    await ctx.sign_ins.clear(caller.id)
    log.info("password changed: staff_id=%s; other sessions ended", caller.id)
    return _signed_in(ctx, doc, version)


async def sign_out_everywhere(ctx: WorkflowContext, caller: Principal, staff_id: str) -> None:
    """End every session of `staff_id`: one's own, or anyone's for an admin."""
    if staff_id != caller.id and caller.role is not StaffRole.admin:
        raise Forbidden(caller.role.value, "sign another account out", "only an admin may")
    if not await ctx.directory.end_sessions(staff_id):
        raise NotFound(f"no account {staff_id}", staff_id=staff_id)
    ctx.sessions.forget(staff_id)
    log.info("signed out everywhere: staff_id=%s by=%s", staff_id, caller.id)


async def save_account(
    ctx: WorkflowContext,
    staff_id: str,
    account: StaffAccount,
    password: str | None,
    by: Principal,
    *,
    new: bool = False,
) -> StaffAccount:
    """Create or change the account `staff_id` (its password too, if given); returns it.
    A new password, a deactivation, a new role or unit ends the account's sessions. The
    change is recorded in the admin history, as done by `by` (never the password), in
    the same transaction. `new`: refused if the account exists (`InvalidField` on id)."""
    if staff_id != account.id:
        raise InvalidField("update staff", "id", "differs from the URL")
    if account.unit is not None and account.unit not in {u.code for u in ctx.catalogue.units}:
        await in_force(ctx)  # a unit added through another replica a moment ago
    if account.unit is not None and account.unit not in {u.code for u in ctx.catalogue.units}:
        raise InvalidField("update staff", "unit", "is not a unit of the office")
    new_hash = None
    if password is not None:
        before = await ctx.directory.get(staff_id)
        stored = before.get("password_hash") if before else None
        same = stored is not None and await password_matches(password, stored)
        check_password(password, account.id, account.name, lambda _: same)
        new_hash = await hashed_password(password)  # before the transaction, not in it

    async def save(session: AsyncClientSession) -> bool:
        before = await ctx.directory.get(staff_id, session)
        if new and before is not None:
            raise InvalidField("create an account", "id", "is taken")
        ended = await ctx.directory.save(account, new_hash, session)
        await ctx.history.record(
            entry_for(
                at=ctx.clock.now(),
                by=by.id,
                by_name=by.name,
                subject=Subject.staff,
                target=staff_id,
                before=_shown(before) if before is not None else None,
                after=account.model_dump(mode="json", exclude={"id"}),
                password_set=bool(password),
            ),
            session,
        )
        return ended

    if await in_transaction(ctx.client, save):
        ctx.sessions.forget(staff_id)
    log.info("account saved: staff_id=%s by=%s new=%s", staff_id, by.id, new)
    saved = await ctx.directory.account(staff_id)
    assert saved is not None
    return saved


async def create_account(
    ctx: WorkflowContext, account: StaffAccount, password: str, by: Principal
) -> StaffAccount:
    """A new account with its first password; `InvalidField` (id) if the username is
    taken, `WeakPassword` if the password breaks a rule."""
    return await save_account(ctx, account.id, account, password, by, new=True)


def _shown(doc: Document) -> dict[str, object]:
    """An account as stored, as the history compares it (the fields an account has)."""
    fields = {k: v for k, v in doc.items() if k in StaffAccount.model_fields}
    return StaffAccount.model_validate({**fields, "id": doc["_id"]}).model_dump(
        mode="json", exclude={"id"}
    )
