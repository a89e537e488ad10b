"""Which account changes end its sessions, and the sign-in lock-out's counting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.workflow.domain.accounts import (
    Access,
    LockoutPolicy,
    SignInLocked,
    ends_sessions,
    lock_after,
    seconds_locked,
    window_start,
)

BEFORE = Access(active=True, role="staff", unit="legal")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POLICY = LockoutPolicy(failures=5, window=timedelta(minutes=15), lock_for=timedelta(minutes=15))


def test_a_new_password_deactivation_role_or_unit_ends_the_sessions() -> None:
    assert ends_sessions(BEFORE, BEFORE, new_password=True)
    assert ends_sessions(BEFORE, Access(active=False, role="staff", unit="legal"), False)
    assert ends_sessions(BEFORE, Access(active=True, role="supervisor", unit="legal"), False)
    assert ends_sessions(BEFORE, Access(active=True, role="staff", unit="ict"), False)


def test_other_changes_and_new_accounts_end_nothing() -> None:
    assert not ends_sessions(BEFORE, BEFORE, new_password=False)  # name, e-mail, absences
    assert not ends_sessions(None, BEFORE, new_password=True)


def test_the_fifth_failure_in_the_window_locks_for_the_lock_time() -> None:
    assert [lock_after(n, POLICY, NOW) for n in range(1, 5)] == [None] * 4
    assert lock_after(5, POLICY, NOW) == NOW + timedelta(minutes=15)
    assert window_start(POLICY, NOW) == NOW - timedelta(minutes=15)


def test_a_lock_tells_the_whole_seconds_left_and_ends() -> None:
    until = NOW + timedelta(seconds=90.2)
    assert seconds_locked(until, NOW) == 91
    assert seconds_locked(until, until - timedelta(milliseconds=1)) == 1
    assert seconds_locked(until, until) is None
    assert seconds_locked(None, NOW) is None


def test_a_lock_tells_minutes_rounded_up_so_waiting_that_long_always_works() -> None:
    # 14 min 31 s left: "wait 15 minutes", never "14" (the sign-in page and the
    # account page both read this one figure)
    assert SignInLocked(14 * 60 + 31).minutes == 15
    assert SignInLocked(14 * 60 + 1).minutes == 15
    assert SignInLocked(15 * 60).minutes == 15
    assert SignInLocked(5).minutes == 1
