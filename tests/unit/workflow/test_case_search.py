"""The console's search box: a tracking code however it is read out, a phone number or an
e-mail address as the case's keyed contact hashes, anything else as words."""

from __future__ import annotations

import pytest

from services.workflow.domain.case_search import Looking, read_search
from services.workflow.domain.routing import contact_keys
from shared.contract.events import Contact

SECRET = b"test-contact-key"


@pytest.mark.parametrize(
    "typed",
    ["SG-7KQ4-M9XT-3PW5", "sg 7kq4 m9xt 3pw5", " 7KQ4M9XT3PW5 ", "SG7KQ4-M9XT-3PW5"],
)
def test_a_tracking_code_however_it_is_typed(typed: str) -> None:
    found = read_search(typed, SECRET)
    assert found is not None and found.looking is Looking.tracking_code
    assert found.value == "SG-7KQ4-M9XT-3PW5"


def test_an_older_code_is_looked_for_as_written() -> None:
    found = read_search("sg-ab12-cd34", SECRET)
    assert found is not None and (found.looking, found.value) == (
        Looking.tracking_code,
        "SG-AB12-CD34",
    )


@pytest.mark.parametrize("typed", ["081-234-5678", "+66 81 234 5678", "0812345678"])
def test_a_phone_number_becomes_the_keys_the_cases_keep(typed: str) -> None:
    found = read_search(typed, SECRET)
    assert found is not None and found.looking is Looking.contact
    # The same key whatever the spelling, and the one the case keeps for its sender.
    assert found.keys == tuple(contact_keys(Contact(phone="0812345678"), SECRET))
    assert "0812345678" not in "".join(found.keys)


def test_an_email_address_in_any_case() -> None:
    found = read_search("Malee@Example.com", SECRET)
    assert found is not None and found.looking is Looking.contact
    assert found.keys == tuple(contact_keys(Contact(email="malee@example.com"), SECRET))


@pytest.mark.parametrize("typed", ["หลังคารั่ว", "roof  leaking", "2569", "ห้อง 12"])
def test_anything_else_is_words(typed: str) -> None:
    found = read_search(typed, SECRET)
    assert found is not None and found.looking is Looking.words
    assert found.value == " ".join(typed.split())


def test_blank_is_no_search() -> None:
    assert read_search("   ", SECRET) is None
