"""Complainants' contacts for sending, read from the personal-data store
(`shared/infra/personal_data.py`) by the `person_id` the case facts keep.

A batch of case events reads the contacts it needs in one go (`contacts`), and each
answer is reused for `cache_seconds` (the staff directory's setting, 5 by default): the
events of one case (opened, triaged, assigned...) usually arrive within that time, so
planning never costs a read per notice. A person erased meanwhile may still be answered
for those few seconds; after that they are simply not found, and not told.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from pymongo.asynchronous.database import AsyncDatabase

from shared.contract.events import Contact
from shared.infra.mongo import Document
from shared.infra.personal_data import PersonalData

_MAX_REMEMBERED = 10_000


class ComplainantContacts:
    def __init__(
        self,
        db: AsyncDatabase[Document],
        *,
        cache_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.people = PersonalData(db)
        self.cache_seconds = cache_seconds
        self.clock = clock
        self._recent: dict[str, tuple[float, Contact | None]] = {}

    def forget(self, person_ids: Iterable[str]) -> None:
        """Drop erased people from this process's memory at once (other replicas forget
        them within `cache_seconds`)."""
        for person_id in person_ids:
            self._recent.pop(person_id, None)

    async def contacts(self, person_ids: Iterable[str]) -> dict[str, Contact]:
        """The contacts of those of `person_ids` still on file, by person id: the ones
        remembered from the last `cache_seconds`, the others in one read (outside any
        transaction: the store is written once, by intake, before the events exist)."""
        now = self.clock()
        found: dict[str, Contact] = {}
        missing: list[str] = []
        for person_id in set(person_ids):
            remembered = self._recent.get(person_id)
            if remembered is not None and now - remembered[0] < self.cache_seconds:
                if remembered[1] is not None:
                    found[person_id] = remembered[1]
            else:
                missing.append(person_id)
        if not missing:
            return found
        read = await self.people.contacts(missing)
        found.update(read)
        if self.cache_seconds > 0:
            if len(self._recent) + len(missing) > _MAX_REMEMBERED:
                self._recent.clear()  # a few seconds' worth of people; never grows
            for person_id in missing:
                self._recent[person_id] = (now, read.get(person_id))
        return found
