"""An opinion that came through a channel as a submission: counted if the consultation
took opinions when intake received it, never after its results are concluded."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from services.participation.domain.errors import InvalidField, Refused
from services.participation.domain.opinions import (
    UNSPECIFIED_GROUP,
    SubmittedOpinion,
    check_submitted,
)
from services.participation.domain.tally import CountedOpinion, increments
from shared.contract.events import ConsultationStatus
from tests.unit.participation.sample import NOW, consultation


def sent(**overrides: Any) -> SubmittedOpinion:
    fields: dict[str, Any] = {
        "submission_id": "s-1",
        "group": "parents",
        "answers": {"lunch": "good", "idea": "  "},
        "subject": "อาหารกลางวัน",
        "description": "อยากให้มีผลไม้",
        "received_at": NOW,
    }
    return SubmittedOpinion(**{**fields, **overrides})


def test_answers_are_counted_per_group_and_question() -> None:
    c = consultation()
    checked = check_submitted(c, sent(), None)
    assert (checked.group, checked.answers, checked.comment) == ("parents", {"lunch": "good"}, None)
    assert increments(c, CountedOpinion(checked.group, checked.answers)) == {
        "total": 1,
        "by_group.parents": 1,
        "by_question.lunch.answered": 1,
        "by_question.lunch.by_group.parents": 1,
        "by_question.lunch.choices.good": 1,
        "by_question.lunch.choices_by_group.parents.good": 1,
    }


def test_a_letter_without_group_or_answers_is_counted_with_its_words() -> None:
    checked = check_submitted(consultation(), sent(group=None, answers={}), None)
    assert checked.group == UNSPECIFIED_GROUP and checked.answers == {}
    assert checked.comment == "อาหารกลางวัน\n\nอยากให้มีผลไม้"
    assert checked.submission_id == "s-1"


def test_one_sent_before_the_close_is_counted_after_it() -> None:
    closed = consultation(ConsultationStatus.closed)
    assert check_submitted(closed, sent(), NOW + timedelta(minutes=1)).group == "parents"
    with pytest.raises(Refused):
        check_submitted(closed, sent(), NOW - timedelta(minutes=1))


@pytest.mark.parametrize(
    "c",
    [
        consultation(ConsultationStatus.concluded),
        consultation(ConsultationStatus.draft),
        consultation(closes_on=date(2026, 12, 5)),  # received after its last day
    ],
)
def test_a_consultation_that_could_not_take_it_refuses_it(c: Any) -> None:
    with pytest.raises(Refused):
        check_submitted(c, sent(), None)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"group": "students"}, "stakeholder_group"),
        ({"answers": {"lunch": "great"}}, "answers.lunch"),
        ({"answers": {"menu": "rice"}}, "answers.menu"),
    ],
)
def test_a_group_or_answer_it_does_not_take_names_the_field(
    overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidField) as refused:
        check_submitted(consultation(), sent(**overrides), None)
    assert refused.value.field == field
