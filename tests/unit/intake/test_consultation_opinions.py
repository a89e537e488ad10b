"""An opinion sent through a channel (`consultation_id`): the body's own rules, and the
check against intake's copy of the consultation, kept from participation's events."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from services.intake.domain.consultations import (
    ConsultationNotOpen,
    InvalidOpinion,
    UnknownConsultation,
    apply,
    check_opinion,
)
from services.intake.domain.submission import parse_submission
from shared.contract.catalogue import DEFAULT_PATH, load_catalogue
from shared.contract.events import (
    ConsultationClosed,
    ConsultationConcluded,
    ConsultationOpened,
    ConsultationStatus,
    QuestionAsked,
)

CATALOGUE = load_catalogue(DEFAULT_PATH)
TODAY = date(2026, 3, 10)
T0 = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)


def body(**fields: Any):
    return parse_submission(
        {
            "kind": "feedback",
            "category": "public-consultation",
            "subject": "อาหารกลางวัน",
            "description": "อยากให้มีผลไม้ทุกวัน",
            "consultation_id": "cn-lunch",
            **fields,
        },
        CATALOGUE,
    )


def opened(**overrides: Any) -> ConsultationOpened:
    return ConsultationOpened(
        **{
            "consultation_id": "cn-lunch",
            "fiscal_year": 2569,
            "mission_item": "S2",
            "topic": "อาหารกลางวัน",
            "groups": ["parents", "teachers"],
            "opens_on": date(2026, 3, 1),
            "closes_on": date(2026, 3, 31),
            "questions": 2,
            "asked": [
                QuestionAsked(id="lunch", kind="choice", choices=["good", "poor"], required=True),
                QuestionAsked(id="idea", kind="text"),
            ],
            "actor": "policy.a",
            **overrides,
        }
    )


def state_open():
    return apply(None, opened(), T0)


def closed() -> ConsultationClosed:
    return ConsultationClosed(
        consultation_id="cn-lunch", fiscal_year=2569, mission_item="S2", opinions=3, actor="x"
    )


def refusal(exc: ValidationError) -> tuple[str, str]:
    (error,) = exc.errors()
    return ".".join(str(p) for p in error["loc"]), error["type"]


def test_an_open_consultation_takes_an_opinion_with_or_without_answers() -> None:
    check_opinion(body(stakeholder_group="parents", answers={"lunch": "good"}), state_open(), TODAY)
    check_opinion(body(), state_open(), TODAY)  # a letter: the description is the opinion


def test_an_unknown_or_unpublished_consultation_is_refused_naming_it() -> None:
    with pytest.raises(UnknownConsultation) as refused:
        check_opinion(body(consultation_id="cn-never"), None, TODAY)
    assert refused.value.consultation_id == "cn-never"
    # A close of a consultation intake never saw open tells it nothing (a draft is unknown).
    assert apply(None, closed(), T0) is None


@pytest.mark.parametrize(
    ("events", "today", "status"),
    [
        ([closed()], TODAY, ConsultationStatus.closed),
        ([closed(), "concluded"], TODAY, ConsultationStatus.concluded),
        ([], date(2026, 4, 1), ConsultationStatus.open),  # past its last day, not closed yet
    ],
)
def test_a_consultation_taking_no_opinions_now_is_a_409(
    events: list[Any], today: date, status: ConsultationStatus
) -> None:
    state = state_open()
    for n, event in enumerate(events, start=1):
        if event == "concluded":
            event = ConsultationConcluded(
                consultation_id="cn-lunch",
                fiscal_year=2569,
                mission_item="S2",
                topic="t",
                summary="s",
                opinions=3,
                actor="x",
            )
        state = apply(state, event, T0 + timedelta(days=n))
    with pytest.raises(ConsultationNotOpen) as refused:
        check_opinion(body(), state, today)
    assert refused.value.status is status


def test_a_reopened_consultation_takes_opinions_again_and_old_events_change_nothing() -> None:
    state = apply(state_open(), closed(), T0 + timedelta(days=1))
    reopened = apply(state, opened(closes_on=date(2026, 4, 30), reopened=True), T0 + timedelta(2))
    assert reopened is not None and reopened.status is ConsultationStatus.open
    # The close delivered again after the reopening is older: it is ignored.
    assert apply(reopened, closed(), T0 + timedelta(days=1)) == reopened
    check_opinion(body(), reopened, date(2026, 4, 20))


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"stakeholder_group": "students"}, "stakeholder_group", "group_not_asked"),
        ({"answers": {"lunch": "great"}}, "answers.lunch", "not_a_choice"),
        ({"answers": {"menu": "rice"}}, "answers.menu", "unknown_question"),
        ({"answers": {"idea": "fruit"}}, "answers.lunch", "answer_required"),
    ],
)
def test_a_group_or_answer_the_consultation_does_not_take_names_the_field(
    fields: dict[str, Any], field: str, code: str
) -> None:
    with pytest.raises(InvalidOpinion) as refused:
        check_opinion(body(**fields), state_open(), TODAY)
    assert (refused.value.field, refused.value.code) == (field, code)


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        (
            {"consultation_id": None, "answers": {"lunch": "good"}},
            "answers",
            "only_with_consultation",
        ),
        (
            {"consultation_id": None, "stakeholder_group": "parents"},
            "stakeholder_group",
            "only_with_consultation",
        ),
        (
            {"kind": "complaint", "complaint_type": "service", "category": "school-lunch"},
            "consultation_id",
            "kind_not_for_consultation",
        ),
        ({"contact": {"email": "malee@example.com"}}, "consent.contact_me", "consent_for_contact"),
        ({"answers": {"Lunch!": "good"}}, "answers.Lunch!.[key]", "string_pattern_mismatch"),
        ({"stakeholder_group": "Parents"}, "stakeholder_group", "string_pattern_mismatch"),
    ],
)
def test_the_body_of_an_opinion_keeps_its_own_rules(
    fields: dict[str, Any], field: str, code: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        body(**fields)
    assert refusal(refused.value) == (field, code)


def test_contact_with_consent_and_blank_answers_are_taken() -> None:
    sent = body(
        contact={"email": "malee@example.com"},
        consent={"contact_me": True},
        answers={"lunch": "good", "idea": "  "},
    )
    assert sent.opinion_answers() == {"lunch": "good"}
    event = sent.to_event_data(
        submission_id="s-1",
        tracking_code="SG-1",
        channel="web",
        keyed_by=None,
        received_at=T0,
        person_id="p-1",
    )
    assert event.consultation_id == "cn-lunch" and event.answers == {"lunch": "good"}
