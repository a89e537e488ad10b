"""Idempotency rules: same key + same body replays; same key + other body is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.intake.domain.idempotency import (
    RETENTION,
    IdempotencyKeyReused,
    InvalidIdempotencyKey,
    StoredAnswer,
    Verdict,
    check_key,
    decide,
    fingerprint,
    mask_pin,
    record_id,
    replayed_body,
    unmask_pin,
)
from services.intake.domain.submission import parse_submission
from shared.contract.catalogue import load_catalogue
from shared.contract.events import Channel

CATALOGUE = load_catalogue()


def request(**changes):
    base = {
        "kind": "question",
        "category": "other",
        "subject": "s",
        "description": "d",
        "contact": {"phone": "081-234-5678"},
    }
    return parse_submission({**base, **changes}, CATALOGUE)


def stored(fp: str, pin: str = "004217", key: str = "k-1") -> StoredAnswer:
    return StoredAnswer(
        record_id=record_id(Channel.line, key),
        fingerprint=fp,
        status_code=202,
        body={"submission_id": "sub-1", "tracking_code": "SG-X"},
        masked_pin=mask_pin(pin, key=key, submission_id="sub-1"),
        created_at=datetime(2025, 6, 1, tzinfo=UTC),
    )


def test_fingerprint_is_canonical_after_validation() -> None:
    a = request(contact={"phone": "0812345678"})
    b = request(contact={"phone": "081 234 5678"})
    assert fingerprint(a, Channel.line) == fingerprint(b, Channel.line)


def test_fingerprint_ignores_key_order() -> None:
    a = parse_submission(
        b'{"kind":"question","category":"other","subject":"s","description":"d"}', CATALOGUE
    )
    b = parse_submission(
        b'{"description":"d","subject":"s","category":"other","kind":"question"}', CATALOGUE
    )
    assert fingerprint(a, Channel.api) == fingerprint(b, Channel.api)


def test_fingerprint_depends_on_body_channel_and_keyer() -> None:
    base = fingerprint(request(), Channel.phone, "staff-1")
    assert fingerprint(request(subject="other"), Channel.phone, "staff-1") != base
    assert fingerprint(request(), Channel.walk_in, "staff-1") != base
    assert fingerprint(request(), Channel.phone, "staff-2") != base


def test_unseen_key_is_new() -> None:
    assert decide(None, "fp") == Verdict.new


def test_same_body_replays() -> None:
    assert decide(stored("fp"), "fp") == Verdict.replay


def test_different_body_is_refused() -> None:
    with pytest.raises(IdempotencyKeyReused):
        decide(stored("fp"), "other-fp")


def test_key_is_scoped_to_the_channel_and_not_kept_in_clear() -> None:
    assert record_id(Channel.line, "k") != record_id(Channel.email, "k")
    assert "k-123" not in record_id(Channel.line, "k-123")


def test_replay_restores_the_pin_only_with_the_key() -> None:
    answer = stored("fp", pin="004217", key="k-1")
    assert replayed_body(answer, key="k-1")["tracking_pin"] == "004217"
    assert unmask_pin(answer.masked_pin, key="k-2", submission_id="sub-1") != "004217"


def test_mask_round_trips_for_every_leading_zero_case() -> None:
    for pin in ["000000", "000001", "999999", "123456"]:
        masked = mask_pin(pin, key="key", submission_id="s")
        assert len(masked) == 6
        assert unmask_pin(masked, key="key", submission_id="s") == pin


def test_kept_at_least_a_day() -> None:
    assert timedelta(hours=24) <= RETENTION
    answer = stored("fp")
    assert answer.expires_at - answer.created_at >= timedelta(hours=24)


@pytest.mark.parametrize("raw", ["", "x" * 256, "has space", "ключ"])
def test_bad_keys(raw: str) -> None:
    with pytest.raises(InvalidIdempotencyKey):
        check_key(raw)


def test_uuid_key_is_fine() -> None:
    assert check_key("7f1c4a4e-2b8e-4f43-9b7a-2f0d8c1e9a10")
