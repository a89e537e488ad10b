"""Which cases a list shows, said in the office's words (`CaseFilter`) and translated
here, and only here, into a MongoDB filter on `cases`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from shared.infra.mongo import Document


@dataclass(frozen=True)
class Overdue:
    """Cases past their resolution deadline at `at` (`late`), or the others."""

    at: datetime
    late: bool


@dataclass(frozen=True)
class CaseFilter:
    """Every part is optional; an empty sequence or None selects any."""

    # Never a case naming this person among its excluded assignees.
    hidden_from: str | None = None
    # Only the cases of `unit` (which may be None: cases outside any unit).
    one_unit: bool = False
    unit: str | None = None
    statuses: Sequence[str] = ()
    priorities: Sequence[str] = ()
    kinds: Sequence[str] = ()
    channels: Sequence[str] = ()
    assignee: str | None = None
    overdue: Overdue | None = None
    # A tracking code read out over the phone, or words of the subject.
    text: str | None = None
    # Cases after this (received_at, case id) in the list's newest-first order.
    after: tuple[datetime, str] | None = None


def case_query(wanted: CaseFilter) -> Document:
    query: Document = {}
    if wanted.hidden_from is not None:
        query["excluded_assignees"] = {"$ne": wanted.hidden_from}
    if wanted.one_unit:
        query["unit"] = wanted.unit
    for name, values in (
        ("status", wanted.statuses),
        ("priority", wanted.priorities),
        ("kind", wanted.kinds),
        ("channel", wanted.channels),
    ):
        if values:
            query[name] = {"$in": list(values)}
    if wanted.assignee is not None:
        query["assignee"] = wanted.assignee
    if wanted.overdue is not None:
        late = {
            "clocks.resolution.due_at": {"$lt": wanted.overdue.at},
            "clocks.resolution.stopped_at": None,
        }
        query.update(late if wanted.overdue.late else {"$nor": [late]})
    also: list[Document] = []
    if wanted.text:
        also.append(
            {
                "$or": [
                    {"tracking_code": wanted.text.strip().upper()},
                    {"subject": {"$regex": re.escape(wanted.text), "$options": "i"}},
                ]
            }
        )
    if wanted.after is not None:
        at, case_id = wanted.after
        also.append(
            {"$or": [{"received_at": {"$lt": at}}, {"received_at": at, "_id": {"$lt": case_id}}]}
        )
    if also:
        query["$and"] = also
    return query
