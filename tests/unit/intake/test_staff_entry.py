"""A keyed-in entry: its channel, a letter's number and date (ISO, or D/M/YYYY in B.E.),
each refusal naming its field."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from services.intake.domain.form_body import nest
from services.intake.domain.staff_entry import parse_staff_entry
from shared.contract.catalogue import load_catalogue
from shared.contract.events import Channel

CATALOGUE = load_catalogue()
TODAY = date(2025, 3, 10)
FORM = {
    "kind": "complaint",
    "complaint_type": "service",
    "category": "documents",
    "subject": "หนังสือร้องเรียนเรื่องเอกสารล่าช้า",
    "description": "ผู้ปกครองมีหนังสือแจ้งว่ายังไม่ได้รับเอกสาร",
}


def entry(**fields: str) -> Any:
    return parse_staff_entry(nest({**FORM, **fields}), CATALOGUE, today=TODAY)


def refused(**fields: str) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        entry(**fields)
    return {".".join(map(str, e["loc"])): e["type"] for e in caught.value.errors()}


def test_a_letter_keeps_its_number_and_date() -> None:
    body = entry(
        **{"channel": "letter", "letter.number": "ศธ 04002/1234", "letter.dated": "2025-03-05"}
    )
    assert body.channel == Channel.letter
    assert body.letter is not None
    assert body.letter.reference().number == "ศธ 04002/1234"
    assert body.letter.reference().dated == date(2025, 3, 5)


@pytest.mark.parametrize("typed", ["5/3/2568", "05/03/2568", "2568-03-05"])
def test_a_letter_date_in_buddhist_era_is_read(typed: str) -> None:
    body = entry(**{"channel": "letter", "letter.number": "ที่ นม 0123/ว 45", "letter.dated": typed})
    assert body.letter is not None and body.letter.dated == date(2025, 3, 5)


def test_a_phone_call_needs_no_letter_and_blank_letter_fields_are_no_letter() -> None:
    body = entry(**{"channel": "phone", "letter.number": "", "letter.dated": " "})
    assert body.channel == Channel.phone and body.letter is None


@pytest.mark.parametrize(
    ("fields", "where", "code"),
    [
        ({"channel": "letter"}, "letter.number", "letter_required"),
        (
            {"channel": "phone", "letter.number": "ศธ 1/2", "letter.dated": "2025-03-01"},
            "letter",
            "letter_only",
        ),
        ({"channel": "web"}, "channel", "literal_error"),
        (
            {"channel": "letter", "letter.number": "<script>", "letter.dated": "2025-03-01"},
            "letter.number",
            "string_pattern_mismatch",
        ),
        (
            {"channel": "letter", "letter.number": "ศธ 1/2", "letter.dated": "2025-03-11"},
            "letter.dated",
            "date_in_future",
        ),
        (
            {"channel": "letter", "letter.number": "ศธ 1/2", "letter.dated": "31/2/2568"},
            "letter.dated",
            "letter_date_format",
        ),
        (
            {"channel": "letter", "letter.number": "ศธ 1/2", "letter.dated": "5/3/2025"},
            "letter.dated",
            "letter_date_format",
        ),
        (
            {"channel": "letter", "letter.number": "ศธ 1/2", "letter.dated": "1985-01-01"},
            "letter.dated",
            "letter_too_old",
        ),
        ({"channel": "letter", "letter.number": "ศธ 1/2"}, "letter.dated", "missing"),
    ],
)
def test_refusals_name_the_field(fields: dict[str, str], where: str, code: str) -> None:
    assert refused(**fields).get(where) == code


def test_no_field_names_the_keyer() -> None:
    assert refused(channel="phone", keyed_by="someone.else") == {"keyed_by": "extra_forbidden"}
