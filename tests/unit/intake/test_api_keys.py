"""API keys: shown once, kept hashed, one channel each, revocable."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from services.intake.domain.api_keys import (
    KEY_PREFIX,
    KEYED_CHANNELS,
    InvalidApiKey,
    KeyRefused,
    issue_key,
    key_id_of,
    key_request,
    verify,
)
from shared.contract.events import Channel

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def test_issued_key_verifies_to_its_channel() -> None:
    issued = issue_key(Channel.line, label="LINE OA", now=NOW)
    assert key_id_of(issued.key) == issued.record.key_id
    assert verify(issued.key, issued.record) == Channel.line


def test_record_never_holds_the_key() -> None:
    issued = issue_key(Channel.email, label="mail gateway", now=NOW)
    assert issued.key not in repr(issued.record)
    # The secret is all that follows the key id: it may itself hold "_" (URL-safe base64).
    secret = issued.key.removeprefix(f"{KEY_PREFIX}_{issued.record.key_id}_")
    assert len(secret) >= 40
    assert secret not in issued.record.key_hash


def test_keys_are_unique_and_long() -> None:
    keys = {issue_key(Channel.api, label="x", now=NOW).key for _ in range(1000)}
    assert len(keys) == 1000
    assert all(len(k) > 50 for k in keys)


def test_wrong_secret_is_refused() -> None:
    issued = issue_key(Channel.line, label="", now=NOW)
    forged = issued.key[:-4] + ("AAAA" if not issued.key.endswith("AAAA") else "BBBB")
    with pytest.raises(InvalidApiKey):
        verify(forged, issued.record)


def test_unknown_key_is_refused() -> None:
    issued = issue_key(Channel.line, label="", now=NOW)
    with pytest.raises(InvalidApiKey):
        verify(issued.key, None)


def test_revoked_key_is_refused() -> None:
    issued = issue_key(Channel.line, label="", now=NOW)
    revoked = dataclasses.replace(issued.record, revoked_at=NOW)
    with pytest.raises(InvalidApiKey):
        verify(issued.key, revoked)


@pytest.mark.parametrize(
    "raw", ["", "secret", "siang_abc_def", "siang_" + "0" * 12 + "_" + "a" * 43]
)
def test_malformed_keys(raw: str) -> None:
    with pytest.raises(InvalidApiKey):
        key_id_of(raw)


async def test_cache_reads_once_per_ttl_and_sees_revocation_after_it() -> None:
    from pymongo.errors import ServerSelectionTimeoutError

    from services.intake.adapters.api_keys import CachedKeyCheck
    from services.intake.handlers.ports import StoreUnavailable

    class Keys:
        def __init__(self) -> None:
            self.records: dict[str, object] = {}
            self.reads = 0
            self.down = False

        async def get(self, key_id):
            self.reads += 1
            if self.down:
                raise ServerSelectionTimeoutError("down")
            return self.records.get(key_id)

    now = [0.0]
    keys = Keys()
    issued = issue_key(Channel.line, label="", now=NOW)
    keys.records[issued.record.key_id] = issued.record
    check = CachedKeyCheck(keys, ttl=30, clock=lambda: now[0])
    assert await check.channel_of(issued.key) == Channel.line
    assert await check.channel_of(issued.key) == Channel.line
    assert keys.reads == 1
    keys.records[issued.record.key_id] = dataclasses.replace(issued.record, revoked_at=NOW)
    now[0] = 31
    with pytest.raises(InvalidApiKey):
        await check.channel_of(issued.key)
    # MongoDB away: a key seen before keeps its last known state; an unseen one cannot pass.
    keys.down = True
    now[0] = 100
    with pytest.raises(InvalidApiKey):
        await check.channel_of(issued.key)
    other = issue_key(Channel.email, label="", now=NOW)
    with pytest.raises(StoreUnavailable):
        await check.channel_of(other.key)


def test_keys_are_minted_only_for_channels_that_submit_with_one_and_say_who_holds_them():
    assert Channel.web not in KEYED_CHANNELS and Channel.letter not in KEYED_CHANNELS
    assert key_request("open311", "  Traffy   Fondue ") == (Channel.open311, "Traffy Fondue")
    for channel, label, field in (
        ("web", "x", "channel"),
        ("phone", "x", "channel"),
        ("fax", "x", "channel"),
        ("line", " ", "label"),
        ("line", "x" * 101, "label"),
    ):
        with pytest.raises(KeyRefused) as refused:
            key_request(channel, label)
        assert refused.value.field == field
