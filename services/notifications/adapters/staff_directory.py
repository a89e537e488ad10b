"""The staff directory, read-only: who a staff id is and how to reach them.

The workflow service owns the `staff` collection in the same database ({_id: staff id,
name, unit, role, email, line_user_id, active}); notifications only reads it. Staff
notices carry staff ids (and `@unit:<code>` for a unit's supervisors), never addresses:
they are resolved here, when a notice is sent.

A contact read for sending is remembered for `cache_seconds` (5 by default), so an
address or an `active` flag changed in the directory is used within that time. Without
it every notice to staff cost SecantusDB a read of a document the workflow service keeps
updating (open-case counters), and under load those reads queued behind its writes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from shared.infra.mongo import Document

SUPERVISOR = "supervisor"
_MAX_REMEMBERED = 10_000


@dataclass(frozen=True, slots=True)
class StaffContact:
    staff_id: str
    name: str | None
    email: str | None
    active: bool


class StaffDirectory:
    def __init__(
        self,
        db: AsyncDatabase[Document],
        collection: str = "staff",
        *,
        cache_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.staff = db[collection]
        self.cache_seconds = cache_seconds
        self.clock = clock
        self._recent: dict[str, tuple[float, StaffContact | None]] = {}
        self._reading: dict[str, asyncio.Future[StaffContact | None]] = {}

    async def contact(
        self, staff_id: str, session: AsyncClientSession | None = None
    ) -> StaffContact | None:
        """The person's contact as the directory holds it (at most `cache_seconds` old;
        read afresh inside a transaction)."""
        if session is not None:
            return await self._read(staff_id, session)
        remembered = self._recent.get(staff_id)
        if remembered is not None and self.clock() - remembered[0] < self.cache_seconds:
            return remembered[1]
        # One read per person at a time: the sends that want them meanwhile (a hundred in
        # flight, many to the same assignee) wait for it instead of each reading.
        reading = self._reading.get(staff_id)
        if reading is None:
            reading = self._reading[staff_id] = asyncio.ensure_future(self._remember(staff_id))
            reading.add_done_callback(lambda _: self._reading.pop(staff_id, None))
        return await asyncio.shield(reading)

    async def _remember(self, staff_id: str) -> StaffContact | None:
        now = self.clock()
        found = await self._read(staff_id, None)
        if self.cache_seconds > 0:
            if len(self._recent) >= _MAX_REMEMBERED:
                self._recent.clear()  # a directory is a few hundred people; never grows
            self._recent[staff_id] = (now, found)
        return found

    async def _read(self, staff_id: str, session: AsyncClientSession | None) -> StaffContact | None:
        doc = await self.staff.find_one(
            {"_id": staff_id}, {"name": 1, "email": 1, "active": 1}, session=session
        )
        if doc is None:
            return None
        return StaffContact(
            staff_id=staff_id,
            name=doc.get("name"),
            email=doc.get("email"),
            active=bool(doc.get("active", True)),
        )

    async def supervisors(self, unit: str, session: AsyncClientSession | None = None) -> list[str]:
        """The active supervisors of `unit`, by id (a stable order, so a stable choice)."""
        cursor = self.staff.find(
            {"unit": unit, "role": SUPERVISOR, "active": {"$ne": False}},
            {"_id": 1},
            session=session,
        ).sort("_id", 1)
        return [d["_id"] async for d in cursor]
