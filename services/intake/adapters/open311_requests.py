"""The Open311 service requests: intake's tracking records of channel `open311`, and the
public fields of their cases in workflow's `cases` (the read ARCHITECTURE.md lists for
tracking). Two statements per search however many requests: the records, then their
cases by tracking code."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from services.intake.adapters.case_progress import CASES, _answer_due_at
from services.intake.domain.open311 import MAX_REQUESTS, Search, Tracked
from services.intake.handlers.ports import StoreUnavailable
from shared.infra.mongo import Document

CHANNEL = "open311"
_RECORD = {"tracking_code": 1, "category": 1, "received_at": 1}
_CASE = {"tracking_code": 1, "status": 1, "unit": 1, "updated_at": 1, "clocks": 1}
_CASE |= {"public_answer": 1}


class Open311Requests:
    def __init__(self, db: AsyncDatabase[Document], collection: str = "submissions") -> None:
        self._records = db[collection]
        self._cases = db[CASES]

    async def ensure_indexes(self) -> None:
        await self._records.create_index([("channel", 1), ("received_at", DESCENDING)])

    async def find(self, search: Search) -> list[Tracked]:
        """The requests the search names, newest first, at most 1000."""
        query: dict[str, Any] = {"channel": CHANNEL}
        if search.by_ids:
            query["tracking_code"] = {"$in": list(search.ids)}
        else:
            if search.services:
                query["category"] = {"$in": list(search.services)}
            window: dict[str, datetime] = {}
            if search.start is not None:
                window["$gte"] = search.start
            if search.end is not None:
                window["$lte"] = search.end
            if window:
                query["received_at"] = window
        try:
            records = await (
                self._records.find(query, projection=_RECORD)
                .sort("received_at", DESCENDING)
                .limit(MAX_REQUESTS)
                .to_list()
            )
            codes = [r["tracking_code"] for r in records]
            cases = (
                {
                    c["tracking_code"]: c
                    async for c in self._cases.find(
                        {"tracking_code": {"$in": codes}}, projection=_CASE
                    )
                }
                if codes
                else {}
            )
        except PyMongoError as exc:
            raise StoreUnavailable(repr(exc)) from exc
        return [_tracked(r, cases.get(r["tracking_code"])) for r in records]

    async def code_of(self, submission_id: str) -> str | None:
        """The tracking code of an Open311 submission, by its id (the spec's token)."""
        try:
            doc = await self._records.find_one(
                {"_id": submission_id, "channel": CHANNEL}, projection={"tracking_code": 1}
            )
        except PyMongoError as exc:
            raise StoreUnavailable(repr(exc)) from exc
        return str(doc["tracking_code"]) if doc else None


def _tracked(record: Document, case: Document | None) -> Tracked:
    case = case or {}
    return Tracked(
        tracking_code=record["tracking_code"],
        submission_id=str(record["_id"]),
        category=record["category"],
        received_at=record["received_at"],
        status=str(case.get("status") or "received"),
        unit=case.get("unit"),
        updated_at=case.get("updated_at"),
        answer_due_at=_answer_due_at(case.get("clocks")),
        public_answer=case.get("public_answer"),
    )
