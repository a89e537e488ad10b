"""Decisions about staff accounts' sessions: which changes end an account's sessions, and
when wrong passwords lock signing in.

Pure: the staff directory and the sign-in attempts adapter store what these decide.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.workflow.domain.errors import DomainError


@dataclass(frozen=True, slots=True)
class Access:
    """What an account may do, as far as its sessions are concerned."""

    active: bool
    role: str
    unit: str | None


def ends_sessions(before: Access | None, after: Access, new_password: bool) -> bool:
    """Whether saving `after` over `before` ends the account's sessions: a new password,
    a deactivation (or reactivation), a new role or a new unit. A new account has none."""
    if before is None:
        return False
    return new_password or before != after


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    """`failures` wrong passwords within `window` lock a username for `lock_for`."""

    failures: int
    window: timedelta
    lock_for: timedelta


def seconds_locked(locked_until: datetime | None, now: datetime) -> int | None:
    """Whole seconds (rounded up) until a lock ends, or None if there is none now."""
    if locked_until is None or locked_until <= now:
        return None
    return max(math.ceil((locked_until - now).total_seconds()), 1)


def lock_after(failures_in_window: int, policy: LockoutPolicy, now: datetime) -> datetime | None:
    """Until when a username is locked once it has this many failures in the window."""
    if failures_in_window >= policy.failures:
        return now + policy.lock_for
    return None


def window_start(policy: LockoutPolicy, now: datetime) -> datetime:
    """Failures counted before this no longer count."""
    return now - policy.window


class SignInLocked(Exception):
    """Too many wrong passwords for this username lately; try again in `retry_after` s."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"too many failed sign-ins for this username; try again in {retry_after} seconds"
        )
        self.retry_after = retry_after

    @property
    def minutes(self) -> int:
        """Whole minutes to tell a person: rounded up, so waiting that long always works."""
        return max(math.ceil(self.retry_after / 60), 1)


class WrongCurrentPassword(DomainError):
    """Changing one's password with a wrong current one (counted like a wrong sign-in)."""

    code = "wrong_current_password"

    def __init__(self) -> None:
        super().__init__("the current password is wrong", field="current_password")
