"""The office's units as an admin named or added them, for a service that does not own
them (reporting, participation, intake, notifications): the `unit.changed` events of
`siang.units.v1` kept in one small collection of the service's own, one document per
unit code, and laid over the catalogue file whenever a page or a letter names a unit.

Applying is idempotent and order-proof: a unit's document is replaced only by an event
of a higher `version` (workflow's settings version of the change), so a redelivered
batch, a replay of the topic or an event overtaken by a newer one changes nothing. The
collection is not one of reporting's versioned views: a rebuild keeps it. Each process
re-reads it at most every `check_seconds`, so a rename applied by another replica of
the same consumer group shows within that time, without a restart.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError, PyMongoError

from shared.contract.catalogue import Catalogue, Unit, with_units
from shared.contract.events import CloudEvent, UnitChanged
from shared.infra.mongo import Document

log = logging.getLogger(__name__)

CHECK_SECONDS = 2.0


def split(
    events: Sequence[CloudEvent[Any]],
) -> tuple[list[CloudEvent[UnitChanged]], list[CloudEvent[Any]]]:
    """A batch's `unit.changed` events, and the others, each in their order."""
    units: list[CloudEvent[UnitChanged]] = []
    others: list[CloudEvent[Any]] = []
    for e in events:
        (units if isinstance(e.data, UnitChanged) else others).append(e)
    return units, others


def latest(changes: Iterable[UnitChanged]) -> dict[str, UnitChanged]:
    """The change of the highest version per unit code (the later one on a tie)."""
    out: dict[str, UnitChanged] = {}
    for c in changes:
        if c.code not in out or c.version >= out[c.code].version:
            out[c.code] = c
    return out


def units_of(docs: Iterable[Document]) -> list[Unit]:
    """The kept units, first known first (a unit an admin added joins the end)."""
    ordered = sorted(docs, key=lambda d: (int(d.get("since", 0)), str(d["_id"])))
    return [Unit(code=d["_id"], name_th=d["name_th"], name_en=d["name_en"]) for d in ordered]


class UnitDirectory:
    def __init__(
        self,
        db: AsyncDatabase[Document],
        collection: str,
        base: Catalogue,
        *,
        check_seconds: float = CHECK_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.collection = db[collection]
        self.base = base
        self._check_seconds = check_seconds
        self._clock = clock
        self._current = base
        self._read_at: float | None = None
        # What the kept documents were when `_current` was built from them.
        self._kept: list[Document] | None = None

    async def take(self, events: Sequence[CloudEvent[Any]]) -> list[CloudEvent[Any]]:
        """Keep the batch's `unit.changed` events (a consumer reads `siang.units.v1`
        beside its own topics); returns the other events, in their order."""
        units, others = split(events)
        if units:
            await self.apply(units)
        return others

    async def apply(self, events: Iterable[CloudEvent[UnitChanged]]) -> int:
        """Keep each unit's newest names; returns how many units changed."""
        changed = 0
        for code, c in latest(e.data for e in events).items():
            try:
                result = await self.collection.update_one(
                    {"_id": code, "version": {"$lt": c.version}},
                    {
                        "$set": {"name_th": c.name_th, "name_en": c.name_en, "version": c.version},
                        "$setOnInsert": {"since": c.version},
                    },
                    upsert=True,
                )
            except DuplicateKeyError:
                continue  # the unit is kept at this version or a newer one already
            changed += int(bool(result.modified_count or result.upserted_id is not None))
        if changed:
            self._read_at = None  # this process shows them at once
            log.info("unit names changed: %d", changed)
        return changed

    async def catalogue(self) -> Catalogue:
        """The catalogue file with the kept names and units, read again at most every
        `check_seconds`. If MongoDB cannot be asked, the names last read stay."""
        now = self._clock()
        if self._read_at is not None and now - self._read_at < self._check_seconds:
            return self._current
        try:
            docs = [d async for d in self.collection.find({})]
        except PyMongoError as exc:
            log.warning("could not read the unit names: %r", exc)
            return self._current
        if docs != self._kept:  # the same names again: the same catalogue object
            self._current, self._kept = with_units(self.base, units_of(docs)), docs
        self._read_at = now
        return self._current
