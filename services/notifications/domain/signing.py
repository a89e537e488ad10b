"""Webhook signatures: HMAC-SHA256 over `"{timestamp}.{body}"` with the subscriber's secret.

Headers on every delivery:

    X-Siang-Timestamp: 1795672800
    X-Siang-Signature: t=1795672800,v1=<64 hex>

The timestamp is inside the signed bytes, so a receiver that checks it is fresh (within
`tolerance`, default 300 s) refuses a captured request replayed later. Several `v1=`
entries may appear while a subscriber's secret rotates; any one matching is enough.
Receivers in Python (and the tests) call `verify`; others re-implement these few lines.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping, Sequence

SIGNATURE_HEADER = "X-Siang-Signature"
TIMESTAMP_HEADER = "X-Siang-Timestamp"
DEFAULT_TOLERANCE_SECONDS = 300
SCHEME = "v1"


class SignatureError(ValueError):
    """Base of the signature failures a receiver answers with 401."""


class MissingSignature(SignatureError):
    """No signature or timestamp header, or one that cannot be parsed."""


class BadSignature(SignatureError):
    """No `v1` signature matches the body with any of the receiver's secrets."""


class StaleTimestamp(SignatureError):
    """Signed too long ago or too far in the future: a replay, or a badly wrong clock."""


def _as_bytes(value: bytes | str) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def compute_signature(secret: bytes | str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of `"{timestamp}.".encode() + body` under `secret`."""
    key = _as_bytes(secret)
    if not key:
        raise ValueError("webhook secret must not be empty")
    message = f"{timestamp}.".encode("ascii") + body
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def sign(
    body: bytes, secrets: bytes | str | Sequence[bytes | str], *, timestamp: int | None = None
) -> dict[str, str]:
    """The two headers to send with `body`, signed with every secret given.

    Pass the new and the old secret while a subscriber rotates, one `v1=` each.
    """
    ts = int(time.time()) if timestamp is None else timestamp
    keys = [secrets] if isinstance(secrets, bytes | str) else list(secrets)
    if not keys:
        raise ValueError("at least one webhook secret is needed")
    entries = [f"t={ts}"] + [f"{SCHEME}={compute_signature(k, ts, body)}" for k in keys]
    return {SIGNATURE_HEADER: ",".join(entries), TIMESTAMP_HEADER: str(ts)}


def _header(headers: Mapping[str, str], name: str) -> str | None:
    # HTTP header names are case-insensitive; receivers hand us whatever their framework has.
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return None


def _parse(header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    signatures: list[str] = []
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError:
                raise MissingSignature("timestamp is not a number") from None
        elif key == SCHEME:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise MissingSignature("signature header lacks t= or v1=")
    return timestamp, signatures


def verify(
    body: bytes,
    headers: Mapping[str, str],
    secrets: bytes | str | Sequence[bytes | str],
    *,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> int:
    """Check a delivery; return its signed timestamp.

    Raises MissingSignature, StaleTimestamp (|now - t| > tolerance, either direction)
    or BadSignature (constant-time comparison against every secret). The timestamp
    header must equal the signed `t=`, so neither can be swapped alone.
    """
    header = _header(headers, SIGNATURE_HEADER)
    if not header:
        raise MissingSignature(f"no {SIGNATURE_HEADER} header")
    timestamp, given = _parse(header)
    plain = _header(headers, TIMESTAMP_HEADER)
    if plain is not None and plain.strip() != str(timestamp):
        raise BadSignature("timestamp header differs from the signed timestamp")
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise StaleTimestamp(f"signed at {timestamp}, now {int(current)}")
    keys = [secrets] if isinstance(secrets, bytes | str) else list(secrets)
    expected = [compute_signature(k, timestamp, body) for k in keys]
    matched = False
    for candidate in given:
        for exp in expected:
            matched |= hmac.compare_digest(candidate.encode(), exp.encode())
    if not matched:
        raise BadSignature("no signature matches")
    return timestamp
