"""What the reporting service remembers about each case between events.

Later case events carry only the case id, so the reducer keeps one `CaseFacts` record
per case: the dimensions of its view cell, the milestones needed to time stages and
deadlines, and `contributions`: every amount this case has added to its `report_cases`
cell. The contributions are what make a move possible (triage changes the unit: take
them all out of the old cell, put them in the new one) and make a re-observed duration
replace the old one instead of counting twice. They also give a check: the views equal
the sum of all cases' contributions, cell by cell.

The adapter stores `facts_to_doc(facts)` (one document per case, e.g. `_id = case_id`)
and reads it back with `facts_from_doc`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from services.reporting.domain.views import Scalar


@dataclass(frozen=True, slots=True)
class CaseDims:
    """The `report_cases` cell of a case: fixed period of receipt, current unit and category."""

    fiscal_year: int
    round: int
    month: str
    unit: str
    category: str
    kind: str
    complaint_type: str | None
    channel: str

    def key(self) -> dict[str, Scalar]:
        """The view key (a MongoDB filter) of this cell."""
        return {
            "fiscal_year": self.fiscal_year,
            "round": self.round,
            "month": self.month,
            "unit": self.unit,
            "category": self.category,
            "kind": self.kind,
            "complaint_type": self.complaint_type,
            "channel": self.channel,
        }


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """One case as reporting knows it. Never mutated: reducers return a new one.

    `outcomes` maps a deadline ("s38" or an SLA clock name) to "met" or "missed" once
    decided; `dwell_s` is the total whole seconds spent in each status already left.
    """

    case_id: str
    dims: CaseDims
    received_at: datetime
    status: str
    status_since: datetime
    s38_due: datetime
    deadlines: Mapping[str, datetime] = field(default_factory=dict)
    assigned_at: datetime | None = None
    answered_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    close_reason: str | None = None
    surveyed: bool = False
    outcomes: Mapping[str, str] = field(default_factory=dict)
    dwell_s: Mapping[str, int] = field(default_factory=dict)
    contributions: Mapping[str, int] = field(default_factory=dict)


_TIMES = (
    "received_at",
    "status_since",
    "s38_due",
    "assigned_at",
    "answered_at",
    "resolved_at",
    "closed_at",
)


def facts_to_doc(facts: CaseFacts) -> dict[str, Any]:
    """A BSON-friendly document: aware UTC datetimes, and contributions as [field, n] pairs.

    Contribution names contain dots ("open.assigned"), which MongoDB does not take well
    as stored keys, hence pairs.
    """
    doc: dict[str, Any] = {
        "case_id": facts.case_id,
        "dims": facts.dims.key(),
        "status": facts.status,
        "deadlines": {k: v.astimezone(UTC) for k, v in facts.deadlines.items()},
        "close_reason": facts.close_reason,
        "surveyed": facts.surveyed,
        "outcomes": dict(facts.outcomes),
        "dwell_s": dict(facts.dwell_s),
        "contributions": [[k, v] for k, v in sorted(facts.contributions.items())],
    }
    for name in _TIMES:
        value: datetime | None = getattr(facts, name)
        doc[name] = None if value is None else value.astimezone(UTC)
    return doc


def _aware(value: Any) -> datetime | None:
    # PyMongo hands back naive UTC datetimes unless the client is tz_aware.
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _required(value: Any) -> datetime:
    moment = _aware(value)
    if moment is None:
        raise ValueError("missing datetime in case facts")
    return moment


def facts_from_doc(doc: Mapping[str, Any]) -> CaseFacts:
    """The inverse of `facts_to_doc` (extra fields such as `_id` are ignored)."""
    dims = doc["dims"]
    return CaseFacts(
        case_id=str(doc["case_id"]),
        dims=CaseDims(
            fiscal_year=int(dims["fiscal_year"]),
            round=int(dims["round"]),
            month=str(dims["month"]),
            unit=str(dims["unit"]),
            category=str(dims["category"]),
            kind=str(dims["kind"]),
            complaint_type=dims.get("complaint_type"),
            channel=str(dims["channel"]),
        ),
        received_at=_required(doc["received_at"]),
        status=str(doc["status"]),
        status_since=_required(doc["status_since"]),
        s38_due=_required(doc["s38_due"]),
        deadlines={str(k): _required(v) for k, v in (doc.get("deadlines") or {}).items()},
        assigned_at=_aware(doc.get("assigned_at")),
        answered_at=_aware(doc.get("answered_at")),
        resolved_at=_aware(doc.get("resolved_at")),
        closed_at=_aware(doc.get("closed_at")),
        close_reason=doc.get("close_reason"),
        surveyed=bool(doc.get("surveyed", False)),
        outcomes={str(k): str(v) for k, v in (doc.get("outcomes") or {}).items()},
        dwell_s={str(k): int(v) for k, v in (doc.get("dwell_s") or {}).items()},
        contributions={str(k): int(v) for k, v in doc.get("contributions") or []},
    )
