"""Tracking codes: readable alphabet, enough entropy, typos caught, collisions negligible."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.intake.domain import tracking
from services.intake.domain.tracking import (
    ALPHABET,
    InvalidTrackingCode,
    new_pin,
    new_tracking_code,
    normalise_tracking_code,
)
from shared.contract.tracking_pin import hash_pin, pin_matches

SHAPE = re.compile(r"^SG-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")


def test_alphabet_has_no_ambiguous_characters() -> None:
    assert not set("0O1IL") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 31


def test_codes_are_grouped_for_reading_aloud() -> None:
    for _ in range(1000):
        assert SHAPE.match(new_tracking_code())


def test_at_least_50_bits_from_secrets() -> None:
    assert tracking.ENTROPY_BITS >= 50


def test_collision_rate_for_100_000_codes() -> None:
    n = 100_000
    codes = {new_tracking_code() for _ in range(n)}
    observed_rate = (n - len(codes)) / n
    # Birthday bound: the chance of even one collision among 1e5 codes is about 2e-7.
    assert tracking.collision_probability(n) < 1e-6
    assert observed_rate == 0.0


def test_issued_codes_pass_their_own_check() -> None:
    for _ in range(1000):
        code = new_tracking_code()
        assert normalise_tracking_code(code) == code


def test_people_may_type_it_loosely() -> None:
    code = new_tracking_code()
    assert normalise_tracking_code(code.lower().replace("-", " ")) == code
    assert normalise_tracking_code(code[3:].replace("-", "")) == code


@given(st.data())
def test_every_single_substitution_is_caught(data: st.DataObject) -> None:
    code = new_tracking_code()
    body = code.replace("-", "")[2:]
    i = data.draw(st.integers(0, len(body) - 1))
    other = data.draw(st.sampled_from([s for s in ALPHABET if s != body[i]]))
    typo = body[:i] + other + body[i + 1 :]
    with pytest.raises(InvalidTrackingCode):
        normalise_tracking_code(typo)


@given(st.data())
def test_every_swap_of_two_different_symbols_is_caught(data: st.DataObject) -> None:
    body = new_tracking_code().replace("-", "")[2:]
    i = data.draw(st.integers(0, len(body) - 2))
    j = data.draw(st.integers(i + 1, len(body) - 1))
    if body[i] == body[j]:
        return
    swapped = list(body)
    swapped[i], swapped[j] = swapped[j], swapped[i]
    with pytest.raises(InvalidTrackingCode):
        normalise_tracking_code("".join(swapped))


@pytest.mark.parametrize("raw", ["", "SG-1234", "SG-0OIL-AAAA-AAAA", "SG-AAAA-AAAA-AAAAA"])
def test_malformed_codes(raw: str) -> None:
    with pytest.raises(InvalidTrackingCode):
        normalise_tracking_code(raw)


def test_pin_is_six_digits_and_stored_only_hashed() -> None:
    pins = {new_pin() for _ in range(200)}
    assert all(re.fullmatch(r"\d{6}", p) for p in pins)
    assert len(pins) > 150
    pin, code, pepper = "012345", new_tracking_code(), b"pepper"
    stored = hash_pin(pin, tracking_code=code, pepper=pepper)
    assert pin not in stored
    assert pin_matches(pin, tracking_code=code, pepper=pepper, stored_hash=stored)
    assert not pin_matches("012346", tracking_code=code, pepper=pepper, stored_hash=stored)
    assert not pin_matches(pin, tracking_code=code, pepper=b"other", stored_hash=stored)
