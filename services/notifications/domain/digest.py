"""The daily digest for a unit's supervisors: how many cases are open, overdue and new.

The counts come from the caller (a query at the edge); this module only decides what the
digest says and to whom. Its source id is the unit and the day, so running the daily
job twice sends each supervisor one digest.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from services.notifications.domain.notice import (
    DeliveryChannel,
    Notice,
    RecipientRole,
    TemplateName,
)
from services.notifications.domain.office import Office
from services.notifications.domain.rules import unit_supervisors


class UnitCounts(BaseModel):
    """A unit's cases on the digest's day."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    open: int = Field(ge=0)
    overdue: int = Field(ge=0)
    new: int = Field(ge=0)
    due_soon: int = Field(default=0, ge=0)

    @property
    def empty(self) -> bool:
        return self.open == 0 and self.new == 0 and self.overdue == 0


def digest_source_id(unit: str, day: date) -> str:
    """The stand-in event id of a digest: one per unit per day."""
    return f"digest:{unit}:{day.isoformat()}"


def digest_context(
    unit: str, counts: UnitCounts, day: date, office: Office
) -> dict[str, JsonValue]:
    """What the daily_digest template reads, in the office's staff language."""
    language = office.staff_language
    return {
        "office": office.context(language),
        "unit": unit,
        "unit_name": office.unit_name(unit, language),
        "day": day.isoformat(),
        "open": counts.open,
        "overdue": counts.overdue,
        "new": counts.new,
        "due_soon": counts.due_soon,
        # The share of open cases past a deadline, in whole percent, for the headline.
        "overdue_percent": round(100 * counts.overdue / counts.open) if counts.open else 0,
        "dashboard_url": f"{office.staff_dashboard_url}?unit={unit}",
    }


def plan_digest(
    unit: str,
    counts: UnitCounts,
    day: date,
    office: Office,
    supervisors: Sequence[str] = (),
) -> list[Notice]:
    """One digest e-mail per supervisor of `unit` (or the unit's supervisors as a group).

    Nothing when the unit has no open, new or overdue case: an empty report every day
    teaches people to ignore the real ones.
    """
    if counts.empty:
        return []
    context = digest_context(unit, counts, day, office)
    return [
        Notice(
            source_event_id=digest_source_id(unit, day),
            case_id=None,
            recipient_role=RecipientRole.supervisor,
            recipient=recipient,
            channel=DeliveryChannel.email,
            template=TemplateName.daily_digest,
            language=office.staff_language,
            context=context,
        )
        for recipient in (supervisors or [unit_supervisors(unit)])
    ]
