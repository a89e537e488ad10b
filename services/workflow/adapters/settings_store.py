"""The routing rules, deadline policies, unit names and office closures an admin saved
(`workflow_settings`), which replace the YAML files' (and the settings') at start, at once on the replica that saved them, and within
`check_seconds` on every other.

Each save bumps the `config_version` document in the same transaction, so a replica
learns that something changed by reading that one small document at most every
`check_seconds`, and re-reads the policies only then: no restart, no event to consume,
and a replica that was down simply reads them all at start."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from services.workflow.domain.closures import Closure
from services.workflow.domain.routing import RoutingConfig
from services.workflow.domain.sla import SlaConfig
from shared.contract.catalogue import Unit
from shared.infra.mongo import Document

COLLECTION = "workflow_settings"
VERSION = "config_version"


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

    async def save_units(self, units: tuple[Unit, ...], session: AsyncClientSession) -> None:
        await self._save("units", [u.model_dump(mode="json") for u in units], session)

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
    ) -> None:
        await self.settings.update_one(
            {"_id": name}, {"$set": {"config": config}}, upsert=True, session=session
        )
        await self.settings.update_one(
            {"_id": VERSION}, {"$inc": {"n": 1}}, upsert=True, session=session
        )
