"""How many complaints of a category a round brought: read from the reporting service's
case view (read only), which already counts every case once, in the cell of the period it
was received in and of its current unit and category (triage moves it). One home for
that count: participation neither keeps a second copy fed by `siang.cases.v1` nor calls
reporting over HTTP while a coordinator waits.

The contract read here is reporting's: the pointer `report_meta {_id: "views", version}`
names the live generation, whose `report_cases_v<N>` cells carry `fiscal_year`, `round`,
`category`, `unit`, `kind` and the measure `received`. Two reads: the pointer, then the
round's cells of the category (a few dozen: months x channels x complaint types)."""

from __future__ import annotations

from pymongo.asynchronous.database import AsyncDatabase

from shared.contract.events import Kind
from shared.infra.mongo import Document

META = "report_meta"
POINTER_ID = "views"
CASES = "report_cases"


class ComplaintCounts:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.db = db

    async def count(
        self, category: str, fiscal_year: int, round_: int, unit: str | None = None
    ) -> int | None:
        """The complaints received; None when the reporting views are not on file (the
        reporting service has never run against this database)."""
        pointer = await self.db[META].find_one({"_id": POINTER_ID}, {"version": 1})
        if pointer is None:
            return None
        query: Document = {
            "fiscal_year": fiscal_year,
            "round": round_,
            "category": category,
            "kind": Kind.complaint.value,
        }
        if unit is not None:
            query["unit"] = unit
        cells = self.db[f"{CASES}_v{int(pointer.get('version', 1))}"].find(
            query, {"received": 1, "_id": 0}
        )
        return sum([int(c.get("received") or 0) async for c in cells])
