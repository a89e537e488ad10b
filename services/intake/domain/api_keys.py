"""API keys of channel clients: minted with `secrets`, shown once, kept only as a hash.

A key looks like ``siang_<key id>_<secret>``. The key id (public, 12 symbols) finds the
record; the SHA-256 of the whole key is compared in constant time. SHA-256 without salt is
enough here because the secret carries 256 bits: nobody brute-forces that, unlike a
password. Each key is tied to exactly one channel; revoking a key is a timestamp, kept for
the audit trail with who created and who revoked it.

Keys are for partner systems and gateways (LINE, e-mail, Facebook, Open311, partner API):
the web form needs none, and a phone call, walk-in or letter is keyed in by signed-in
staff, so no key is minted for those channels (`KEYED_CHANNELS`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from shared.contract.events import STAFF_KEYED_CHANNELS, Channel

KEY_PREFIX = "siang"
_KEY_ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
_KEY_ID_LENGTH = 12
_SECRET_BYTES = 32
_KEY_SHAPE = re.compile(
    rf"^{KEY_PREFIX}_(?P<key_id>[{_KEY_ID_ALPHABET}]{{{_KEY_ID_LENGTH}}})_(?P<secret>[A-Za-z0-9_-]{{43}})$"
)


#: The channels a key may be minted for, in the order the pages offer them.
KEYED_CHANNELS = tuple(c for c in Channel if c is not Channel.web and c not in STAFF_KEYED_CHANNELS)
LABEL_MAX = 100


class InvalidApiKey(Exception):
    """The key is malformed, unknown, revoked or does not match: all look the same outside."""


class KeyRefused(ValueError):
    """A key that may not be minted as asked (`field` says which input is wrong)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class ApiKeyRecord:
    key_id: str
    channel: Channel
    key_hash: str
    label: str
    created_at: datetime
    revoked_at: datetime | None = None
    # Who minted and who revoked it: a staff id, or "command line" (`keys create`).
    created_by: str | None = None
    revoked_by: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True, slots=True)
class IssuedKey:
    """The one moment the key exists in clear: printed once, then forgotten."""

    key: str
    record: ApiKeyRecord


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_key(
    channel: Channel, *, label: str, now: datetime, created_by: str | None = None
) -> IssuedKey:
    """A new key for `channel`; only its hash goes into the returned record."""
    key_id = "".join(secrets.choice(_KEY_ID_ALPHABET) for _ in range(_KEY_ID_LENGTH))
    key = f"{KEY_PREFIX}_{key_id}_{secrets.token_urlsafe(_SECRET_BYTES)}"
    record = ApiKeyRecord(
        key_id=key_id,
        channel=channel,
        key_hash=hash_key(key),
        label=label,
        created_at=now,
        created_by=created_by,
    )
    return IssuedKey(key=key, record=record)


def key_request(channel: str, label: str) -> tuple[Channel, str]:
    """The channel and label a key is asked for, checked (`KeyRefused` says what is wrong):
    a channel keys are minted for, and a label saying who holds it."""
    try:
        chosen = Channel(channel)
    except ValueError:
        raise KeyRefused("channel", f"unknown channel {channel!r}") from None
    if chosen not in KEYED_CHANNELS:
        raise KeyRefused("channel", f"the {chosen.value} channel takes no key")
    label = " ".join(label.split())
    if not label:
        raise KeyRefused("label", "say who holds the key")
    if len(label) > LABEL_MAX:
        raise KeyRefused("label", f"at most {LABEL_MAX} characters")
    return chosen, label


def key_id_of(key: str) -> str:
    """The record id inside a presented key, or `InvalidApiKey` if it is not one of ours."""
    match = _KEY_SHAPE.match(key)
    if match is None:
        raise InvalidApiKey("malformed")
    return match["key_id"]


def verify(key: str, record: ApiKeyRecord | None) -> Channel:
    """The channel `key` speaks for, or `InvalidApiKey`.

    The hash is compared in constant time even when the record is missing, so timing
    tells nothing about which key ids exist.
    """
    presented = hash_key(key)
    expected = record.key_hash if record is not None else "0" * len(presented)
    same = hmac.compare_digest(presented, expected)
    if record is None or not same:
        raise InvalidApiKey("unknown")
    if not record.active:
        raise InvalidApiKey("revoked")
    return record.channel
