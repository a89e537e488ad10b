"""How long a closed case keeps its complainant's personal data, and which cases are due.

A Thai government office keeps its ordinary official records at least 10 years (the
Regulation of the Prime Minister's Office on Correspondence B.E. 2526, on keeping and
destroying records), and a complaint's file is such a record: the complainant's contact is
part of it, so complaints keep it 10 years after they close. Feedback, suggestions,
compliments and questions ask nothing of the office that may be disputed later, and
PDPA section 37(3) wants data kept no longer than its purpose needs: 2 years after
closing covers a follow-up, a reopened case and the yearly reports that cite them. Each
is a setting (`SIANG_WORKFLOW_RETENTION__<KIND>_DAYS`). Only the personal data goes: the
case, its timeline and every aggregate stay.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.contract.events import Kind

#: Ten years of 365 days plus the leap days they may hold.
TEN_YEARS_DAYS = 3653
TWO_YEARS_DAYS = 731


class RetentionSettings(BaseModel):
    """Days a closed case keeps its personal data, per kind."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    complaint_days: int = Field(default=TEN_YEARS_DAYS, ge=1)
    feedback_days: int = Field(default=TWO_YEARS_DAYS, ge=1)
    suggestion_days: int = Field(default=TWO_YEARS_DAYS, ge=1)
    compliment_days: int = Field(default=TWO_YEARS_DAYS, ge=1)
    question_days: int = Field(default=TWO_YEARS_DAYS, ge=1)

    def keep(self, kind: Kind | str) -> timedelta:
        days: int = getattr(self, f"{Kind(kind).value}_days")
        return timedelta(days=days)

    def closed_before(self, now: datetime) -> dict[Kind, datetime]:
        """Per kind, the latest closing time whose retention has run out at `now`."""
        return {kind: now - self.keep(kind) for kind in Kind}


@dataclass(frozen=True, slots=True)
class DueCase:
    case_id: str
    person_id: str


def due_for_retention(
    cases: Iterable[Mapping[str, Any]], now: datetime, settings: RetentionSettings
) -> list[DueCase]:
    """The cases whose person must be erased now: closed, with a person not yet erased,
    and closed longer ago than their kind keeps data. A case reopened since is not
    closed, so it waits for its next closing."""
    due = []
    for case in cases:
        closed_at = case.get("closed_at")
        person_id = case.get("person_id")
        if case.get("status") != "closed" or closed_at is None or not person_id:
            continue
        if case.get("personal_data_erased_at") is not None:
            continue
        if closed_at + settings.keep(case["kind"]) <= now:
            due.append(DueCase(case_id=str(case["_id"]), person_id=str(person_id)))
    return due
