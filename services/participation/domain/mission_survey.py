"""A mission-level satisfaction survey (measure 2.5): a questionnaire for one stakeholder
group about a mission or strategy item of a fiscal year, with Likert items (scored 1-5)
and free-text questions, and its lifecycle:

    draft ──open──▶ open ──close──▶ closed
      ↺ edit

`decide` checks a command against the table (roles as for consultations: admins and
participation coordinators run surveys, other staff read) and returns the survey after it
with its events; `check_answer` takes an answer or refuses it, naming the field (422), or
the survey's state (409). The models check each field; `check_draft` what needs more
than one field (422) or the office's plan (409)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from services.participation.domain.consultation import MAX_DAYS, QUESTION_ID
from services.participation.domain.errors import (
    ConflictingField,
    Forbidden,
    IllegalTransition,
    InvalidField,
    MissingField,
    Refused,
)
from services.participation.domain.lifecycle import MANAGERS, Actor, Role
from services.participation.domain.plan import MissionPlan, StakeholderGroups
from services.participation.domain.survey_results import SurveyTally, closed_counts
from shared.contract.events import (
    Language,
    MissionSurveyAnswered,
    MissionSurveyClosed,
    MissionSurveyOpened,
    SurveyLink,
)
from shared.thai.fiscal import fiscal_year

MAX_ITEMS = 30
MAX_QUESTIONS = 10
MAX_TEXT = 5000
LOWEST, HIGHEST = 1, 5


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SurveyStatus(StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"


class LikertItem(_Model):
    """A statement scored from 1 (least satisfied) to 5 (most)."""

    id: str = Field(pattern=QUESTION_ID, examples=["teaching"])
    text_th: str = Field(min_length=1, max_length=1000)
    text_en: str | None = Field(default=None, max_length=1000)


class TextQuestion(_Model):
    """A question answered in the person's own words (kept for staff, never published)."""

    id: str = Field(pattern=QUESTION_ID, examples=["suggestion"])
    text_th: str = Field(min_length=1, max_length=1000)
    text_en: str | None = Field(default=None, max_length=1000)


class MissionSurveyDraft(_Model):
    """What staff write when they create a survey or edit its draft."""

    title_th: str = Field(min_length=1, max_length=300)
    title_en: str | None = Field(default=None, max_length=300)
    description_th: str = Field(default="", max_length=5000)
    description_en: str | None = Field(default=None, max_length=5000)
    mission_item: str = Field(min_length=1, max_length=32)
    # The one stakeholder group asked (a survey per group, so results compare groups).
    group: str = Field(min_length=1, max_length=32, examples=["parents"])
    opens_on: date
    closes_on: date
    items: tuple[LikertItem, ...] = Field(min_length=1, max_length=MAX_ITEMS)
    questions: tuple[TextQuestion, ...] = Field(default=(), max_length=MAX_QUESTIONS)

    @property
    def fiscal_year(self) -> int:
        """The fiscal year (B.E.) the survey counts for: the one it opens in."""
        return fiscal_year(self.opens_on)


class MissionSurvey(MissionSurveyDraft):
    """A survey as stored: the draft plus its id and status."""

    survey_id: str
    status: SurveyStatus = SurveyStatus.draft

    def item(self, item_id: str) -> LikertItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def question(self, question_id: str) -> TextQuestion | None:
        return next((q for q in self.questions if q.id == question_id), None)


def check_draft(
    draft: MissionSurveyDraft,
    plan: MissionPlan | None,
    groups: StakeholderGroups,
    action: str = "create a survey",
) -> None:
    """Refuse a draft the office's plan and groups do not allow, naming the field."""
    if draft.closes_on < draft.opens_on:
        raise InvalidField(action, "closes_on", "is before opens_on")
    if (draft.closes_on - draft.opens_on).days > MAX_DAYS:
        raise InvalidField(action, "closes_on", f"is more than {MAX_DAYS} days after opens_on")
    if draft.group not in groups.codes():
        raise InvalidField(action, "group", "is not a stakeholder group")
    ids: set[str] = set()
    named = [("items", i, e.id) for i, e in enumerate(draft.items)]
    named += [("questions", i, q.id) for i, q in enumerate(draft.questions)]
    for kind, i, entry_id in named:
        if entry_id in ids:
            raise InvalidField(action, f"{kind}[{i}].id", "appears twice")
        ids.add(entry_id)
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


# ------------------------------------------------------------------- lifecycle


class SurveyCommand(StrEnum):
    edit = "edit"
    open = "open"
    close = "close"


@dataclass(frozen=True)
class _Rule:
    to: SurveyStatus
    roles: frozenset[Role]


S = SurveyStatus
TRANSITIONS: dict[SurveyCommand, dict[SurveyStatus, _Rule]] = {
    # Items change only before anyone has answered: counts of a changed item mean nothing.
    SurveyCommand.edit: {S.draft: _Rule(S.draft, MANAGERS)},
    SurveyCommand.open: {S.draft: _Rule(S.open, MANAGERS)},
    # The system closes a survey once its last day has passed, as it does a consultation.
    SurveyCommand.close: {S.open: _Rule(S.closed, MANAGERS | {Role.system})},
}


def past_last_day(survey: MissionSurvey, today: date) -> bool:
    """An open survey whose last day for answers is behind us (the system closes it)."""
    return survey.status is SurveyStatus.open and survey.closes_on < today


def allowed_commands(status: SurveyStatus, role: Role) -> list[SurveyCommand]:
    """The commands `role` may give a survey in `status` (for the API's hints)."""
    return [c for c, rows in TRANSITIONS.items() if status in rows and role in rows[status].roles]


def may_manage(role: Role, action: str) -> None:
    """Refuse (`Forbidden`) a role that does not run surveys."""
    if role not in MANAGERS:
        raise Forbidden(role, action)


@dataclass(frozen=True)
class SurveyDecision:
    survey: MissionSurvey
    events: tuple[MissionSurveyOpened | MissionSurveyClosed, ...]


def decide(
    survey: MissionSurvey,
    command: SurveyCommand,
    actor: Actor,
    today: date,
    tally: SurveyTally | None = None,
    links_sent: int = 0,
) -> SurveyDecision:
    """The survey after `command`, with its events; or `Forbidden` (the role may never),
    `IllegalTransition` (not from this status, 409), `InvalidField` (422). `tally` is the
    survey's counts, which the closing event carries."""
    rows = TRANSITIONS[command]
    action = f"{command} a survey"
    if actor.role is not Role.system:
        may_manage(actor.role, action)
    rule = rows.get(survey.status)
    if rule is None:
        raise IllegalTransition(survey.status, action)
    if actor.role not in rule.roles:
        raise Forbidden(actor.role, action)
    if actor.role is Role.system and not past_last_day(survey, today):
        raise IllegalTransition(survey.status, action, "its last day has not passed")
    if command is SurveyCommand.open and survey.closes_on < today:
        raise InvalidField(action, "closes_on", "has passed; edit the draft")
    after = survey.model_copy(update={"status": rule.to})
    events: tuple[MissionSurveyOpened | MissionSurveyClosed, ...] = ()
    if command is SurveyCommand.open:
        events = (
            MissionSurveyOpened(
                survey_id=after.survey_id,
                fiscal_year=after.fiscal_year,
                mission_item=after.mission_item,
                group=after.group,
                title=after.title_th,
                likert_items=[i.id for i in after.items],
                text_items=len(after.questions),
                opens_on=after.opens_on,
                closes_on=after.closes_on,
                actor=actor.id,
            ),
        )
    elif command is SurveyCommand.close:
        counted = tally or SurveyTally()
        events = (
            MissionSurveyClosed(
                survey_id=after.survey_id,
                fiscal_year=after.fiscal_year,
                mission_item=after.mission_item,
                group=after.group,
                responses=counted.responses,
                counts=closed_counts([i.id for i in after.items], counted),
                links_sent=links_sent,
                personal_responses=counted.personal,
                actor=actor.id,
            ),
        )
    return SurveyDecision(after, events)


# --------------------------------------------------------------------- answers

ANSWER = "answer a survey"


class SurveyAnswerBody(_Model):
    """What a person sends, through the survey's page or the JSON API."""

    # Likert item id → the score given, 1 (least satisfied) to 5 (most); items left out
    # are not answered.
    scores: dict[str, Annotated[int, Field(ge=LOWEST, le=HIGHEST)]] = Field(
        default_factory=dict, max_length=MAX_ITEMS
    )
    # Text question id → the words written.
    texts: dict[str, str] = Field(default_factory=dict, max_length=MAX_QUESTIONS)
    # The signed link sent to one person (from `?t=` of their link): answered once.
    token: str | None = Field(default=None, min_length=1, max_length=512)
    language: Language = Language.th
    # Sent again with the same key (a double click, a retry), it is received once.
    submission_key: str | None = Field(default=None, pattern=r"^[A-Za-z0-9-]{8,64}$")


@dataclass(frozen=True, slots=True)
class CheckedAnswer:
    """An answer the survey takes: scores of its items, texts trimmed (blanks dropped)."""

    scores: dict[str, int]
    texts: dict[str, str]


def takes_answers(survey: MissionSurvey, today: date) -> bool:
    return survey.status is SurveyStatus.open and survey.opens_on <= today <= survey.closes_on


def check_answer(
    survey: MissionSurvey, scores: Mapping[str, int], texts: Mapping[str, str], today: date
) -> CheckedAnswer:
    """The answer as it will be counted, or `Refused` (409) when the survey takes none
    now, `InvalidField` or `MissingField` (422) naming the field."""
    if not takes_answers(survey, today):
        reason = {S.draft: "not_open", S.closed: "closed"}.get(survey.status, "period_ended")
        if survey.status is S.open and today < survey.opens_on:
            reason = "not_open"
        raise Refused(
            f"survey {survey.survey_id} takes no answers now "
            f"({survey.status}, {survey.opens_on.isoformat()} to {survey.closes_on.isoformat()})",
            reason,
            status=survey.status.value,
            closes_on=survey.closes_on.isoformat(),
        )
    kept_scores: dict[str, int] = {}
    for item_id, score in scores.items():
        field = f"scores.{item_id}"
        if survey.item(item_id) is None:
            raise InvalidField(ANSWER, field, "is not an item of this survey")
        if isinstance(score, bool) or not LOWEST <= score <= HIGHEST:
            raise InvalidField(ANSWER, field, f"is not a score from {LOWEST} to {HIGHEST}")
        kept_scores[item_id] = score
    kept_texts: dict[str, str] = {}
    for question_id, raw in texts.items():
        field = f"texts.{question_id}"
        if survey.question(question_id) is None:
            raise InvalidField(ANSWER, field, "is not a question of this survey")
        value = raw.strip()
        if len(value) > MAX_TEXT:
            raise InvalidField(ANSWER, field, f"is longer than {MAX_TEXT} characters")
        if value:
            kept_texts[question_id] = value
    if not kept_scores and not kept_texts:
        raise MissingField(ANSWER, "scores")
    return CheckedAnswer(kept_scores, kept_texts)


def answered_event(
    survey: MissionSurvey,
    response_id: str,
    answer: CheckedAnswer,
    via: SurveyLink,
    at: datetime,
) -> MissionSurveyAnswered:
    """What the topic learns of an answer: its scores and how many texts, never the words."""
    return MissionSurveyAnswered(
        survey_id=survey.survey_id,
        response_id=response_id,
        fiscal_year=survey.fiscal_year,
        mission_item=survey.mission_item,
        group=survey.group,
        via=via,
        scores=dict(answer.scores),
        texts=len(answer.texts),
        answered_at=at,
    )
