"""The office as its letters name it, with the units' names an admin gave since the
catalogue file (`unit.changed` on `siang.units.v1`): kept in `notification_units` by the
shared `UnitDirectory` (the newest version per unit, re-read at most every 2 s, so a
rename another replica applied shows too) and laid over the office built at start."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.notifications.domain.office import Office
from shared.contract.catalogue import Catalogue
from shared.contract.events import CloudEvent
from shared.infra.unit_directory import UnitDirectory

COLLECTION = "notification_units"


class OfficeUnits:
    def __init__(self, directory: UnitDirectory, office: Office) -> None:
        self.directory = directory
        self._office = office
        self._named_from: Catalogue | None = None

    async def take(self, events: Sequence[CloudEvent[Any]]) -> list[CloudEvent[Any]]:
        """Keep the batch's `unit.changed` events; returns the others."""
        return await self.directory.take(events)

    async def office(self) -> Office:
        """The office naming the units as they are named now."""
        catalogue = await self.directory.catalogue()
        if catalogue is not self._named_from:  # the directory read them again
            self._office = self._office.with_units(catalogue.units)
            self._named_from = catalogue
        return self._office
