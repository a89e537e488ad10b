"""The staff directory, read-only: who a staff id is and how to reach them.

The workflow service owns the `staff` collection in the same database ({_id: staff id,
name, unit, role, email, line_user_id, active}); notifications only reads it, so an
address changed there is used from the next delivery on. Staff notices carry staff ids
(and `@unit:<code>` for a unit's supervisors), never addresses: they are resolved here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

Document = dict[str, Any]
SUPERVISOR = "supervisor"


@dataclass(frozen=True, slots=True)
class StaffContact:
    staff_id: str
    name: str | None
    email: str | None
    active: bool


class StaffDirectory:
    def __init__(self, db: AsyncDatabase[Document], collection: str = "staff") -> None:
        self.staff = db[collection]

    async def contact(
        self, staff_id: str, session: AsyncClientSession | None = None
    ) -> StaffContact | None:
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
