"""Routing a new submission: unit, priority, supervisors, exclusions, duplicate hint."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from services.workflow.adapters.policy_files import load_routing_config
from services.workflow.domain.routing import (
    RecentCase,
    RoutingConfig,
    contact_keys,
    route,
)
from shared.contract.catalogue import load_catalogue
from shared.contract.events import Contact, Priority, SubmissionReceived

CATALOGUE = load_catalogue()
CONFIG = load_routing_config()
SECRET = b"test-secret"
RECEIVED = datetime(2025, 6, 10, 2, 0, tzinfo=UTC)
# The sender's contact as the personal-data store holds it (the submission names "p-1").
PHONE = Contact(phone="081-234-5678")


def submission(**changes: Any) -> SubmissionReceived:
    fields: dict[str, Any] = {
        "submission_id": "S-1",
        "tracking_code": "K7Q2-9XPL",
        "channel": "web",
        "kind": "complaint",
        "complaint_type": "service",
        "category": "school-lunch",
        "subject": "Milk was sour",
        "description": "Three days in a row",
        "received_at": RECEIVED,
        "person_id": "p-1",
    }
    fields.update(changes)
    return SubmissionReceived.model_validate(fields)


# ------------------------------------------------------------- unit


def test_a_category_goes_to_the_catalogues_responsible_unit() -> None:
    decision = route(submission(), CATALOGUE, CONFIG)
    assert decision.unit == "promotion"
    assert decision.assign_to_supervisor is False


def test_an_override_in_the_routing_file_wins() -> None:
    config = RoutingConfig(category_units={"school-lunch": "finance"})
    assert route(submission(), CATALOGUE, config).unit == "finance"


def test_an_override_to_a_unit_that_no_longer_exists_falls_back_to_the_catalogue() -> None:
    config = RoutingConfig(category_units={"school-lunch": "closed-unit"})
    assert route(submission(), CATALOGUE, config).unit == "promotion"
    assert config.problems(CATALOGUE) == [
        "category 'school-lunch' routed to unknown unit 'closed-unit'"
    ]


def test_an_unknown_category_goes_to_the_triage_unit() -> None:
    decision = route(submission(category="potholes"), CATALOGUE, CONFIG)
    assert decision.unit == "triage"


def test_the_shipped_routing_file_matches_the_catalogue() -> None:
    assert CONFIG.problems(CATALOGUE) == []


def test_a_routing_file_with_unknown_keys_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "routing.yaml"
    path.write_text("category_unit: {}\n", encoding="utf-8")  # typo of category_units
    with pytest.raises(ValidationError):
        load_routing_config(path)


# ------------------------------------------------------------- priority


@pytest.mark.parametrize(
    ("changes", "priority"),
    [
        ({}, Priority.normal),
        ({"kind": "suggestion", "complaint_type": None}, Priority.low),
        ({"kind": "question", "complaint_type": None, "category": "documents"}, Priority.normal),
        ({"category": "student-welfare"}, Priority.high),
        (
            {"kind": "suggestion", "complaint_type": None, "category": "student-welfare"},
            Priority.high,
        ),
        ({"complaint_type": "misconduct", "category": "teacher-conduct"}, Priority.high),
    ],
)
def test_priority_is_the_highest_matching_rule(changes: dict[str, Any], priority: Priority) -> None:
    assert route(submission(**changes), CATALOGUE, CONFIG).priority == priority


def test_misconduct_is_never_below_high_whatever_the_file_says() -> None:
    config = RoutingConfig.model_validate(
        {"priority": {"default": "low", "by_complaint_type": {"misconduct": "low"}}}
    )
    decision = route(submission(complaint_type="misconduct"), CATALOGUE, config)
    assert decision.priority == Priority.high


def test_urgent_by_category_stays_urgent_for_misconduct() -> None:
    config = RoutingConfig.model_validate({"priority": {"by_category": {"school-lunch": "urgent"}}})
    decision = route(submission(complaint_type="misconduct"), CATALOGUE, config)
    assert decision.priority == Priority.urgent


# ------------------------------------------------------------- misconduct and named people


def test_misconduct_goes_to_the_units_supervisors_and_excludes_the_person_named() -> None:
    decision = route(
        submission(
            complaint_type="misconduct", category="teacher-conduct", named_person=" Somchai K. "
        ),
        CATALOGUE,
        CONFIG,
    )
    assert decision.unit == "legal"
    assert decision.assign_to_supervisor is True
    assert decision.exclude == frozenset({"Somchai K."})


def test_misconduct_can_be_sent_to_one_unit_for_all_categories() -> None:
    config = RoutingConfig.model_validate({"misconduct": {"unit": "audit"}})
    decision = route(submission(complaint_type="misconduct"), CATALOGUE, config)
    assert decision.unit == "audit"
    # A service complaint in the same category is not affected.
    assert route(submission(), CATALOGUE, config).unit == "promotion"


def test_a_named_person_is_excluded_from_a_service_complaint_too() -> None:
    decision = route(submission(named_person="Malee"), CATALOGUE, CONFIG)
    assert decision.assign_to_supervisor is False
    assert decision.exclude == frozenset({"Malee"})


def test_no_one_is_excluded_when_no_one_is_named() -> None:
    assert route(submission(named_person="  "), CATALOGUE, CONFIG).exclude == frozenset()


# ------------------------------------------------------------- duplicate hint


def recent(
    case_id: str, days_ago: float, category: str = "school-lunch", **contact: str
) -> RecentCase:
    return RecentCase(
        case_id=case_id,
        category=category,
        contact_keys=contact_keys(Contact(**(contact or {"phone": "0812345678"})), SECRET),
        opened_at=RECEIVED - timedelta(days=days_ago),
    )


def test_same_contact_and_category_within_the_window_hints_the_latest_case() -> None:
    cases = [recent("C-old", 10), recent("C-new", 2), recent("C-ancient", 40)]
    decision = route(submission(), CATALOGUE, CONFIG, cases, SECRET, PHONE)
    assert decision.duplicate_hint == "C-new"


def test_no_hint_outside_the_window_or_in_another_category() -> None:
    cases = [recent("C-1", 15), recent("C-2", 1, category="facilities")]
    assert route(submission(), CATALOGUE, CONFIG, cases, SECRET, PHONE).duplicate_hint is None


def test_no_hint_for_another_person_or_an_anonymous_submission() -> None:
    cases = [recent("C-1", 1, phone="0899999999")]
    assert route(submission(), CATALOGUE, CONFIG, cases, SECRET, PHONE).duplicate_hint is None
    anonymous = submission(person_id=None)
    assert route(anonymous, CATALOGUE, CONFIG, [recent("C-2", 1)], SECRET).duplicate_hint is None


def test_the_same_phone_written_differently_is_the_same_contact() -> None:
    cases = [recent("C-1", 1, phone="+66 81 234 5678")]
    assert route(submission(), CATALOGUE, CONFIG, cases, SECRET, PHONE).duplicate_hint == "C-1"


def test_any_shared_way_of_contact_is_enough() -> None:
    cases = [recent("C-1", 1, email="Somsri@Example.org")]
    given = Contact(phone="0800000000", email="somsri@example.org ")
    assert route(submission(), CATALOGUE, CONFIG, cases, SECRET, given).duplicate_hint == "C-1"


def test_contact_keys_do_not_reveal_the_phone_number() -> None:
    keys = contact_keys(Contact(phone="0812345678"), SECRET)
    assert len(keys) == 1
    assert not any("0812345678" in k for k in keys)
    assert keys != contact_keys(Contact(phone="0812345678"), b"another-secret")
