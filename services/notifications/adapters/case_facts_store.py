"""What notifications remembers of each case (`CaseFacts`), folded from the case events.

The facts are stored as JSON under `facts`; beside them, the few fields the daily digest
queries (unit, open, received_at, resolve_by) as native values, and `applied`, the ids
of the case events folded into them: the consumer's record of what it applied, written
with the facts it writes for every event anyway (see `adapters/applied_events.py`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from services.notifications.domain.case_facts import CaseFacts
from services.notifications.domain.digest import UnitCounts
from shared.contract.events import CaseStatus, Clock
from shared.infra.by_ids import find_in, ids_in
from shared.infra.mongo import Document

COLLECTION = "notification_cases"


@dataclass(frozen=True)
class StoredCases:
    """What `CaseFactsStore.load` found of some cases."""

    facts: dict[str, CaseFacts] = field(default_factory=dict)
    # Per case, the ids of the events its facts hold.
    applied: dict[str, set[str]] = field(default_factory=dict)
    # Cases stored before the list was kept: the events applied to them then are in
    # `processed_events` (`shared.infra.processed`), not in their list.
    legacy: set[str] = field(default_factory=set)


class CaseFactsStore:
    def __init__(self, db: AsyncDatabase[Document], collection: str = COLLECTION) -> None:
        self.cases = db[collection]

    async def ensure_indexes(self) -> None:
        await self.cases.create_index([("open", ASCENDING), ("unit", ASCENDING)])
        await self.cases.create_index([("received_at", ASCENDING)])

    async def get_many(
        self, case_ids: Collection[str], session: AsyncClientSession | None = None
    ) -> dict[str, CaseFacts]:
        """The facts of those of `case_ids` known here, in one read per 32 ids."""
        found = await find_in(
            self.cases, "_id", list(case_ids), projection={"facts": 1}, session=session
        )
        return {str(d["_id"]): CaseFacts.model_validate(d["facts"]) for d in found}

    async def load(
        self, case_ids: Collection[str], session: AsyncClientSession | None = None
    ) -> StoredCases:
        """The facts and applied events of those of `case_ids` known here, in one read
        per 32 ids."""
        found = await find_in(
            self.cases,
            "_id",
            list(case_ids),
            projection={"facts": 1, "applied": 1, "legacy": 1},
            session=session,
        )
        out = StoredCases()
        for d in found:
            case_id = str(d["_id"])
            out.facts[case_id] = CaseFacts.model_validate(d["facts"])
            out.applied[case_id] = set(d.get("applied", ()))
            if d.get("legacy") or "applied" not in d:
                out.legacy.add(case_id)
        return out

    async def save_many(
        self,
        facts: Sequence[CaseFacts],
        now: datetime,
        session: AsyncClientSession | None = None,
        *,
        stored: Collection[str] = (),
        applied: Mapping[str, Collection[str]] | None = None,
        legacy: Collection[str] = (),
    ) -> None:
        """Store the facts of many cases: the cases not stored yet in one insert, the
        others replaced one by one. `stored` names cases the caller just read; the rest
        are looked up, in one read per 32 ids (a case opened in the batch is usually new,
        but a redelivered opening finds its facts already there).

        With `applied`, every case's document is stored with that list of the events its
        facts hold (those of `legacy` marked as such: see `StoredCases`), and `stored`
        must name every case already stored (as `load` found them): nothing is looked
        up.

        SecantusDB takes about as long for one replace as for an insert of dozens of
        documents; a bulk replace was slower still than single ones."""
        unknown = [f.case_id for f in facts if f.case_id not in stored]
        present = set(stored)
        if applied is None:
            present |= await ids_in(self.cases, unknown, session=session)

        def document(f: CaseFacts) -> Document:
            doc = _document(f, now)
            if applied is not None:
                doc["applied"] = sorted(applied.get(f.case_id, ()))
                if f.case_id in legacy:
                    doc["legacy"] = True
            return doc

        fresh = [{"_id": f.case_id, **document(f)} for f in facts if f.case_id not in present]
        if fresh:
            await self.cases.insert_many(fresh, ordered=True, session=session)
        for f in facts:
            if f.case_id in present:
                await self.cases.replace_one({"_id": f.case_id}, document(f), session=session)

    async def unit_counts(self, now: datetime, due_soon: timedelta) -> dict[str, UnitCounts]:
        """Per unit: open cases, open past their resolution deadline, due within
        `due_soon`, and received in the 24 hours before `now`.

        Counted here rather than in an aggregation: a unit's open cases are few, and the
        plain query works the same on MongoDB and SecantusDB.
        """
        since = now - timedelta(days=1)
        tally: dict[str, dict[str, int]] = defaultdict(
            lambda: {"open": 0, "overdue": 0, "new": 0, "due_soon": 0}
        )
        cursor = self.cases.find(
            {"$or": [{"open": True}, {"received_at": {"$gte": since}}]},
            {"unit": 1, "open": 1, "received_at": 1, "resolve_by": 1},
        )
        async for doc in cursor:
            t = tally[doc["unit"]]
            if doc["received_at"] >= since:
                t["new"] += 1
            if not doc["open"]:
                continue
            t["open"] += 1
            due = doc.get("resolve_by")
            if due is not None and due < now:
                t["overdue"] += 1
            elif due is not None and due < now + due_soon:
                t["due_soon"] += 1
        return {unit: UnitCounts(**t) for unit, t in tally.items()}


def _document(facts: CaseFacts, now: datetime) -> Document:
    return {
        "facts": facts.model_dump(mode="json"),
        "unit": facts.unit,
        "open": facts.status is not CaseStatus.closed,
        "received_at": facts.received_at,
        "resolve_by": facts.deadlines.get(Clock.resolution),
        "updated_at": now,
    }
