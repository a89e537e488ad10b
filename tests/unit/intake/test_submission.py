"""The submission body: each rejected field is named; good bodies come out normalised."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from services.intake.domain.submission import (
    OPENAPI_EXAMPLES,
    SubmissionRequest,
    normalise_phone,
    parse_submission,
)
from shared.contract.catalogue import load_catalogue
from shared.contract.events import Channel, Kind

CATALOGUE = load_catalogue()
TODAY = date(2025, 6, 1)


def body(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "kind": "complaint",
        "complaint_type": "service",
        "category": "documents",
        "subject": "เอกสารล่าช้า",
        "description": "ยังไม่ได้รับหนังสือรับรอง",
        "language": "th",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not ...}


def rejected_fields(data: dict[str, Any]) -> set[tuple[str, str]]:
    with pytest.raises(ValidationError) as info:
        parse_submission(data, CATALOGUE, today=TODAY)
    return {(".".join(map(str, e["loc"])), e["type"]) for e in info.value.errors()}


def test_minimal_complaint_is_accepted() -> None:
    request = parse_submission(body(), CATALOGUE, today=TODAY)
    assert request.kind == Kind.complaint
    assert request.contact is None


def test_anonymous_feedback_needs_no_contact_nor_type() -> None:
    data = body(kind="feedback", complaint_type=..., category="service-quality")
    assert parse_submission(data, CATALOGUE, today=TODAY).complaint_type is None


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"kind": "rant"}, "kind", "enum"),
        ({"kind": ...}, "kind", "missing"),
        ({"complaint_type": ...}, "complaint_type", "complaint_type_required"),
        (
            {"kind": "question", "category": "documents"},
            "complaint_type",
            "complaint_type_forbidden",
        ),
        ({"complaint_type": "rude"}, "complaint_type", "enum"),
        ({"category": "no-such-thing"}, "category", "unknown_category"),
        (
            {"kind": "compliment", "complaint_type": ..., "category": "documents"},
            "category",
            "kind_not_accepted",
        ),
        ({"category": ...}, "category", "missing"),
        ({"subject": "   "}, "subject", "string_too_short"),
        ({"subject": "ก" * 201}, "subject", "string_too_long"),
        ({"description": "x" * 10_001}, "description", "string_too_long"),
        ({"description": ...}, "description", "missing"),
        ({"occurred_on": "2025-06-02"}, "occurred_on", "date_in_future"),
        ({"occurred_on": "2 June"}, "occurred_on", "date_from_datetime_parsing"),
        ({"location": {"lat": 91, "lon": 100}}, "location.lat", "less_than_equal"),
        ({"location": {"lat": 13.7, "lon": -181}}, "location.lon", "greater_than_equal"),
        ({"location": {"lat": 13.7}}, "location.lon", "coordinates_pair"),
        ({"location": {"lon": 100.5}}, "location.lon", "coordinates_pair"),
        ({"language": "fr"}, "language", "enum"),
        ({"contact": {"phone": "12345"}}, "contact.phone", "phone_format"),
        ({"contact": {"phone": "+66 12"}}, "contact.phone", "phone_format"),
        ({"contact": {"email": "somchai-at-example"}}, "contact.email", "email_format"),
        ({"contact": {"line_user_id": "a b"}}, "contact.line_user_id", "line_id_format"),
        ({"contact": {"fax": "02"}}, "contact.fax", "extra_forbidden"),
        ({"consent": {"contact_me": "perhaps"}}, "consent.contact_me", "bool_parsing"),
        ({"consultation_id": "has space"}, "consultation_id", "string_pattern_mismatch"),
        ({"named_person": "x" * 201}, "named_person", "string_too_long"),
        ({"channel": "web"}, "channel", "extra_forbidden"),
        ({"priority": "urgent"}, "priority", "extra_forbidden"),
    ],
)
def test_each_rejected_field_is_named(changes: dict[str, Any], field: str, code: str) -> None:
    assert (field, code) in rejected_fields(body(**changes))


def test_occurred_today_is_fine() -> None:
    assert parse_submission(body(occurred_on="2025-06-01"), CATALOGUE, today=TODAY).occurred_on


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0812345678", "+66812345678"),
        ("081-234-5678", "+66812345678"),
        ("02-123-4567", "+6621234567"),
        ("053 123 456", "+6653123456"),
        ("+66812345678", "+66812345678"),
        ("+66 2 123 4567", "+6621234567"),
        ("+447911123456", "+447911123456"),
    ],
)
def test_phones_are_normalised_to_e164(raw: str, e164: str) -> None:
    assert normalise_phone(raw) == e164


@pytest.mark.parametrize("raw", ["0112345678", "081234567", "+660812345678", "phone", "+66"])
def test_bad_phones(raw: str) -> None:
    assert ("contact.phone", "phone_format") in rejected_fields(body(contact={"phone": raw}))


def test_blank_optional_fields_mean_not_given() -> None:
    data = body(occurred_on="", contact={"name": "", "phone": " ", "email": "a@b.co"})
    request = parse_submission(data, CATALOGUE, today=TODAY)
    assert request.occurred_on is None
    assert request.contact is not None and request.contact.phone is None


def test_line_ids() -> None:
    for line_id in ["U" + "a" * 32, "@somchai.k", "somchai_99"]:
        request = parse_submission(body(contact={"line_user_id": line_id}), CATALOGUE, today=TODAY)
        assert request.contact is not None and request.contact.line_user_id == line_id


def test_json_text_is_parsed_too() -> None:
    request = parse_submission(
        b'{"kind":"question","category":"other","subject":"s","description":"d"}',
        CATALOGUE,
        today=TODAY,
    )
    assert request.kind == Kind.question


def test_validation_without_catalogue_is_refused_loudly() -> None:
    with pytest.raises(RuntimeError):
        SubmissionRequest.model_validate(body())


def test_openapi_examples_are_valid_bodies() -> None:
    for example in OPENAPI_EXAMPLES.values():
        parse_submission(example["value"], CATALOGUE, today=TODAY)


def test_event_data_carries_the_channel_from_credentials() -> None:
    request = parse_submission(OPENAPI_EXAMPLES["complaint_th"]["value"], CATALOGUE, today=TODAY)
    from datetime import UTC, datetime

    data = request.to_event_data(
        submission_id="s-1",
        tracking_code="SG-AAAA-AAAA-AAAA",
        channel=Channel.phone,
        keyed_by="staff-7",
        received_at=datetime(2025, 6, 1, tzinfo=UTC),
        person_id="p-1",
    )
    assert data.channel == Channel.phone and data.keyed_by == "staff-7"
    # The contact goes to the personal-data store; the event names only its reference.
    assert request.contact is not None and request.contact.phone == "+66812345678"
    assert data.person_id == "p-1" and "0812345678" not in data.model_dump_json()
    assert data.location is not None and data.location.lat == 13.7563
