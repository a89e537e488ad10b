"""Staff sign-in: password hashes and signed bearer tokens.

The workflow service keeps the staff directory and signs tokens at login; every service
verifies them with the same secret (`SIANG_AUTH_SECRET`) without a database round trip.
Tokens are short-lived (default 12 h, one working day) and carry id, role and unit.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from enum import StrEnum

import orjson
from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


class AuthSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SIANG_AUTH_", extra="forbid")

    # The default suits a local run only; deployments set their own.
    secret: str = Field(default="siang-local-development-secret-change-me", min_length=16)
    token_ttl_seconds: int = Field(default=12 * 3600, ge=60)


class StaffRole(StrEnum):
    staff = "staff"
    supervisor = "supervisor"
    admin = "admin"
    committee = "committee"


class Principal(BaseModel):
    """Who is calling: a signed-in member of staff."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    role: StaffRole
    unit: str | None = None
    exp: int


class InvalidCredentials(Exception):
    """Wrong username or password, or a missing, forged or expired token."""


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt_hex), **_SCRYPT)
    return hmac.compare_digest(digest, bytes.fromhex(digest_hex))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, body: str) -> str:
    return _b64(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest())


def issue_token(
    settings: AuthSettings, *, id: str, name: str, role: StaffRole, unit: str | None
) -> str:
    exp = int(time.time()) + settings.token_ttl_seconds
    body = _b64(orjson.dumps({"id": id, "name": name, "role": role, "unit": unit, "exp": exp}))
    return f"{body}.{_mac(settings.secret, body)}"


def read_token(settings: AuthSettings, token: str, now: float | None = None) -> Principal:
    body, _, mac = token.partition(".")
    if not body or not hmac.compare_digest(mac, _mac(settings.secret, body)):
        raise InvalidCredentials("invalid token")
    try:
        principal = Principal.model_validate(orjson.loads(_unb64(body)))
    except ValueError as exc:
        raise InvalidCredentials("invalid token") from exc
    if principal.exp < (now if now is not None else time.time()):
        raise InvalidCredentials("token expired")
    return principal
