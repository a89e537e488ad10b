"""Outcomes, "you said, we did" (measures 1.4 and 2.6): an action or decision recorded
against a consultation and, if staff choose, the opinions it answers; owned by a unit,
with a status and dates, and published on the public page once staff say so.

Its status moves along a small table; "not adopted" needs the reason, which the public
page shows: an office that heard an idea and decided against it says why.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from services.participation.domain.errors import IllegalTransition, InvalidField, MissingField
from shared.contract.events import ConsultationStatus, OutcomeStatus

S = OutcomeStatus

MOVES: dict[OutcomeStatus, frozenset[OutcomeStatus]] = {
    S.planned: frozenset({S.in_progress, S.done, S.not_adopted}),
    S.in_progress: frozenset({S.done, S.not_adopted, S.planned}),
    S.done: frozenset(),
    # Reconsidered: planned again.
    S.not_adopted: frozenset({S.planned}),
}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OutcomeDraft(_Model):
    consultation_id: str = Field(min_length=1, max_length=64)
    # Opinions of that consultation it answers in particular (none: the whole of it).
    opinion_ids: tuple[str, ...] = Field(default=(), max_length=500)
    you_said_th: str = Field(min_length=1, max_length=2000)
    you_said_en: str | None = Field(default=None, max_length=2000)
    we_did_th: str = Field(min_length=1, max_length=2000)
    we_did_en: str | None = Field(default=None, max_length=2000)
    owner_unit: str = Field(min_length=1, max_length=64)
    status: OutcomeStatus = S.planned
    reason: str | None = Field(default=None, max_length=2000)
    due_on: date | None = None
    done_on: date | None = None
    published: bool = False


class OutcomeChange(_Model):
    """What staff may change later; absent fields stay as they are."""

    status: OutcomeStatus | None = None
    reason: str | None = Field(default=None, max_length=2000)
    we_did_th: str | None = Field(default=None, min_length=1, max_length=2000)
    we_did_en: str | None = Field(default=None, max_length=2000)
    due_on: date | None = None
    done_on: date | None = None
    published: bool | None = None


class Outcome(OutcomeDraft):
    outcome_id: str
    fiscal_year: int
    mission_item: str


def check_new(
    draft: OutcomeDraft, consultation_status: ConsultationStatus, units: frozenset[str], today: date
) -> OutcomeDraft:
    """The outcome as it will be recorded (a done one dated today unless said), or a refusal."""
    action = "record an outcome"
    if consultation_status is ConsultationStatus.draft:
        raise IllegalTransition(consultation_status, action, "the consultation has not opened")
    if draft.owner_unit not in units:
        raise InvalidField(action, "owner_unit", "is not a unit of the office")
    _check_status_fields(action, draft.status, draft.reason, draft.done_on, today)
    if draft.status is S.done and draft.done_on is None:
        return draft.model_copy(update={"done_on": today})
    return draft


def apply_change(outcome: Outcome, change: OutcomeChange, today: date) -> Outcome:
    """The outcome after `change`, or a refusal: `IllegalTransition` for a status the
    table does not allow from the current one."""
    action = "update an outcome"
    to = change.status or outcome.status
    if to is not outcome.status and to not in MOVES[outcome.status]:
        raise IllegalTransition(outcome.status, f"move an outcome to {to}")
    updates = {k: v for k, v in change.model_dump(exclude_unset=True).items() if v is not None}
    reason = change.reason if change.reason is not None else outcome.reason
    done_on = change.done_on or outcome.done_on
    _check_status_fields(action, to, reason, done_on, today)
    if to is S.done and done_on is None:
        updates["done_on"] = today
    if to is not S.done and to is not outcome.status:
        updates["done_on"] = None  # done again later gets its own date
    return outcome.model_copy(update=updates)


def _check_status_fields(
    action: str, status: OutcomeStatus, reason: str | None, done_on: date | None, today: date
) -> None:
    if status is S.not_adopted and not (reason and reason.strip()):
        raise MissingField(action, "reason")
    if done_on is not None and done_on > today:
        raise InvalidField(action, "done_on", "is in the future")


def by_mission_item(
    item_order: list[str], outcomes: list[Outcome]
) -> list[tuple[str, list[Outcome]]]:
    """Outcomes grouped by mission item, in the plan's order (items the plan does not
    list last), each group in the order given; items without outcomes are left out."""
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.mission_item, []).append(outcome)
    rank = {code: i for i, code in enumerate(item_order)}
    ordered = sorted(groups, key=lambda code: (rank.get(code, len(rank)), code))
    return [(code, groups[code]) for code in ordered]
