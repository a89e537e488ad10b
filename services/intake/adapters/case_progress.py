"""The public progress of a case, read from the workflow's `cases` collection (same
database, read only). This is intake's one read of another service's data, listed in
ARCHITECTURE.md: workflow owns the case, intake answers the public about it. The read
takes only the fields the public may see; the timeline is filtered by
`services.intake.domain.progress.public_steps` (its entries also carry staff names and
internal reasons, which go no further than this module)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from services.intake.domain.progress import CaseProgress, public_steps
from shared.infra.mongo import Document

# Workflow's collection and the fields of its case documents read here.
CASES = "cases"
_FIELDS = (
    "status",
    "kind",
    "category",
    "unit",
    "updated_at",
    "clocks",
    "close_reason",
    "public_answer",
    "timeline",
)


class CaseProgressReader:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.cases = db[CASES]

    async def of(self, code: str) -> CaseProgress | None:
        """The case's public progress, or None before workflow has opened it (or while the
        read fails: intake's own record still answers)."""
        try:
            doc = await self.cases.find_one(
                {"tracking_code": code}, projection={f: 1 for f in _FIELDS}
            )
        except PyMongoError:
            return None
        if doc is None or "status" not in doc:
            return None
        return CaseProgress(
            status=str(doc["status"]),
            kind=str(doc["kind"]),
            category=str(doc["category"]),
            unit=str(doc["unit"]),
            updated_at=doc.get("updated_at"),
            answer_due_at=_answer_due_at(doc.get("clocks")),
            close_reason=doc.get("close_reason"),
            public_answer=doc.get("public_answer"),
            timeline=public_steps(doc.get("timeline") or []),
        )


def _answer_due_at(clocks: Any) -> datetime | None:
    """The resolution clock's deadline: when the office owes an answer."""
    resolution = clocks.get("resolution") if isinstance(clocks, dict) else None
    due = resolution.get("due_at") if isinstance(resolution, dict) else None
    return due if isinstance(due, datetime) else None
