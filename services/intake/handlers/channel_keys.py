"""Channel API keys as an admin manages them: mint one (its secret shown once), list them,
revoke one. The record keeps who minted and who revoked it, and when.

A revocation reaches every replica through the database: each caches the keys it has
checked for `SIANG_INTAKE_API_KEY_CACHE_SECONDS` (5 s by default) and reads the record
again after that, so a revoked key stops working everywhere within that window; the
replica that revoked it forgets its copy at once."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from services.intake.domain.api_keys import ApiKeyRecord, IssuedKey, issue_key, key_request


class KeyStore(Protocol):
    async def add(self, record: ApiKeyRecord) -> None: ...

    async def all(self) -> list[ApiKeyRecord]: ...

    async def revoke(self, key_id: str, now: datetime, by: str | None = None) -> bool: ...


class KeyCache(Protocol):
    def forget(self, key_id: str) -> None: ...


async def create_key(
    store: KeyStore, channel: str, label: str, *, by: str, now: datetime
) -> IssuedKey:
    """A new key for `channel`, held by `label`, minted by staff `by`; only its hash is
    stored. `KeyRefused` for a channel that takes no key or a missing label."""
    chosen, label = key_request(channel, label)
    issued = issue_key(chosen, label=label, now=now, created_by=by)
    await store.add(issued.record)
    return issued


async def revoke_key(
    store: KeyStore, cache: KeyCache, key_id: str, *, by: str, now: datetime
) -> bool:
    """Stop `key_id` working; False if no active key has that id."""
    revoked = await store.revoke(key_id, now, by)
    cache.forget(key_id)
    return revoked


async def listed_keys(store: KeyStore) -> list[ApiKeyRecord]:
    """Every key, the newest first, revoked ones included (the audit trail)."""
    return sorted(await store.all(), key=lambda r: r.created_at, reverse=True)
