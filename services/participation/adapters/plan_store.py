"""Mission plans in MongoDB (`participation_missions`, one document per fiscal year):
seeded from the shipped file for a year not on file yet, changed by an admin through
the API afterwards (what the admin saved wins over the file)."""

from __future__ import annotations

from datetime import datetime

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.participation.domain.plan import MissionPlan
from shared.infra.mongo import Document

COLLECTION = "participation_missions"


def _plan(doc: Document) -> MissionPlan:
    return MissionPlan.model_validate({"fiscal_year": doc["_id"], "items": doc["items"]})


class PlanStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.plans = db[COLLECTION]

    async def seed(self, plans: list[MissionPlan], at: datetime) -> int:
        """Write the shipped plan of each year not on file; returns how many were written."""
        written = 0
        for plan in plans:
            try:
                await self.plans.insert_one(
                    {**self._doc(plan), "updated_at": at, "updated_by": "config"}
                )
                written += 1
            except DuplicateKeyError:
                pass  # on file already (perhaps changed by an admin): theirs stays
        return written

    async def get(
        self, fiscal_year: int, session: AsyncClientSession | None = None
    ) -> MissionPlan | None:
        doc = await self.plans.find_one({"_id": fiscal_year}, session=session)
        return _plan(doc) if doc else None

    async def all(self) -> list[MissionPlan]:
        return [_plan(d) async for d in self.plans.find({}).sort("_id", -1)]

    async def save(self, plan: MissionPlan, by: str, at: datetime) -> None:
        await self.plans.replace_one(
            {"_id": plan.fiscal_year},
            {**self._doc(plan), "updated_at": at, "updated_by": by},
            upsert=True,
        )

    @staticmethod
    def _doc(plan: MissionPlan) -> Document:
        return {
            "_id": plan.fiscal_year,
            "items": [i.model_dump(mode="json") for i in plan.items],
        }
