"""The staff directory in MongoDB: accounts, roles, units, absences, caps, open-case
counts, each account's session version (`shared.infra.sessions`: bumping it ends the
account's tokens), and the per-unit round-robin cursor."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field
from pymongo import ReturnDocument, UpdateOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from services.workflow.domain.accounts import Access, ends_sessions
from services.workflow.domain.assignment import Absence, StaffMember
from shared.infra.auth import StaffRole, hash_password
from shared.infra.mongo import Document
from shared.infra.sessions import SESSION_VERSION, STAFF_COLLECTION

ASSIGNABLE = {StaffRole.staff.value, StaffRole.supervisor.value}
#: What a staff id looks like (the API's paths that name one say so too).
STAFF_ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{1,63}$"


class StaffAccount(BaseModel):
    """A person who signs in: what the directory stores, less the password hash."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=STAFF_ID_PATTERN)
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
        self.staff = db[STAFF_COLLECTION]
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
        members, counts = await self.everyone(session, unit=unit)
        return members.get(unit, []), counts

    async def everyone(
        self, session: AsyncClientSession | None = None, *, unit: str | None = None
    ) -> tuple[dict[str, list[StaffMember]], dict[str, int]]:
        """Every unit's assignable people (or one unit's), and their open-case counts, in
        one read: an office has tens of staff, and a batch of cases touches most units."""
        query: Document = {"role": {"$in": sorted(ASSIGNABLE)}}
        if unit is not None:
            query["unit"] = unit
        members: dict[str, list[StaffMember]] = {}
        counts: dict[str, int] = {}
        async for d in self.staff.find(query, session=session):
            if not d.get("unit"):
                continue  # nobody is assigned cases outside a unit
            members.setdefault(d["unit"], []).append(
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
        if staff_id:
            await self.add_open_many({staff_id: delta}, session)

    async def all_cursors(self, session: AsyncClientSession) -> dict[str, str]:
        """Every unit's round-robin cursor (the last person assigned there)."""
        return {
            d["_id"]: d["last_assigned"]
            async for d in self.cursors.find({}, session=session)
            if d.get("last_assigned")
        }

    async def move_cursors(self, moves: dict[str, str], session: AsyncClientSession) -> None:
        """Set several units' cursors in one round trip."""
        if moves:
            await self.cursors.bulk_write(
                [
                    UpdateOne({"_id": unit}, {"$set": {"last_assigned": who}}, upsert=True)
                    for unit, who in moves.items()
                ],
                ordered=False,
                session=session,
            )

    async def add_open_many(self, deltas: dict[str, int], session: AsyncClientSession) -> None:
        """Change several people's open-case counts in one round trip."""
        ops = [
            UpdateOne({"_id": who}, {"$inc": {"open_cases": n}}) for who, n in deltas.items() if n
        ]
        if ops:
            await self.staff.bulk_write(ops, ordered=False, session=session)

    async def save(
        self,
        account: StaffAccount,
        password_hash: str | None,
        session: AsyncClientSession | None = None,
    ) -> bool:
        """Create or change the account (with a new password's hash, if given); a change
        that ends its sessions (new password, deactivation, new role or unit) bumps its
        session version. Returns whether it did."""
        update: Document = {k: v for k, v in _to_doc(account).items() if k != "open_cases"}
        if password_hash:
            update["password_hash"] = password_hash
        before = await self.staff.find_one_and_update(
            {"_id": account.id},
            {"$set": update},
            upsert=True,
            return_document=ReturnDocument.BEFORE,
            session=session,
        )
        after = Access(active=account.active, role=account.role.value, unit=account.unit)
        if not ends_sessions(_access(before), after, new_password=bool(password_hash)):
            return False
        await self.end_sessions(account.id, session)
        return True

    async def set_password(self, staff_id: str, password_hash: str) -> int | None:
        """A new password (its hash) for the account, ending its sessions; returns its new
        session version (for the token of the browser that changed it), None if none."""
        doc = await self.staff.find_one_and_update(
            {"_id": staff_id},
            {"$set": {"password_hash": password_hash}, "$inc": {SESSION_VERSION: 1}},
            projection={SESSION_VERSION: 1},
            return_document=ReturnDocument.AFTER,
        )
        return int(doc[SESSION_VERSION]) if doc else None

    async def add_absence(self, staff_id: str, unit: str, absence: Absence) -> bool:
        """Record an absence of a member of `unit` (the same one twice is kept once);
        False if `unit` has no such member."""
        result = await self.staff.update_one(
            {"_id": staff_id, "unit": unit},
            {"$addToSet": {"absences": absence.model_dump(mode="json")}},
        )
        return result.matched_count == 1

    async def remove_absence(self, staff_id: str, unit: str, absence: Absence) -> bool:
        """Remove an absence of a member of `unit`; False if it was not on file."""
        result = await self.staff.update_one(
            {"_id": staff_id, "unit": unit},
            {"$pull": {"absences": absence.model_dump(mode="json")}},
        )
        return result.modified_count == 1

    async def end_sessions(self, staff_id: str, session: AsyncClientSession | None = None) -> bool:
        """Sign the account out everywhere: every token signed before now is refused.
        False if there is no such account."""
        result = await self.staff.update_one(
            {"_id": staff_id}, {"$inc": {SESSION_VERSION: 1}}, session=session
        )
        return result.matched_count == 1


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
    fields = {k: v for k, v in doc.items() if k not in {"_id", "password_hash", SESSION_VERSION}}
    return StaffAccount(id=doc["_id"], **fields)


def _access(doc: Document | None) -> Access | None:
    if doc is None:
        return None
    return Access(active=doc.get("active", True), role=doc["role"], unit=doc.get("unit"))
