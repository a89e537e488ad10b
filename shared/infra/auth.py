"""Staff sign-in: argon2 password hashes and signed JWT bearer tokens.

The workflow service keeps the staff directory and signs tokens at login; every service
verifies them with the same secret (`SIANG_AUTH_SECRET`). The algorithm is pinned (HS256)
on both sides, so a token cannot choose its own. Tokens are short-lived (default 12 h, one
working day) and carry id, role, unit and the account's session version (`sv`); a valid
signature alone is not enough: `shared.infra.sessions` checks the token against the
account, so a deactivated account or a changed password ends its tokens within seconds.
"""

from __future__ import annotations

import asyncio
import time

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.contract.roles import StaffRole as StaffRole  # where most callers import it

ALGORITHM = "HS256"
ISSUER = "siang"
_hasher = PasswordHasher()


class AuthSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SIANG_AUTH_", extra="forbid")

    # The default suits a local run only; deployments set their own (32+ bytes).
    secret: str = Field(
        default="siang-local-development-secret-change-me",
        min_length=32,
        json_schema_extra={"development_secret": True},
    )
    token_ttl_seconds: int = Field(default=12 * 3600, ge=60)
    # How long a process trusts what it last read of an account before reading it again:
    # the most a deactivation, password change or sign-out-everywhere takes to bite.
    session_check_seconds: float = Field(default=3.0, ge=0, le=60)
    # Sign-in lock-out: this many wrong passwords for one username within the window
    # lock it for `lockout_seconds` (counted whether the account exists or not).
    lockout_failures: int = Field(default=5, ge=1)
    lockout_window_seconds: int = Field(default=15 * 60, ge=1)
    lockout_seconds: int = Field(default=15 * 60, ge=1)
    # One sign-in for every service's staff pages: the console's sign-in page, where a
    # page sends someone not signed in (with `?next=` back to it). Relative when every
    # service is behind one host (a reverse proxy), as in production: `/console/login`.
    sign_in_url: str = Field(
        default="http://127.0.0.1:8002/console/login", pattern=r"^(https?://[^/?#]+)?/"
    )
    # The origins (scheme://host:port) of the services' staff pages, the only places
    # besides the console's own host the sign-in sends someone back to: an open redirect
    # would let a link to our sign-in page lead a signed-in person to another site.
    page_origins: list[str] = Field(
        default_factory=lambda: [f"http://127.0.0.1:{port}" for port in range(8001, 8006)]
    )


class Principal(BaseModel):
    """Who is calling: a signed-in member of staff."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = Field(validation_alias="sub")
    name: str
    role: StaffRole
    unit: str | None = None
    exp: int
    # The account's session version when the token was signed (tokens from before
    # versions existed carry none: version 0, what an account starts with).
    session_version: int = Field(default=0, validation_alias="sv")


class InvalidCredentials(Exception):
    """Wrong username or password, or a missing, forged or expired token."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, stored: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


async def hashed_password(password: str) -> str:
    """`hash_password` off the event loop: Argon2 spends a deliberate ~0.1-0.4 s of CPU,
    and argon2-cffi lets go of the GIL meanwhile, so other requests go on."""
    return await asyncio.to_thread(hash_password, password)


async def password_matches(password: str, stored: str) -> bool:
    """`verify_password` off the event loop (why: see `hashed_password`)."""
    return await asyncio.to_thread(verify_password, password, stored)


def issue_token(
    settings: AuthSettings,
    *,
    id: str,
    name: str,
    role: StaffRole,
    unit: str | None,
    session_version: int = 0,
) -> str:
    now = int(time.time())
    claims = {
        "sub": id,
        "name": name,
        "role": role.value,
        "unit": unit,
        "sv": session_version,
        "iss": ISSUER,
        "iat": now,
        "exp": now + settings.token_ttl_seconds,
    }
    return jwt.encode(claims, settings.secret, algorithm=ALGORITHM)


def read_token(settings: AuthSettings, token: str) -> Principal:
    try:
        claims = jwt.decode(
            token,
            settings.secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["sub", "exp", "iss"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidCredentials("token expired; sign in again") from exc
    except jwt.PyJWTError as exc:
        raise InvalidCredentials("invalid token") from exc
    try:
        return Principal.model_validate(claims)
    except ValidationError as exc:
        raise InvalidCredentials("invalid token") from exc
