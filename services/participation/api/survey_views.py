"""What the mission-survey API answers: the models, and how a stored survey becomes each.
Staff see the counts, means and (on their own route) the free-text answers; the public
sees the questionnaire, and the counts once the survey has closed, never the words."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field

from services.participation.adapters.mission_survey_store import survey_of, tally_of
from services.participation.domain.lifecycle import Role
from services.participation.domain.mission_survey import (
    LikertItem,
    MissionSurvey,
    SurveyCommand,
    SurveyStatus,
    TextQuestion,
    allowed_commands,
    takes_answers,
)
from services.participation.domain.survey_results import SurveyTally, overall_mean, results
from shared.contract.events import SurveyLink
from shared.infra.mongo import Document


class ItemResultView(BaseModel):
    item_id: str
    text_th: str
    text_en: str | None
    # How many gave 1, 2, 3, 4 and 5 (1: least satisfied).
    distribution: list[int] = Field(min_length=5, max_length=5)
    answered: int
    mean: float | None


class SurveyResults(BaseModel):
    responses: int
    # Through the public link, or a signed per-person one.
    public: int
    personal: int
    items: list[ItemResultView]
    # Of every score given to any item.
    mean: float | None
    # Text question id → how many wrote something (the words: the texts route, staff only).
    texts_answered: dict[str, int]


class MissionSurveySummary(BaseModel):
    survey_id: str
    title_th: str
    title_en: str | None
    fiscal_year: int
    mission_item: str
    group: str
    status: SurveyStatus
    opens_on: date
    closes_on: date
    responses: int
    mean: float | None


class MissionSurveyList(BaseModel):
    surveys: list[MissionSurveySummary]


class MissionSurveyDetail(MissionSurveySummary):
    description_th: str
    description_en: str | None
    items: list[LikertItem]
    questions: list[TextQuestion]
    version: int
    links_sent: int
    results: SurveyResults
    # What the caller may do next (409 for the others).
    commands: list[SurveyCommand]


class PublicMissionSurvey(BaseModel):
    survey_id: str
    title_th: str
    title_en: str | None
    description_th: str
    description_en: str | None
    fiscal_year: int
    mission_item: str
    group: str
    status: SurveyStatus
    opens_on: date
    closes_on: date
    takes_answers: bool
    items: list[LikertItem]
    questions: list[TextQuestion]
    # Once closed: the counts and means (never the words written).
    results: SurveyResults | None


class SurveyReceiptView(BaseModel):
    response_id: str
    survey_id: str
    answered_at: datetime
    via: SurveyLink
    replayed: bool = False


class LinkRequest(BaseModel):
    # A label per person (a name, a school, a number): answered beside each link, not kept.
    # Each label has something besides blanks (the mint keeps them trimmed).
    recipients: list[Annotated[str, Field(pattern=r"\S")]] = Field(
        min_length=1, max_length=1000, examples=[["โรงเรียนบ้านหนองบัว", "ผู้ปกครอง 2"]]
    )


class LinkView(BaseModel):
    recipient: str
    url: str
    token: str


class LinkList(BaseModel):
    survey_id: str
    expires_at: datetime
    links: list[LinkView]


class TextAnswer(BaseModel):
    response_id: str
    via: SurveyLink
    answered_at: datetime
    texts: dict[str, str]


class TextAnswerList(BaseModel):
    survey_id: str
    answers: list[TextAnswer]


def survey_results(survey: MissionSurvey, tally: SurveyTally) -> SurveyResults:
    counted = results([i.id for i in survey.items], tally)
    texts = {i.id: (i.text_th, i.text_en) for i in survey.items}
    return SurveyResults(
        responses=tally.responses,
        public=tally.public,
        personal=tally.personal,
        items=[
            ItemResultView(
                item_id=r.item_id,
                text_th=texts[r.item_id][0],
                text_en=texts[r.item_id][1],
                distribution=list(r.distribution),
                answered=r.answered,
                mean=r.mean,
            )
            for r in counted
        ],
        mean=overall_mean(counted),
        texts_answered={q.id: tally.texts.get(q.id, 0) for q in survey.questions},
    )


def _summary_fields(doc: Document) -> dict[str, Any]:
    survey = survey_of(doc)
    tally = tally_of(doc)
    return {
        "survey_id": survey.survey_id,
        "title_th": survey.title_th,
        "title_en": survey.title_en,
        "fiscal_year": survey.fiscal_year,
        "mission_item": survey.mission_item,
        "group": survey.group,
        "status": survey.status,
        "opens_on": survey.opens_on,
        "closes_on": survey.closes_on,
        "responses": tally.responses,
        "mean": overall_mean(results([i.id for i in survey.items], tally)),
    }


def survey_summary(doc: Document) -> MissionSurveySummary:
    return MissionSurveySummary(**_summary_fields(doc))


def survey_detail(doc: Document, role: Role) -> MissionSurveyDetail:
    survey = survey_of(doc)
    return MissionSurveyDetail(
        **_summary_fields(doc),
        description_th=survey.description_th,
        description_en=survey.description_en,
        items=list(survey.items),
        questions=list(survey.questions),
        version=int(doc["version"]),
        links_sent=int(doc.get("links_sent", 0)),
        results=survey_results(survey, tally_of(doc)),
        commands=allowed_commands(survey.status, role),
    )


def public_survey(doc: Document, today: date) -> PublicMissionSurvey:
    survey = survey_of(doc)
    closed = survey.status is SurveyStatus.closed
    return PublicMissionSurvey(
        survey_id=survey.survey_id,
        title_th=survey.title_th,
        title_en=survey.title_en,
        description_th=survey.description_th,
        description_en=survey.description_en,
        fiscal_year=survey.fiscal_year,
        mission_item=survey.mission_item,
        group=survey.group,
        status=survey.status,
        opens_on=survey.opens_on,
        closes_on=survey.closes_on,
        takes_answers=takes_answers(survey, today),
        items=list(survey.items),
        questions=list(survey.questions),
        results=survey_results(survey, tally_of(doc)) if closed else None,
    )


def text_answer(doc: Document) -> TextAnswer:
    return TextAnswer(
        response_id=doc["_id"],
        via=SurveyLink(doc["via"]),
        answered_at=doc["answered_at"],
        texts=dict(doc.get("texts") or {}),
    )
