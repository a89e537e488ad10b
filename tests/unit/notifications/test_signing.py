"""Webhook signatures: a receiver accepts what we sent and refuses forgeries and replays."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from services.notifications.domain.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    BadSignature,
    MissingSignature,
    StaleTimestamp,
    compute_signature,
    sign,
    verify,
)

SECRET = "whsec_partner_0123456789abcdef"
BODY = '{"case":{"tracking_code":"SG-7K2P-9QXM","status":"resolved","answer":"แก้ไขแล้ว"}}'.encode()
T = 1_795_672_800


def test_headers_have_the_documented_shape():
    headers = sign(BODY, SECRET, timestamp=T)
    expected = hmac.new(SECRET.encode(), f"{T}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert headers == {
        SIGNATURE_HEADER: f"t={T},v1={expected}",
        TIMESTAMP_HEADER: str(T),
    }
    assert len(expected) == 64


def test_round_trip():
    headers = sign(BODY, SECRET, timestamp=T)
    assert verify(BODY, headers, SECRET, now=T + 10) == T


def test_header_names_are_case_insensitive():
    headers = {k.lower(): v for k, v in sign(BODY, SECRET, timestamp=T).items()}
    assert verify(BODY, headers, SECRET, now=T) == T


def test_a_changed_body_is_refused():
    headers = sign(BODY, SECRET, timestamp=T)
    with pytest.raises(BadSignature):
        verify(BODY.replace(b"resolved", b"closed"), headers, SECRET, now=T)


def test_another_secret_is_refused():
    headers = sign(BODY, "someone-else-secret", timestamp=T)
    with pytest.raises(BadSignature):
        verify(BODY, headers, SECRET, now=T)


@pytest.mark.parametrize("offset", [301, 3600, -301])
def test_replays_and_future_stamps_are_refused(offset):
    headers = sign(BODY, SECRET, timestamp=T)
    with pytest.raises(StaleTimestamp):
        verify(BODY, headers, SECRET, now=T + offset)


def test_tolerance_is_inclusive_and_configurable():
    headers = sign(BODY, SECRET, timestamp=T)
    assert verify(BODY, headers, SECRET, now=T + 300) == T
    with pytest.raises(StaleTimestamp):
        verify(BODY, headers, SECRET, now=T + 31, tolerance=30)


def test_moving_the_timestamp_breaks_the_signature():
    headers = sign(BODY, SECRET, timestamp=T)
    forged_sig = headers[SIGNATURE_HEADER].replace(f"t={T}", f"t={T + 1000}")
    with pytest.raises(BadSignature):
        verify(BODY, {SIGNATURE_HEADER: forged_sig}, SECRET, now=T + 1000)


def test_timestamp_header_must_match_the_signed_one():
    headers = sign(BODY, SECRET, timestamp=T)
    headers[TIMESTAMP_HEADER] = str(T + 1)
    with pytest.raises(BadSignature):
        verify(BODY, headers, SECRET, now=T)


@pytest.mark.parametrize(
    "header",
    [None, "", "v1=abc", f"t={T}", "t=soon,v1=abc", "garbage"],
)
def test_missing_or_malformed_headers(header):
    headers = {} if header is None else {SIGNATURE_HEADER: header}
    with pytest.raises(MissingSignature):
        verify(BODY, headers, SECRET, now=T)


def test_secret_rotation_both_ways():
    old, new = "old-secret-aaaaaaaaaaaaaaaa", "new-secret-bbbbbbbbbbbbbbbb"
    headers = sign(BODY, [new, old], timestamp=T)
    assert headers[SIGNATURE_HEADER].count("v1=") == 2
    assert verify(BODY, headers, old, now=T) == T
    assert verify(BODY, headers, new, now=T) == T
    # A receiver that knows both accepts a sender that still signs with the old one only.
    assert verify(BODY, sign(BODY, old, timestamp=T), [new, old], now=T) == T


def test_empty_secret_is_refused():
    with pytest.raises(ValueError):
        compute_signature(b"", T, BODY)
    with pytest.raises(ValueError):
        sign(BODY, [], timestamp=T)


def test_default_timestamp_is_now():
    headers = sign(BODY, SECRET)
    assert verify(BODY, headers, SECRET) == int(headers[TIMESTAMP_HEADER])
