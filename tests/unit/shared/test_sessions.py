"""A token's session against its account: deactivated, signed out or changed accounts are
refused, the role and unit are the account's, and each account is read once per window."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.requests import Request

from shared.infra.auth import AuthSettings, InvalidCredentials, StaffRole, issue_token, read_token
from shared.infra.sessions import (
    AccountState,
    SessionCheck,
    account_state,
    current_principal,
    token_of,
)

SETTINGS = AuthSettings(secret="x" * 40, session_check_seconds=3)


def claimed(version: int = 0, role: StaffRole = StaffRole.staff, unit: str | None = "legal"):
    token = issue_token(
        SETTINGS, id="legal.a", name="A", role=role, unit=unit, session_version=version
    )
    return read_token(SETTINGS, token)


def account(**changes: Any) -> AccountState:
    fields: dict[str, Any] = {
        "active": True,
        "session_version": 0,
        "name": "A",
        "role": StaffRole.staff,
        "unit": "legal",
    }
    return AccountState(**(fields | changes))


def test_a_token_of_an_active_account_at_its_version_is_accepted() -> None:
    who = current_principal(claimed(), account())
    assert (who.id, who.role, who.unit) == ("legal.a", StaffRole.staff, "legal")


@pytest.mark.parametrize(
    "state",
    [None, account(active=False), account(session_version=1)],
    ids=["no such account", "deactivated", "signed out everywhere or password changed"],
)
def test_an_ended_session_is_refused(state: AccountState | None) -> None:
    with pytest.raises(InvalidCredentials, match="sign in again"):
        current_principal(claimed(), state)


def test_the_role_unit_and_name_are_the_accounts_not_the_tokens() -> None:
    who = current_principal(claimed(), account(role=StaffRole.supervisor, unit="ict", name="B"))
    assert (who.role, who.unit, who.name) == (StaffRole.supervisor, "ict", "B")


def test_a_token_from_before_versions_is_version_zero() -> None:
    assert claimed().session_version == 0
    assert account_state({"_id": "a", "role": "staff"}) == AccountState(
        active=True, session_version=0, name="a", role=StaffRole.staff, unit=None
    )
    assert account_state({"_id": "a", "role": "janitor"}) is None


class FakeStaff:
    def __init__(self) -> None:
        self.docs: dict[str, dict[str, Any]] = {}
        self.reads = 0

    async def find_one(self, query: dict[str, Any], projection: Any = None) -> Any:
        self.reads += 1
        return self.docs.get(query["_id"])


class FakeDb:
    def __init__(self, staff: FakeStaff) -> None:
        self.staff = staff

    def __getitem__(self, name: str) -> FakeStaff:
        assert name == "staff"
        return self.staff


async def test_each_account_is_read_once_per_window_then_afresh() -> None:
    staff = FakeStaff()
    staff.docs["legal.a"] = {"_id": "legal.a", "name": "A", "role": "staff", "unit": "legal"}
    now = [100.0]
    check = SessionCheck(FakeDb(staff), SETTINGS, clock=lambda: now[0])  # type: ignore[arg-type]
    token = issue_token(SETTINGS, id="legal.a", name="A", role=StaffRole.staff, unit="legal")
    await check.verify(token)
    await check.verify(token)
    assert staff.reads == 1
    staff.docs["legal.a"]["active"] = False
    now[0] += 2.9
    await check.verify(token)  # still within the window: the cached account
    now[0] += 0.2
    with pytest.raises(InvalidCredentials):
        await check.verify(token)
    assert staff.reads == 2
    staff.docs["legal.a"]["active"] = True
    check.forget("legal.a")
    await check.verify(token)
    assert staff.reads == 3


def request(method: str, cookie: str | None) -> Request:
    headers = [(b"cookie", f"siang_token={cookie}".encode())] if cookie else []
    return Request({"type": "http", "method": method, "headers": headers, "path": "/"})


def test_the_cookie_counts_only_for_requests_that_change_nothing() -> None:
    assert token_of(request("POST", "c"), "b", "siang_token") == "b"
    assert token_of(request("GET", "c"), None, "siang_token") == "c"
    with pytest.raises(InvalidCredentials):
        token_of(request("POST", "c"), None, "siang_token")
    with pytest.raises(InvalidCredentials):
        token_of(request("GET", None), None, "siang_token")
