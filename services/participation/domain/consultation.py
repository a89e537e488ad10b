"""A consultation as staff write it (measures 1.2-1.4): a topic tied to a mission or
strategy item of the fiscal year, the stakeholder groups asked, the period, and the
questions (free text, or one choice among several).

The models check each field; `check_draft` checks what needs more than one field (422)
or the office's plan (409: the plan on file has no such item), naming the field."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from services.participation.domain.errors import ConflictingField, InvalidField
from services.participation.domain.plan import MissionPlan, StakeholderGroups
from shared.contract.events import ConsultationStatus
from shared.thai.fiscal import fiscal_year

QUESTION_ID = r"^[a-z0-9_]{1,32}$"
CHOICE_CODE = r"^[a-z0-9][a-z0-9_-]{0,31}$"
MAX_QUESTIONS = 30
MAX_CHOICES = 12
# How long a consultation may run: a fiscal year at most.
MAX_DAYS = 366


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class QuestionKind(StrEnum):
    text = "text"
    choice = "choice"


class Choice(_Model):
    code: str = Field(pattern=CHOICE_CODE, examples=["agree"])
    label_th: str = Field(min_length=1, max_length=200)
    label_en: str | None = Field(default=None, max_length=200)


class Question(_Model):
    id: str = Field(pattern=QUESTION_ID, examples=["q1"])
    kind: QuestionKind
    text_th: str = Field(min_length=1, max_length=1000)
    text_en: str | None = Field(default=None, max_length=1000)
    choices: tuple[Choice, ...] = Field(default=(), max_length=MAX_CHOICES)
    required: bool = False


class ConsultationDraft(_Model):
    """What staff write when they create a consultation or edit its draft."""

    topic_th: str = Field(min_length=1, max_length=300)
    topic_en: str | None = Field(default=None, max_length=300)
    description_th: str = Field(default="", max_length=5000)
    description_en: str | None = Field(default=None, max_length=5000)
    mission_item: str = Field(min_length=1, max_length=32)
    groups: tuple[str, ...] = Field(min_length=1, max_length=20)
    opens_on: date
    closes_on: date
    questions: tuple[Question, ...] = Field(min_length=1, max_length=MAX_QUESTIONS)

    @property
    def fiscal_year(self) -> int:
        """The fiscal year (B.E.) the consultation belongs to: the one it opens in."""
        return fiscal_year(self.opens_on)


class Consultation(ConsultationDraft):
    """A consultation as stored: the draft plus its id, status and results."""

    consultation_id: str
    status: ConsultationStatus = ConsultationStatus.draft
    summary: str | None = None
    opinions: int = Field(default=0, ge=0)
    by_group: dict[str, int] = Field(default_factory=dict)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


def check_draft(
    draft: ConsultationDraft,
    plan: MissionPlan | None,
    groups: StakeholderGroups,
    action: str = "create a consultation",
) -> None:
    """Refuse a draft the office's plan and groups do not allow, naming the field."""
    if draft.closes_on < draft.opens_on:
        raise InvalidField(action, "closes_on", "is before opens_on")
    if (draft.closes_on - draft.opens_on).days > MAX_DAYS:
        raise InvalidField(action, "closes_on", f"is more than {MAX_DAYS} days after opens_on")
    if plan is None:
        raise ConflictingField(
            action, "opens_on", f"falls in fiscal year {draft.fiscal_year}, which has no plan"
        )
    item = plan.item(draft.mission_item)
    if item is None:
        raise ConflictingField(
            action, "mission_item", f"is not an item of fiscal year {draft.fiscal_year}"
        )
    if not item.active:
        raise ConflictingField(action, "mission_item", "is no longer pursued")
    known = groups.codes()
    seen: set[str] = set()
    for i, code in enumerate(draft.groups):
        if code not in known:
            raise InvalidField(action, f"groups[{i}]", "is not a stakeholder group")
        if code in seen:
            raise InvalidField(action, f"groups[{i}]", "appears twice")
        seen.add(code)
    _check_questions(draft.questions, action)


def _check_questions(questions: tuple[Question, ...], action: str) -> None:
    ids: set[str] = set()
    for i, q in enumerate(questions):
        if q.id in ids:
            raise InvalidField(action, f"questions[{i}].id", "appears twice")
        ids.add(q.id)
        if q.kind is QuestionKind.choice:
            if len(q.choices) < 2:
                raise InvalidField(action, f"questions[{i}].choices", "needs at least two")
            codes = [c.code for c in q.choices]
            if len(set(codes)) != len(codes):
                raise InvalidField(action, f"questions[{i}].choices", "repeat a code")
        elif q.choices:
            raise InvalidField(action, f"questions[{i}].choices", "belong to choice questions")
