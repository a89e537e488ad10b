"""Is a staff token's session still on? A signature proves who signed in, not that they
still may: every request's token is checked against the account in workflow's `staff`
collection, read at most once per `SIANG_AUTH_SESSION_CHECK_SECONDS` per account and
process, so a deactivation, a password change, a new role or unit, or "sign out
everywhere" takes effect within seconds on every service without a round trip per request.

The account's `session_version` is what ends sessions: the token carries the version the
account had at sign-in, and anything that should end them bumps it. Role, unit and name
come from the account, not from the token, so a changed role applies at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from pymongo.asynchronous.database import AsyncDatabase

from shared.infra.auth import AuthSettings, InvalidCredentials, Principal, StaffRole, read_token
from shared.infra.mongo import Document

#: Workflow's staff directory; the services that accept staff tokens read it (see
#: ARCHITECTURE.md's collections table).
STAFF_COLLECTION = "staff"
SESSION_VERSION = "session_version"
#: What a token may be read from when nothing else is at stake: a cookie rides along with
#: any request the browser makes, so it alone never authorises a change through the API.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_ENDED = "your session has ended; sign in again"
_MAX_CACHED = 10_000


@dataclass(frozen=True, slots=True)
class AccountState:
    """What the check needs of an account."""

    active: bool
    session_version: int
    name: str
    role: StaffRole
    unit: str | None


def account_state(doc: Document) -> AccountState | None:
    """The state of a stored account (None if it cannot be read: treated as no account)."""
    try:
        return AccountState(
            active=bool(doc.get("active", True)),
            session_version=int(doc.get(SESSION_VERSION, 0)),
            name=str(doc.get("name", doc["_id"])),
            role=StaffRole(doc["role"]),
            unit=doc.get("unit"),
        )
    except (KeyError, ValueError, TypeError):
        return None


def current_principal(claimed: Principal, account: AccountState | None) -> Principal:
    """The caller as the account says now, or `InvalidCredentials` if the token's session
    has ended (no such account, deactivated, or signed in before the version changed)."""
    if account is None or not account.active:
        raise InvalidCredentials(_ENDED)
    if account.session_version != claimed.session_version:
        raise InvalidCredentials(_ENDED)
    return claimed.model_copy(
        update={"name": account.name, "role": account.role, "unit": account.unit}
    )


def token_of(request: Request, bearer: str | None, cookie: str) -> str:
    """The token of an API request: the bearer header, else the pages' cookie for a request
    that changes nothing (a cross-site form could otherwise ride on the cookie)."""
    if bearer:
        return bearer
    token = request.cookies.get(cookie) if request.method in SAFE_METHODS else None
    if not token:
        raise InvalidCredentials("sign in first")
    return token


class SessionCheck:
    """Reads a token and checks it against the account, remembering each account for
    `settings.session_check_seconds` (per process)."""

    def __init__(
        self,
        db: AsyncDatabase[Document],
        settings: AuthSettings,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.staff = db[STAFF_COLLECTION]
        self.settings = settings
        self._clock = clock
        self._seen: dict[str, tuple[float, AccountState | None]] = {}

    async def verify(self, token: str) -> Principal:
        """The caller of a token whose signature and session both hold."""
        return await self.check(read_token(self.settings, token))

    async def check(self, claimed: Principal) -> Principal:
        return current_principal(claimed, await self._account(claimed.id))

    def forget(self, staff_id: str) -> None:
        """Read the account afresh next time (this process just changed it)."""
        self._seen.pop(staff_id, None)

    async def _account(self, staff_id: str) -> AccountState | None:
        now = self._clock()
        seen = self._seen.get(staff_id)
        if seen is not None and seen[0] > now:
            return seen[1]
        doc = await self.staff.find_one(
            {"_id": staff_id},
            projection={"active": 1, SESSION_VERSION: 1, "name": 1, "role": 1, "unit": 1},
        )
        state = account_state(doc) if doc is not None else None
        if len(self._seen) >= _MAX_CACHED:
            self._seen.clear()  # an office has tens of accounts: this only bounds memory
        self._seen[staff_id] = (now + self.settings.session_check_seconds, state)
        return state
