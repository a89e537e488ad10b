"""Signed, expiring satisfaction-survey tokens: notifications signs, intake verifies.

A token is `v1.<payload>.<signature>`, both parts URL-safe base64 without padding, so it
goes in a URL path or query unescaped. The payload is compact JSON with the case id, the
language of the survey page and the expiry (Unix seconds); the signature is HMAC-SHA256
over `"siang-survey.v1." + payload` (truncated to 128 bits) with a secret shared by the two services. Verifying
needs no database: an authentic, unexpired token is proof that the office sent the
survey link for that case. Whether the survey was already answered is intake's business.

Keys rotate: sign with the new secret, verify with it and the previous ones
(`old_secrets`) until the longest-lived old token has expired.

`sign_claims` and `verified_claims` are the format itself, for any signed link: another
kind of link (participation's per-person mission-survey links) signs its own claims under
its own `domain`, so a token of one kind is never accepted as one of another.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.contract.events import Language

VERSION = "v1"
DEFAULT_TTL = timedelta(days=30)
MIN_SECRET_BYTES = 16
# HMAC-SHA256 truncated to 128 bits (RFC 2104 allows it): still unforgeable, and the
# link is 21 characters shorter in an SMS where a Thai segment holds 70 characters.
SIGNATURE_BYTES = 16
# Anything longer is not ours; refusing it early keeps hostile input cheap.
MAX_TOKEN_CHARS = 512
_DOMAIN = b"siang-survey.v1."
_B64URL = re.compile(r"[A-Za-z0-9_-]+")


class SurveySettings(BaseSettings):
    """The survey-token secret shared by notifications (signs) and intake (verifies):
    `SIANG_SURVEY_SECRET`."""

    model_config = SettingsConfigDict(env_prefix="SIANG_SURVEY_", extra="forbid")

    # The default suits a local run only; deployments set their own in both services.
    secret: SecretStr = Field(
        default=SecretStr("siang-local-survey-secret-change-me"),
        json_schema_extra={"development_secret": True},
    )
    # Secrets being rotated out: intake still accepts them, notifications never signs with them.
    old_secrets: list[SecretStr] = Field(default_factory=list)
    ttl_days: int = Field(default=30, ge=1)

    @field_validator("secret")
    @classmethod
    def _long_enough(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value().encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"survey secret must be at least {MIN_SECRET_BYTES} bytes")
        return value


class SurveyTokenError(ValueError):
    """Base of the survey-token errors; never carries the secret."""


class InvalidToken(SurveyTokenError):
    """Malformed, of an unknown version, or not signed with any of our secrets."""


class ExpiredToken(SurveyTokenError):
    """Authentic but past its expiry; carries the claims so the page can say which case."""

    def __init__(self, claims: SurveyClaims) -> None:
        super().__init__(f"survey token for case {claims.case_id} expired {claims.expires_at}")
        self.claims = claims


@dataclass(frozen=True, slots=True)
class SurveyClaims:
    """What a verified token says: whose survey, in which language, valid until when."""

    case_id: str
    language: Language
    expires_at: datetime


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise InvalidToken("not base64") from exc


def _key(secret: bytes | str) -> bytes:
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    if len(key) < MIN_SECRET_BYTES:
        raise ValueError(f"survey secret must be at least {MIN_SECRET_BYTES} bytes")
    return key


def _signature(key: bytes, payload: str, domain: bytes) -> bytes:
    mac = hmac.new(key, domain + payload.encode("ascii"), hashlib.sha256).digest()
    return mac[:SIGNATURE_BYTES]


def sign_claims(claims: Mapping[str, Any], *, secret: bytes | str, domain: bytes) -> str:
    """`v1.<payload>.<signature>` for `claims` (compact JSON, keys sorted, so the same
    claims always give the same token), signed under `domain` (e.g. `b"siang-survey.v1."`)."""
    payload = _b64encode(orjson.dumps(dict(claims), option=orjson.OPT_SORT_KEYS))
    return f"{VERSION}.{payload}.{_b64encode(_signature(_key(secret), payload, domain))}"


def verified_claims(
    token: str,
    *,
    secret: bytes | str,
    old_secrets: Sequence[bytes | str] = (),
    domain: bytes,
) -> dict[str, Any]:
    """The claims object of a token signed under `domain` with `secret` or one of
    `old_secrets` (compared in constant time, every key tried). Raises InvalidToken when
    it is malformed or not ours; what the claims mean (and their expiry) is the caller's."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS:
        raise InvalidToken("not a survey token")
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidToken("not a survey token")
    version, payload, signature = parts
    if version != VERSION:
        raise InvalidToken(f"unknown token version {version!r}")
    if not (_B64URL.fullmatch(payload) and _B64URL.fullmatch(signature)):
        raise InvalidToken("not a survey token")
    given = _b64decode(signature)
    # One token, one spelling: refuse non-canonical base64 of the same signature bytes.
    if _b64encode(given) != signature:
        raise InvalidToken("not a survey token")
    keys = [_key(secret), *(_key(s) for s in old_secrets)]
    # Check every key even after a match, so timing says nothing about which one matched.
    matched = False
    for key in keys:
        matched |= hmac.compare_digest(_signature(key, payload, domain), given)
    if not matched:
        raise InvalidToken("bad signature")
    try:
        doc = orjson.loads(_b64decode(payload))
    except orjson.JSONDecodeError as exc:
        raise InvalidToken("payload is not JSON") from exc
    if not isinstance(doc, dict):
        raise InvalidToken("payload is not an object")
    return doc


def expiry_of(claims: Mapping[str, Any], name: str = "e") -> datetime:
    """The expiry (Unix seconds under `name`) of verified claims; InvalidToken if absent."""
    expiry = claims.get(name)
    if not isinstance(expiry, int) or isinstance(expiry, bool):
        raise InvalidToken("no expiry")
    try:
        return datetime.fromtimestamp(expiry, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise InvalidToken("expiry out of range") from exc


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("naive datetime for `now`")
    return now


def sign_survey_token(
    case_id: str,
    *,
    secret: bytes | str,
    language: Language = Language.th,
    expires_at: datetime | None = None,
    ttl: timedelta = DEFAULT_TTL,
    now: datetime | None = None,
) -> str:
    """A token for `case_id` valid until `expires_at`, or `now + ttl` when not given.

    Deterministic for the same inputs, so a redelivered event yields the same link.
    """
    if not case_id:
        raise ValueError("case_id must not be empty")
    expiry = expires_at if expires_at is not None else _now(now) + ttl
    if expiry.tzinfo is None:
        raise ValueError("naive datetime for `expires_at`")
    claims = {"c": case_id, "l": language.value, "e": int(expiry.timestamp())}
    return sign_claims(claims, secret=secret, domain=_DOMAIN)


def _parse_claims(doc: Mapping[str, Any]) -> SurveyClaims:
    case_id, language = doc.get("c"), doc.get("l")
    if not isinstance(case_id, str) or not case_id:
        raise InvalidToken("no case id")
    if language not in {lang.value for lang in Language}:
        raise InvalidToken("unknown language")
    return SurveyClaims(case_id=case_id, language=Language(language), expires_at=expiry_of(doc))


def verify_survey_token(
    token: str,
    *,
    secret: bytes | str,
    old_secrets: Sequence[bytes | str] = (),
    now: datetime | None = None,
) -> SurveyClaims:
    """The claims of an authentic, unexpired token.

    Raises InvalidToken when the token is malformed or its signature matches none of
    `secret` and `old_secrets` (compared in constant time), and ExpiredToken when it is
    authentic but `now` is at or past its expiry. The signature is checked before the
    payload is trusted, so ExpiredToken is never raised for a forged token.
    """
    doc = verified_claims(token, secret=secret, old_secrets=old_secrets, domain=_DOMAIN)
    claims = _parse_claims(doc)
    if _now(now) >= claims.expires_at:
        raise ExpiredToken(claims)
    return claims
