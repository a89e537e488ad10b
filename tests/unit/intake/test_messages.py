"""Error texts in Thai and English, one per field."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.intake.domain.messages import TEXTS, field_problems, language_of, text
from services.intake.domain.submission import parse_submission
from shared.contract.catalogue import load_catalogue
from shared.contract.events import Language


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, Language.th),
        ("", Language.th),
        ("en", Language.en),
        ("en-US,en;q=0.9", Language.en),
        ("th-TH,th;q=0.9,en;q=0.8", Language.th),
        ("en;q=0.5, th;q=0.8", Language.th),
        ("fr, en;q=0.3", Language.en),
        ("fr", Language.th),
        ("en;q=0, th;q=0.1", Language.th),
        ("en;q=abc", Language.th),
    ],
)
def test_language_from_accept_language(header: str | None, language: Language) -> None:
    assert language_of(header) == language


def errors_for(data):
    with pytest.raises(ValidationError) as info:
        parse_submission(data, load_catalogue())
    return info.value.errors()


def test_each_field_gets_its_own_message_in_both_languages() -> None:
    errors = errors_for(
        {
            "kind": "complaint",
            "category": "nope",
            "subject": "",
            "description": "d",
            "contact": {"phone": "123"},
            "channel": "web",
        }
    )
    th = {p.field: p.message for p in field_problems(errors, Language.th)}
    en = {p.field: p.message for p in field_problems(errors, Language.en)}
    assert set(th) == {"complaint_type", "category", "subject", "contact.phone", "channel"}
    assert "nope" in en["category"] and "nope" in th["category"]
    assert "API key" in en["channel"]
    assert "โทรศัพท์" in th["contact.phone"]
    assert th["subject"] != en["subject"]


def test_length_limits_are_named_in_the_message() -> None:
    problems = field_problems(
        errors_for(
            {"kind": "question", "category": "other", "subject": "x" * 300, "description": "d"}
        ),
        Language.en,
    )
    assert problems[0].as_dict() == {
        "field": "subject",
        "code": "string_too_long",
        "message": "must be at most 200 characters",
    }


def test_enum_choices_are_listed_without_quotes() -> None:
    problems = field_problems(
        errors_for({"kind": "x", "category": "other", "subject": "s", "description": "d"}),
        Language.en,
    )
    assert "complaint" in problems[0].message and "'" not in problems[0].message


def test_invalid_json_names_the_body() -> None:
    problems = field_problems(errors_for_json(b"{not json"), Language.th)
    assert problems[0].field == "body"


def errors_for_json(raw: bytes):
    with pytest.raises(ValidationError) as info:
        parse_submission(raw, load_catalogue())
    return info.value.errors()


def test_unknown_error_types_fall_back() -> None:
    problems = field_problems([{"loc": ("x",), "type": "weird"}], Language.en)
    assert problems[0].message == "is not valid"


def test_every_text_exists_in_both_languages() -> None:
    for code, (th, en) in TEXTS.items():
        assert th and en and th != en, code
    assert "30" in text("rate_limited", Language.en, retry_after=30)
