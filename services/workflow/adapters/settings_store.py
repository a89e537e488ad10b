"""The routing rules, deadline policies, unit names and office closures an admin saved
(`workflow_settings`), which replace the YAML files' (and the settings') at start, at once on the replica that saved them, and within
`check_seconds` on every other.

Each save bumps the `config_version` document in the same transaction, so a replica
learns that something changed by reading that one small document at most every
`check_seconds`, and re-reads the policies only then: no restart, no event to consume,
and a replica that was down simply reads them all at start.

The other services learn the units' names from the `unit.changed` events a save of the
units writes to the outbox; `units_announced` records that the saved units were
published, so units saved before workflow published them are announced once at start."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from pymongo import ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from services.workflow.domain.closures import Closure
from services.workflow.domain.routing import RoutingConfig
from services.workflow.domain.sla import SlaConfig
from shared.contract.catalogue import Unit
from shared.infra.mongo import Document

COLLECTION = "workflow_settings"
VERSION = "config_version"
UNITS_ANNOUNCED = "units_announced"


@dataclass(frozen=True, slots=True)
class SavedPolicies:
    """What an admin saved, if anything, and the version it is at (0: never saved)."""

    routing: RoutingConfig | None
    sla: SlaConfig | None
    version: int
    units: tuple[Unit, ...] | None = None
    closures: tuple[Closure, ...] | None = None


class SettingsStore:
    def __init__(
        self,
        db: AsyncDatabase[Document],
        *,
        check_seconds: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = db[COLLECTION]
        self._check_seconds = check_seconds
        self._clock = clock
        self._known: int | None = None  # the version this process applies
        self._checked = 0.0

    async def save_routing(self, config: RoutingConfig, session: AsyncClientSession) -> None:
        await self._save("routing", config.model_dump(mode="json"), session)

    async def save_sla(self, config: SlaConfig, session: AsyncClientSession) -> None:
        await self._save("sla", config.model_dump(mode="json"), session)

    async def save_units(self, units: tuple[Unit, ...], session: AsyncClientSession) -> int:
        """Save the units; returns the settings version of the change, which the
        `unit.changed` events written in the same transaction carry."""
        return await self._save("units", [u.model_dump(mode="json") for u in units], session)

    async def unannounced_units(
        self, session: AsyncClientSession
    ) -> tuple[tuple[Unit, ...], int] | None:
        """The saved units and the settings version, if they were saved but never
        published (saved before workflow published them); None otherwise."""
        if await self.settings.find_one({"_id": UNITS_ANNOUNCED}, session=session) is not None:
            return None
        saved = await self.settings.find_one({"_id": "units"}, session=session)
        if saved is None:
            return None
        version = await self.settings.find_one({"_id": VERSION}, session=session)
        units = tuple(Unit.model_validate(u) for u in saved["config"])
        return units, int(version.get("n", 0) if version else 0)

    async def mark_units_announced(self, session: AsyncClientSession) -> None:
        await self.settings.update_one(
            {"_id": UNITS_ANNOUNCED}, {"$set": {"done": True}}, upsert=True, session=session
        )

    async def save_closures(
        self, closures: tuple[Closure, ...], session: AsyncClientSession
    ) -> None:
        await self._save("closures", [c.model_dump(mode="json") for c in closures], session)

    async def saved_config(self, name: str, session: AsyncClientSession) -> object | None:
        """One saved setting as stored (None: never saved), read in `session`: what a
        change replaces, for its history entry."""
        doc = await self.settings.find_one({"_id": name}, session=session)
        return doc.get("config") if doc else None

    async def saved(self) -> SavedPolicies:
        """What an admin saved, in one read; this process applies that version now."""
        routing: RoutingConfig | None = None
        sla: SlaConfig | None = None
        units: tuple[Unit, ...] | None = None
        closures: tuple[Closure, ...] | None = None
        version = 0
        async for saved in self.settings.find({}):
            if saved["_id"] == "routing":
                routing = RoutingConfig.model_validate(saved["config"])
            elif saved["_id"] == "sla":
                sla = SlaConfig.model_validate(saved["config"])
            elif saved["_id"] == "units":
                units = tuple(Unit.model_validate(u) for u in saved["config"])
            elif saved["_id"] == "closures":
                closures = tuple(Closure.model_validate(c) for c in saved["config"])
            elif saved["_id"] == VERSION:
                version = int(saved.get("n", 0))
        self._known, self._checked = version, self._clock()
        return SavedPolicies(routing, sla, version, units=units, closures=closures)

    async def changed(self) -> bool:
        """Whether an admin saved something since this process last read the policies,
        asked of MongoDB at most every `check_seconds` (False in between)."""
        now = self._clock()
        if self._known is not None and now - self._checked < self._check_seconds:
            return False
        doc = await self.settings.find_one({"_id": VERSION}, projection={"n": 1})
        self._checked = now
        return int(doc.get("n", 0) if doc else 0) != self._known

    async def _save(
        self, name: str, config: Document | list[Document], session: AsyncClientSession
    ) -> int:
        await self.settings.update_one(
            {"_id": name}, {"$set": {"config": config}}, upsert=True, session=session
        )
        bumped = await self.settings.find_one_and_update(
            {"_id": VERSION},
            {"$inc": {"n": 1}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
            session=session,
        )
        return int(bumped["n"]) if bumped else 0
