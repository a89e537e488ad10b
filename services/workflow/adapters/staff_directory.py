"""The staff directory in MongoDB: accounts, roles, units, absences, caps, open-case
counts, and the per-unit round-robin cursor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from services.workflow.domain.assignment import Absence, StaffMember
from shared.auth import StaffRole, hash_password

Document = dict[str, Any]
ASSIGNABLE = {StaffRole.staff.value, StaffRole.supervisor.value}


class StaffAccount(BaseModel):
    """A person who signs in: what the directory stores, less the password hash."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")
    name: str = Field(min_length=1, max_length=200)
    role: StaffRole
    unit: str | None = None
    email: str | None = None
    line_user_id: str | None = None
    active: bool = True
    absences: list[Absence] = Field(default_factory=list)
    cap: int | None = Field(default=None, ge=0)
    open_cases: int = 0


class StaffDirectory:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.staff = db["staff"]
        self.cursors = db["unit_cursors"]

    async def ensure_indexes(self) -> None:
        await self.staff.create_index([("unit", 1), ("role", 1)])

    async def seed(self, path: Path) -> int:
        """Load the demo directory into an empty collection; returns how many were added."""
        if await self.staff.estimated_document_count() > 0:
            return 0
        password, accounts = read_seed(path)
        await self.staff.insert_many(
            [{**_to_doc(a), "password_hash": password} for a in accounts], ordered=False
        )
        return len(accounts)

    async def get(
        self, staff_id: str, session: AsyncClientSession | None = None
    ) -> Document | None:
        return await self.staff.find_one({"_id": staff_id}, session=session)

    async def account(self, staff_id: str) -> StaffAccount | None:
        doc = await self.get(staff_id)
        return _from_doc(doc) if doc else None

    async def accounts(self, unit: str | None = None) -> list[StaffAccount]:
        query: Document = {} if unit is None else {"unit": unit}
        return [_from_doc(d) async for d in self.staff.find(query).sort("_id", 1)]

    async def members(
        self, unit: str, session: AsyncClientSession | None = None
    ) -> tuple[list[StaffMember], dict[str, int]]:
        """The unit's assignable people and their open-case counts."""
        members: list[StaffMember] = []
        counts: dict[str, int] = {}
        async for d in self.staff.find(
            {"unit": unit, "role": {"$in": sorted(ASSIGNABLE)}}, session=session
        ):
            members.append(
                StaffMember(
                    id=d["_id"],
                    unit=d["unit"],
                    role=d["role"],
                    name=d.get("name"),
                    active=d.get("active", True),
                    cap=d.get("cap"),
                    absences=tuple(Absence.model_validate(a) for a in d.get("absences", [])),
                )
            )
            counts[d["_id"]] = int(d.get("open_cases", 0))
        return members, counts

    async def add_open(self, staff_id: str | None, delta: int, session: AsyncClientSession) -> None:
        if staff_id and delta:
            await self.staff.update_one(
                {"_id": staff_id}, {"$inc": {"open_cases": delta}}, session=session
            )

    async def cursor(self, unit: str, session: AsyncClientSession) -> str | None:
        doc = await self.cursors.find_one({"_id": unit}, session=session)
        return doc.get("last_assigned") if doc else None

    async def move_cursor(self, unit: str, staff_id: str, session: AsyncClientSession) -> None:
        await self.cursors.update_one(
            {"_id": unit}, {"$set": {"last_assigned": staff_id}}, upsert=True, session=session
        )

    async def save(self, account: StaffAccount, password: str | None) -> None:
        update: Document = {k: v for k, v in _to_doc(account).items() if k != "open_cases"}
        if password:
            update["password_hash"] = hash_password(password)
        await self.staff.update_one({"_id": account.id}, {"$set": update}, upsert=True)


def read_seed(path: Path) -> tuple[str, list[StaffAccount]]:
    """The demo directory file: (password hash for every account, the accounts)."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return hash_password(str(doc["demo_password"])), [
        StaffAccount.model_validate(s) for s in doc["staff"]
    ]


def _to_doc(account: StaffAccount) -> Document:
    doc = account.model_dump(mode="json")
    doc["_id"] = doc.pop("id")
    return doc


def _from_doc(doc: Document) -> StaffAccount:
    fields = {k: v for k, v in doc.items() if k not in {"_id", "password_hash"}}
    return StaffAccount(id=doc["_id"], **fields)
