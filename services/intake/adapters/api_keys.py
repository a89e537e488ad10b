"""Channel API keys in MongoDB (hashes only), and the in-memory cache the API reads."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from services.intake.domain.api_keys import ApiKeyRecord, key_id_of, verify
from services.intake.handlers.ports import StoreUnavailable
from shared.contract.events import Channel
from shared.infra.mongo import Document


def _record(doc: Document) -> ApiKeyRecord:
    return ApiKeyRecord(
        key_id=doc["_id"],
        channel=Channel(doc["channel"]),
        key_hash=doc["key_hash"],
        label=doc.get("label", ""),
        created_at=doc["created_at"],
        revoked_at=doc.get("revoked_at"),
        created_by=doc.get("created_by"),
        revoked_by=doc.get("revoked_by"),
    )


class ApiKeys:
    def __init__(self, db: AsyncDatabase[Document], collection: str = "api_keys") -> None:
        self.collection = db[collection]

    async def add(self, record: ApiKeyRecord) -> None:
        await self.collection.insert_one(
            {
                "_id": record.key_id,
                "channel": record.channel.value,
                "key_hash": record.key_hash,
                "label": record.label,
                "created_at": record.created_at,
                "revoked_at": record.revoked_at,
                "created_by": record.created_by,
                "revoked_by": record.revoked_by,
            }
        )

    async def get(self, key_id: str) -> ApiKeyRecord | None:
        doc = await self.collection.find_one({"_id": key_id})
        return _record(doc) if doc else None

    async def all(self) -> list[ApiKeyRecord]:
        return [_record(doc) async for doc in self.collection.find().sort("created_at", 1)]

    async def revoke(self, key_id: str, now: datetime, by: str | None = None) -> bool:
        """True if an active key was revoked now (by `by`, recorded with the time)."""
        result = await self.collection.update_one(
            {"_id": key_id, "revoked_at": None}, {"$set": {"revoked_at": now, "revoked_by": by}}
        )
        return result.modified_count == 1


class KeyLookup(Protocol):
    async def get(self, key_id: str) -> ApiKeyRecord | None: ...


class CachedKeyCheck:
    """Resolves a presented key to its channel, reading MongoDB at most once per key id
    every `ttl` seconds: a revocation takes effect within `ttl`."""

    def __init__(
        self, keys: KeyLookup, *, ttl: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._keys = keys
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[str, tuple[float, ApiKeyRecord | None]] = {}

    def forget(self, key_id: str) -> None:
        """Read the key afresh next time (this process just revoked it: no need to wait)."""
        self._cache.pop(key_id, None)

    async def channel_of(self, key: str) -> Channel:
        """The key's channel, or `InvalidApiKey` (malformed, unknown, revoked, wrong)."""
        key_id = key_id_of(key)
        now = self._clock()
        hit = self._cache.get(key_id)
        if hit is None or now - hit[0] > self._ttl:
            try:
                record = await self._keys.get(key_id)
            except PyMongoError as exc:
                # MongoDB away: a key seen recently still works, so channels keep
                # submitting through the Kafka path; an unseen one cannot be checked.
                if hit is None:
                    raise StoreUnavailable(repr(exc)) from exc
                record = hit[1]
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[key_id] = (now, record)
        else:
            record = hit[1]
        return verify(key, record)
