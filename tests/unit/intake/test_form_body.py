"""A form's fields become the API's body: groups, blanks, boxes and the place's point."""

from __future__ import annotations

from services.intake.domain.form_body import nest


def test_the_place_point_becomes_numbers_and_the_address_stays_text() -> None:
    body = nest(
        {"location.text": "หน้าโรงเรียน", "location.lat": "13.7563", "location.lon": "100.5018"}
    )
    assert body["location"] == {"text": "หน้าโรงเรียน", "lat": 13.7563, "lon": 100.5018}


def test_a_point_that_is_no_number_stays_text_for_the_model_to_refuse() -> None:
    for typed in ("north", "nan", "inf"):
        assert nest({"location.lat": typed, "location.lon": "100"})["location"]["lat"] == typed


def test_a_group_left_blank_is_absent_and_boxes_are_false_unless_ticked() -> None:
    body = nest(
        {
            "contact.name": "",
            "contact.phone": " ",
            "consent.contact_me": "true",
            "idempotency_key": "k",
        }
    )
    assert "contact" not in body and "idempotency_key" not in body
    assert body["consent"] == {"contact_me": True, "share_name_with_unit": False}
