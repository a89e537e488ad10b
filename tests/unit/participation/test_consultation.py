"""A draft is checked against the fiscal year's plan and the stakeholder groups, each
refusal naming the field."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.participation.domain.consultation import Choice, Question, QuestionKind, check_draft
from services.participation.domain.errors import InvalidField
from services.participation.domain.plan import StakeholderGroup, StakeholderGroups
from tests.unit.participation.sample import PLAN, QUESTIONS, draft

GROUPS = StakeholderGroups(
    groups=(
        StakeholderGroup(code="parents", name_th="ผู้ปกครอง", name_en="Parents"),
        StakeholderGroup(code="teachers", name_th="ครู", name_en="Teachers"),
    )
)


def test_a_sound_draft_passes_and_belongs_to_the_fiscal_year_it_opens_in() -> None:
    check_draft(draft(), PLAN, GROUPS)
    assert draft().fiscal_year == 2570
    assert draft(opens_on=date(2026, 9, 30), closes_on=date(2026, 10, 30)).fiscal_year == 2569


def _choice(code: str) -> Choice:
    return Choice(code=code, label_th=code)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"closes_on": date(2026, 11, 1)}, "closes_on"),
        ({"closes_on": date(2028, 1, 1)}, "closes_on"),
        ({"mission_item": "S7"}, "mission_item"),
        ({"mission_item": "S9"}, "mission_item"),
        ({"groups": ("parents", "monks")}, "groups[1]"),
        ({"groups": ("parents", "parents")}, "groups[1]"),
        ({"questions": (QUESTIONS[0], QUESTIONS[0])}, "questions[1].id"),
        (
            {
                "questions": (
                    Question(
                        id="q", kind=QuestionKind.choice, text_th="?", choices=(_choice("a"),)
                    ),
                )
            },
            "questions[0].choices",
        ),
        (
            {
                "questions": (
                    Question(
                        id="q",
                        kind=QuestionKind.choice,
                        text_th="?",
                        choices=(_choice("a"), _choice("a")),
                    ),
                )
            },
            "questions[0].choices",
        ),
        (
            {
                "questions": (
                    Question(
                        id="q",
                        kind=QuestionKind.text,
                        text_th="?",
                        choices=(_choice("a"), _choice("b")),
                    ),
                )
            },
            "questions[0].choices",
        ),
    ],
)
def test_a_refusal_names_the_field(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidField) as refused:
        check_draft(draft(**overrides), PLAN, GROUPS)
    assert refused.value.field == field


def test_a_year_without_a_plan_is_refused_on_its_opening_day() -> None:
    with pytest.raises(InvalidField) as refused:
        check_draft(draft(), None, GROUPS)
    assert refused.value.field == "opens_on"
