"""The tracking PIN's stored form: HMAC-SHA256 with a server pepper, so a leaked hash
cannot be tried offline against the million possible PINs. Intake mints the PIN, shows it
once and answers public tracking with it; the hash also travels in
`submission.received`. Every comparison goes through `pin_matches` (constant time)."""

from __future__ import annotations

import hashlib
import hmac

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class TrackingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SIANG_TRACKING_", extra="forbid")

    # The default suits a local run only; deployments set their own.
    pepper: str = Field(
        default="siang-local-tracking-pepper-change-me",
        min_length=16,
        json_schema_extra={"development_secret": True},
    )
    max_wrong_pins: int = Field(default=5, ge=1)
    lockout_seconds: int = Field(default=15 * 60, ge=1)


def hash_pin(pin: str, *, tracking_code: str, pepper: bytes) -> str:
    """What we store instead of the PIN: HMAC-SHA256(pepper, code ‖ PIN), hex."""
    message = f"{tracking_code}\x00{pin}".encode()
    return hmac.new(pepper, message, hashlib.sha256).hexdigest()


def pin_matches(pin: str, *, tracking_code: str, pepper: bytes, stored_hash: str) -> bool:
    """Whether `pin` is the PIN issued with `tracking_code`, compared in constant time."""
    candidate = hash_pin(pin, tracking_code=tracking_code, pepper=pepper)
    return hmac.compare_digest(candidate, stored_hash)
