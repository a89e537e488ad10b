"""Staff tokens and passwords: forged, expired or other-algorithm tokens are refused."""

from __future__ import annotations

import time

import jwt
import pytest

from shared.infra.auth import (
    AuthSettings,
    InvalidCredentials,
    StaffRole,
    hash_password,
    issue_token,
    read_token,
    verify_password,
)

SETTINGS = AuthSettings(secret="x" * 40)


def test_a_token_round_trips_the_principal() -> None:
    token = issue_token(
        SETTINGS, id="personnel.a", name="สมศรี", role=StaffRole.staff, unit="personnel"
    )
    who = read_token(SETTINGS, token)
    assert (who.id, who.role, who.unit, who.name) == (
        "personnel.a",
        StaffRole.staff,
        "personnel",
        "สมศรี",
    )


def test_another_secret_or_algorithm_is_refused() -> None:
    token = issue_token(SETTINGS, id="a", name="a", role=StaffRole.admin, unit=None)
    with pytest.raises(InvalidCredentials):
        read_token(AuthSettings(secret="y" * 40), token)
    unsigned = jwt.encode(
        {"sub": "a", "name": "a", "role": "admin", "iss": "siang", "exp": int(time.time()) + 60},
        key=None,
        algorithm="none",
    )
    with pytest.raises(InvalidCredentials):
        read_token(SETTINGS, unsigned)


def test_expired_tokens_are_refused() -> None:
    token = jwt.encode(
        {"sub": "a", "name": "a", "role": "staff", "iss": "siang", "exp": int(time.time()) - 5},
        SETTINGS.secret,
        algorithm="HS256",
    )
    with pytest.raises(InvalidCredentials, match="expired"):
        read_token(SETTINGS, token)


def test_passwords_are_argon2_and_checked() -> None:
    stored = hash_password("siang-demo-2569")
    assert stored.startswith("$argon2")
    assert verify_password("siang-demo-2569", stored)
    assert not verify_password("wrong", stored)
    assert not verify_password("x", "not-a-hash")
