"""A consultation of the kind an office runs, for the participation unit tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from services.participation.domain.consultation import (
    Choice,
    Consultation,
    ConsultationDraft,
    Question,
    QuestionKind,
)
from services.participation.domain.lifecycle import Actor, Role
from services.participation.domain.plan import ItemKind, MissionItem, MissionPlan
from shared.contract.events import ConsultationStatus

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
TODAY = date(2026, 12, 6)
COORDINATOR = Actor(id="policy.a", role=Role.participation)
ADMIN = Actor(id="admin", role=Role.admin)
STAFF = Actor(id="finance.a", role=Role.staff)
SYSTEM = Actor(id="system", role=Role.system)

PLAN = MissionPlan(
    fiscal_year=2570,
    items=(
        MissionItem(code="S2", kind=ItemKind.strategy, name_th="คุณภาพผู้เรียน", name_en="Quality"),
        MissionItem(
            code="S9", kind=ItemKind.strategy, name_th="เลิกแล้ว", name_en="Retired", active=False
        ),
    ),
)

QUESTIONS = (
    Question(
        id="lunch",
        kind=QuestionKind.choice,
        text_th="ท่านพอใจกับอาหารกลางวันของโรงเรียนเพียงใด",
        text_en="How satisfied are you with school lunches?",
        choices=(
            Choice(code="good", label_th="พอใจ"),
            Choice(code="fair", label_th="พอใช้"),
            Choice(code="poor", label_th="ไม่พอใจ"),
        ),
        required=True,
    ),
    Question(id="idea", kind=QuestionKind.text, text_th="ข้อเสนอแนะเพิ่มเติม"),
)


def draft(**overrides: Any) -> ConsultationDraft:
    fields: dict[str, Any] = {
        "topic_th": "อาหารกลางวันในโรงเรียนขนาดเล็ก",
        "topic_en": "Lunches in small schools",
        "mission_item": "S2",
        "groups": ("parents", "teachers"),
        "opens_on": date(2026, 12, 1),
        "closes_on": date(2027, 1, 15),
        "questions": QUESTIONS,
    }
    return ConsultationDraft(**{**fields, **overrides})


def consultation(
    status: ConsultationStatus = ConsultationStatus.open, **overrides: Any
) -> Consultation:
    base = draft().model_dump()
    return Consultation(**{**base, **overrides}, consultation_id="cn-1", status=status)
