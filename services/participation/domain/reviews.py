"""Reviews of performance with stakeholders (measure 2.1): a meeting or a survey round
that reviews one mission or strategy item of a fiscal year with the people it serves.
One transition table, checked on every command, as a consultation's:

    planned ──hold──▶ held ──report──▶ reported

Holding it records who took part, counted per stakeholder group (counts, not names);
reporting it records the findings and the outcomes ("you said, we did") they led to.
Admins and participation coordinators run reviews; other staff read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from services.participation.domain.errors import (
    ConflictingField,
    Forbidden,
    IllegalTransition,
    InvalidField,
    MissingField,
)
from services.participation.domain.lifecycle import MANAGERS, Actor
from services.participation.domain.plan import MissionPlan, StakeholderGroups
from shared.contract.events import (
    ReviewHeld,
    ReviewKind,
    ReviewPlanned,
    ReviewReported,
    ReviewStatus,
)
from shared.thai.fiscal import fiscal_year as fiscal_year_of

PLAN = "plan a review"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReviewDraft(_Model):
    title_th: str = Field(
        min_length=1, max_length=300, examples=["ทบทวนผลการดำเนินงานด้านอาหารกลางวัน ครึ่งปีแรก"]
    )
    title_en: str | None = Field(default=None, max_length=300)
    mission_item: str = Field(min_length=1, max_length=32, examples=["S2"])
    kind: ReviewKind
    # The day it is planned for; its fiscal year (B.E.) is the one whose plan it reviews.
    planned_on: date
    description_th: str = Field(default="", max_length=2000)
    # The committee that reviews it, if one does.
    committee_id: str | None = Field(default=None, min_length=1, max_length=64)


class Held(_Model):
    held_on: date
    # Stakeholder group -> how many of it took part.
    participants_by_group: dict[str, int] = Field(min_length=1, max_length=50)


class Report(_Model):
    findings: tuple[str, ...] = Field(min_length=1, max_length=50)
    # Outcomes recorded from the findings, if any yet.
    outcome_ids: tuple[str, ...] = Field(default=(), max_length=50)


class Review(_Model):
    review_id: str
    status: ReviewStatus
    fiscal_year: int
    title_th: str
    title_en: str | None = None
    mission_item: str
    kind: ReviewKind
    planned_on: date
    description_th: str = ""
    committee_id: str | None = None
    held_on: date | None = None
    participants_by_group: dict[str, int] = Field(default_factory=dict)
    findings: tuple[str, ...] = ()
    outcome_ids: tuple[str, ...] = ()
    reported_on: date | None = None

    @property
    def participants(self) -> int:
        return sum(self.participants_by_group.values())


class Command(StrEnum):
    hold = "hold"
    report = "report"


S = ReviewStatus
TRANSITIONS: dict[Command, dict[ReviewStatus, ReviewStatus]] = {
    Command.hold: {S.planned: S.held},
    Command.report: {S.held: S.reported},
}


def allowed_commands(status: ReviewStatus, actor: Actor) -> list[Command]:
    if actor.role not in MANAGERS:
        return []
    return [c for c, rows in TRANSITIONS.items() if status in rows]


def plan_review(
    review_id: str, draft: ReviewDraft, plan: MissionPlan | None, actor: Actor
) -> tuple[Review, ReviewPlanned]:
    """A planned review, or a refusal naming the field."""
    if actor.role not in MANAGERS:
        raise Forbidden(actor.role, PLAN)
    year = fiscal_year_of(draft.planned_on)
    # What the records on file turn down (the plan may change) is a conflict, as for
    # consultations; what the request says wrongly by itself is 422.
    if plan is None:
        raise ConflictingField(
            PLAN, "planned_on", f"falls in fiscal year {year}, which has no plan"
        )
    item = plan.item(draft.mission_item)
    if item is None:
        raise ConflictingField(PLAN, "mission_item", f"is not an item of fiscal year {year}")
    if not item.active:
        raise ConflictingField(PLAN, "mission_item", "is no longer pursued")
    review = Review(
        review_id=review_id,
        status=S.planned,
        fiscal_year=year,
        **draft.model_copy(update={"title_th": draft.title_th.strip()}).model_dump(),
    )
    if not review.title_th:
        raise MissingField(PLAN, "title_th")
    return review, ReviewPlanned(**_facts(review, actor), planned_on=review.planned_on)


@dataclass(frozen=True)
class Decision:
    review: Review
    event: ReviewHeld | ReviewReported


def _rule(review: Review, command: Command, actor: Actor) -> ReviewStatus:
    action = f"{command} a review"
    if actor.role not in MANAGERS:
        raise Forbidden(actor.role, action)
    to = TRANSITIONS[command].get(review.status)
    if to is None:
        raise IllegalTransition(review.status, action)
    return to


def hold(
    review: Review, body: Held, groups: StakeholderGroups, actor: Actor, today: date
) -> Decision:
    """The review held: on a day of its fiscal year, not after today, with its participants
    counted per stakeholder group."""
    to = _rule(review, Command.hold, actor)
    action = "hold a review"
    if body.held_on > today:
        raise InvalidField(action, "held_on", "is in the future")
    if fiscal_year_of(body.held_on) != review.fiscal_year:
        raise InvalidField(action, "held_on", f"is not in fiscal year {review.fiscal_year}")
    known = groups.codes()
    for code, count in body.participants_by_group.items():
        if code not in known:
            raise InvalidField(action, f"participants_by_group.{code}", "is not a group")
        if count < 0 or count > 100_000:
            raise InvalidField(action, f"participants_by_group.{code}", "is not a head count")
    if sum(body.participants_by_group.values()) == 0:
        raise InvalidField(action, "participants_by_group", "counts nobody")
    after = review.model_copy(
        update={
            "status": to,
            "held_on": body.held_on,
            "participants_by_group": {k: v for k, v in body.participants_by_group.items() if v},
        }
    )
    event = ReviewHeld(
        **_facts(after, actor),
        held_on=body.held_on,
        participants_by_group=after.participants_by_group,
        participants=after.participants,
    )
    return Decision(after, event)


def report(
    review: Review, body: Report, known_outcomes: set[str], actor: Actor, today: date
) -> Decision:
    """The review reported: its findings, and the outcomes they led to (each must be an
    outcome on file, `known_outcomes`)."""
    to = _rule(review, Command.report, actor)
    action = "report a review"
    findings = tuple(f.strip() for f in body.findings)
    for i, text in enumerate(findings):
        if not text:
            raise MissingField(action, f"findings[{i}]")
        if len(text) > 2000:
            raise InvalidField(action, f"findings[{i}]", "is longer than 2000 characters")
    for i, outcome_id in enumerate(body.outcome_ids):
        if outcome_id not in known_outcomes:
            raise ConflictingField(action, f"outcome_ids[{i}]", "is not an outcome on file")
    assert review.held_on is not None  # held before it is reported (the table)
    after = review.model_copy(
        update={
            "status": to,
            "findings": findings,
            "outcome_ids": tuple(dict.fromkeys(body.outcome_ids)),
            "reported_on": today,
        }
    )
    event = ReviewReported(
        **_facts(after, actor),
        held_on=review.held_on,
        reported_on=today,
        participants_by_group=after.participants_by_group,
        participants=after.participants,
        findings=list(after.findings),
        outcome_ids=list(after.outcome_ids),
    )
    return Decision(after, event)


def _facts(review: Review, actor: Actor) -> dict[str, Any]:
    return {
        "review_id": review.review_id,
        "fiscal_year": review.fiscal_year,
        "mission_item": review.mission_item,
        "kind": review.kind,
        "title": review.title_th,
        "committee_id": review.committee_id,
        "actor": actor.id,
    }
