"""What the API answers: consultations, opinions and outcomes as staff and the public
see them, built from the stored documents."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from services.participation.adapters.consultation_store import consultation_of
from services.participation.adapters.outcome_store import outcome_of
from services.participation.domain.consultation import Question
from services.participation.domain.lifecycle import Command, Role, allowed_commands
from services.participation.domain.opinions import takes_opinions
from shared.contract.events import (
    ConsultationStatus,
    HeardComplaints,
    HeardResolution,
    OutcomeBasis,
    OutcomeStatus,
)
from shared.infra.mongo import Document


class ConsultationSummary(BaseModel):
    consultation_id: str
    status: ConsultationStatus
    fiscal_year: int
    mission_item: str
    topic_th: str
    topic_en: str | None
    groups: list[str]
    opens_on: date
    closes_on: date
    opinions: int
    by_group: dict[str, int]


class ConsultationDetail(ConsultationSummary):
    version: int
    description_th: str
    description_en: str | None
    questions: list[Question]
    summary: str | None
    # Opinions counted per group and per question (see domain/tally.py for the paths).
    tally: dict[str, Any]
    timeline: list[dict[str, Any]]
    allowed_commands: list[Command]


class ConsultationList(BaseModel):
    consultations: list[ConsultationSummary]


class PublicConsultation(ConsultationSummary):
    description_th: str
    description_en: str | None
    questions: list[Question]
    summary: str | None
    takes_opinions: bool
    tally: dict[str, Any]


class PublicConsultationList(BaseModel):
    consultations: list[PublicConsultation]


class OpinionView(BaseModel):
    opinion_id: str
    consultation_id: str
    group: str
    answers: dict[str, str]
    themes: list[str]
    channel: str
    language: str
    # The person left contact details (read them through the contact endpoint, logged).
    with_contact: bool
    received_at: datetime


class OpinionList(BaseModel):
    opinions: list[OpinionView]
    # Opinions per theme staff tagged, most frequent first.
    themes: dict[str, int]


class OpinionReceipt(BaseModel):
    opinion_id: str
    consultation_id: str
    received_at: datetime
    replayed: bool


class OutcomeView(BaseModel):
    outcome_id: str
    version: int
    # What it answers: a consultation (and some of its opinions), a committee resolution
    # (with its text as taken) or a pattern of complaints (with their count).
    basis: OutcomeBasis
    consultation_id: str | None
    opinion_ids: list[str]
    resolution: HeardResolution | None
    complaints: HeardComplaints | None
    fiscal_year: int
    mission_item: str
    you_said_th: str
    you_said_en: str | None
    we_did_th: str
    we_did_en: str | None
    owner_unit: str
    status: OutcomeStatus
    reason: str | None
    due_on: date | None
    done_on: date | None
    published: bool
    history: list[dict[str, Any]]


class OutcomeList(BaseModel):
    outcomes: list[OutcomeView]


def consultation_summary(doc: Document) -> ConsultationSummary:
    c = consultation_of(doc)
    return ConsultationSummary(
        consultation_id=c.consultation_id,
        status=c.status,
        fiscal_year=c.fiscal_year,
        mission_item=c.mission_item,
        topic_th=c.topic_th,
        topic_en=c.topic_en,
        groups=list(c.groups),
        opens_on=c.opens_on,
        closes_on=c.closes_on,
        opinions=c.opinions,
        by_group=c.by_group,
    )


def consultation_detail(doc: Document, role: Role) -> ConsultationDetail:
    c = consultation_of(doc)
    return ConsultationDetail(
        **consultation_summary(doc).model_dump(),
        version=doc["version"],
        description_th=c.description_th,
        description_en=c.description_en,
        questions=list(c.questions),
        summary=c.summary,
        tally=doc.get("tally") or {},
        timeline=doc.get("timeline", []),
        allowed_commands=allowed_commands(c.status, role),
    )


def public_consultation(doc: Document, today: date) -> PublicConsultation:
    c = consultation_of(doc)
    return PublicConsultation(
        **consultation_summary(doc).model_dump(),
        description_th=c.description_th,
        description_en=c.description_en,
        questions=list(c.questions),
        summary=c.summary if c.status is ConsultationStatus.concluded else None,
        takes_opinions=takes_opinions(c, today),
        tally=doc.get("tally") or {},
    )


def opinion_view(doc: Document) -> OpinionView:
    return OpinionView(
        opinion_id=doc["_id"],
        consultation_id=doc["consultation_id"],
        group=doc["group"],
        answers=doc.get("answers") or {},
        themes=list(doc.get("themes") or []),
        channel=doc.get("channel", "web"),
        language=doc.get("language", "th"),
        with_contact=doc.get("person_id") is not None,
        received_at=doc["received_at"],
    )


def outcome_view(doc: Document) -> OutcomeView:
    o = outcome_of(doc)
    return OutcomeView(
        **o.model_dump(exclude={"opinion_ids"}),
        opinion_ids=list(o.opinion_ids),
        version=doc["version"],
        history=doc.get("history", []),
    )
