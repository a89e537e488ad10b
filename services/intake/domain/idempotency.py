"""Idempotency-Key rules: a retry replays the first answer; a reused key with another body is
refused.

Pure: the fingerprint, the decision, and how the stored answer hides the tracking PIN.

The key is scoped to the channel (two channels may pick the same key independently) and
stored only as a hash. The replayed answer must include the tracking PIN — the caller may
never have seen the first answer — yet we never store a PIN in clear. So the record keeps
the PIN masked by a pad derived from the idempotency key itself, which the database does
not hold: only the caller who knows the key can have the PIN back.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import orjson

from services.intake.domain.submission import SubmissionRequest
from shared.contract.events import Channel

# Remembered at least 24 h (issue 3); a little more covers clients retrying across a day.
RETENTION = timedelta(hours=25)
KEY_PATTERN = r"^[\x21-\x7e]{1,255}$"  # visible ASCII, as headers allow
_KEY_SHAPE = re.compile(KEY_PATTERN)


class InvalidIdempotencyKey(ValueError):
    """The header is empty, too long or not printable ASCII."""


class IdempotencyKeyReused(Exception):
    """The same key came with a different body: a client bug, never replayed."""


def check_key(raw: str) -> str:
    if not _KEY_SHAPE.match(raw):
        raise InvalidIdempotencyKey(raw[:40])
    return raw


def record_id(channel: Channel, key: str) -> str:
    """Where the record lives: a hash, so keys chosen by clients are not kept in clear."""
    return hashlib.sha256(f"{channel.value}\x00{key}".encode()).hexdigest()


def fingerprint(body: SubmissionRequest, channel: Channel, keyed_by: str | None = None) -> str:
    """SHA-256 of the canonical JSON of the validated body and who sent it.

    Canonical: validated and normalised (so "081-234-5678" and "0812345678" agree), keys
    sorted, no whitespace.
    """
    document: dict[str, Any] = {
        "body": body.model_dump(mode="json"),
        "channel": channel.value,
        "keyed_by": keyed_by,
    }
    return hashlib.sha256(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _pad(key: str, submission_id: str, digits: int) -> int:
    digest = hmac.new(key.encode(), submission_id.encode(), hashlib.sha256).digest()
    pad: int = int.from_bytes(digest, "big") % 10**digits
    return pad


def mask_pin(pin: str, *, key: str, submission_id: str) -> str:
    """The PIN shifted digit-wise by a pad only the key's holder can compute."""
    n = len(pin)
    return f"{(int(pin) + _pad(key, submission_id, n)) % 10**n:0{n}d}"


def unmask_pin(masked: str, *, key: str, submission_id: str) -> str:
    n = len(masked)
    return f"{(int(masked) - _pad(key, submission_id, n)) % 10**n:0{n}d}"


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """The first answer to a key, as kept: everything but the PIN in clear."""

    record_id: str
    fingerprint: str
    status_code: int
    body: dict[str, Any]
    masked_pin: str
    created_at: datetime

    @property
    def expires_at(self) -> datetime:
        return self.created_at + RETENTION


class Verdict(StrEnum):
    new = "new"
    replay = "replay"


def decide(stored: StoredAnswer | None, presented_fingerprint: str) -> Verdict:
    """`new` when the key is unseen, `replay` for the same body, `IdempotencyKeyReused`
    otherwise."""
    if stored is None:
        return Verdict.new
    if hmac.compare_digest(stored.fingerprint, presented_fingerprint):
        return Verdict.replay
    raise IdempotencyKeyReused(stored.record_id)


def replayed_body(stored: StoredAnswer, *, key: str) -> dict[str, Any]:
    """The first answer again, PIN restored."""
    body = dict(stored.body)
    body["tracking_pin"] = unmask_pin(
        stored.masked_pin, key=key, submission_id=str(body["submission_id"])
    )
    return body
