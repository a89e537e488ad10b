"""An opinion is refused on a consultation that takes none (409) and checked against its
groups and questions otherwise, each refusal naming the field (422)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.participation.domain.errors import InvalidField, MissingField, Refused
from services.participation.domain.opinions import OpinionBody, check_opinion, check_themes
from shared.contract.events import ConsultationStatus, Contact
from tests.unit.participation.sample import TODAY, consultation


def body(**overrides: Any) -> OpinionBody:
    fields: dict[str, Any] = {"group": "parents", "answers": {"lunch": "good"}}
    return OpinionBody.model_validate({**fields, **overrides})


def test_a_valid_opinion_keeps_its_answers_trimmed_and_drops_blanks() -> None:
    checked = check_opinion(consultation(), body(answers={"lunch": " fair ", "idea": "   "}), TODAY)
    assert checked.answers == {"lunch": "fair"} and checked.group == "parents"
    assert checked.contact is None


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (ConsultationStatus.draft, "not_open"),
        (ConsultationStatus.closed, "closed"),
        (ConsultationStatus.concluded, "closed"),
    ],
)
def test_a_consultation_that_is_not_open_refuses(status: ConsultationStatus, reason: str) -> None:
    with pytest.raises(Refused) as refused:
        check_opinion(consultation(status), body(), TODAY)
    assert refused.value.reason == reason


def test_an_open_consultation_past_its_last_day_refuses_before_the_system_closes_it() -> None:
    ended = consultation(closes_on=date(2026, 12, 5))
    with pytest.raises(Refused) as refused:
        check_opinion(ended, body(), TODAY)
    assert refused.value.reason == "period_ended"
    assert check_opinion(consultation(closes_on=TODAY), body(), TODAY)  # the last day counts


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"group": "students"}, "group", InvalidField),
        ({"answers": {"lunch": "excellent"}}, "answers.lunch", InvalidField),
        ({"answers": {"lunch": "good", "why": "x"}}, "answers.why", InvalidField),
        ({"answers": {"idea": "ขอเพิ่มนม"}}, "answers.lunch", MissingField),
        ({"answers": {"lunch": "good", "idea": "ก" * 5001}}, "answers.idea", InvalidField),
        (
            {"contact": {"email": "malee@example.com"}, "consent": {"contact_me": False}},
            "consent.contact_me",
            InvalidField,
        ),
    ],
)
def test_a_refusal_names_the_field(
    overrides: dict[str, Any], field: str, error: type[Exception]
) -> None:
    with pytest.raises(error) as refused:
        check_opinion(consultation(), body(**overrides), TODAY)
    assert refused.value.field == field  # type: ignore[attr-defined]


def test_an_opinion_with_no_answer_at_all_is_refused() -> None:
    optional_only = consultation(questions=consultation().questions[1:])
    with pytest.raises(MissingField) as refused:
        check_opinion(optional_only, body(answers={"idea": " "}), TODAY)
    assert refused.value.field == "answers"


def test_contact_details_come_only_with_consent_and_blanks_are_no_contact() -> None:
    given = body(
        contact={"name": " มาลี ใจงาม ", "phone": "", "email": "malee@example.com"},
        consent={"contact_me": True},
    )
    checked = check_opinion(consultation(), given, TODAY)
    assert checked.contact == Contact(name="มาลี ใจงาม", email="malee@example.com")
    blank = body(contact={"name": "  "}, consent={"contact_me": False})
    assert check_opinion(consultation(), blank, TODAY).contact is None


def test_themes_are_trimmed_kept_once_and_short() -> None:
    assert check_themes([" อาหาร ", "อาหาร", "งบประมาณ"]) == ["อาหาร", "งบประมาณ"]
    with pytest.raises(InvalidField) as refused:
        check_themes(["ok", "a.b"])
    assert refused.value.field == "themes[1]"
    with pytest.raises(InvalidField):
        check_themes([f"t{i}" for i in range(11)])
