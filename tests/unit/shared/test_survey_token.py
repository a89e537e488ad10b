"""Survey tokens: signed by notifications, verified by intake without a database."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta

import orjson
import pytest

from shared.contract.events import Language
from shared.contract.survey_token import (
    DEFAULT_TTL,
    MAX_TOKEN_CHARS,
    ExpiredToken,
    InvalidToken,
    SurveyClaims,
    SurveyTokenError,
    sign_survey_token,
    verify_survey_token,
)

SECRET = "survey-secret-for-tests-0123456789"
CASE = "0b9f4a52-7a51-4c35-9a7e-8d1f3c2b6e10"
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def _token(**kw) -> str:
    kw.setdefault("secret", SECRET)
    kw.setdefault("now", NOW)
    return sign_survey_token(CASE, **kw)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_round_trip():
    token = _token(language=Language.en)
    claims = verify_survey_token(token, secret=SECRET, now=NOW + timedelta(days=1))
    assert claims == SurveyClaims(case_id=CASE, language=Language.en, expires_at=NOW + DEFAULT_TTL)


def test_url_safe_and_short():
    token = _token()
    assert re.fullmatch(r"v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", token)
    assert len(token) < 140


def test_deterministic():
    assert _token() == _token()


def test_explicit_expiry_wins_over_ttl():
    expiry = NOW + timedelta(days=3)
    claims = verify_survey_token(
        _token(expires_at=expiry, ttl=timedelta(days=90)), secret=SECRET, now=NOW
    )
    assert claims.expires_at == expiry


def test_expired_token_says_which_case():
    token = _token(ttl=timedelta(days=1))
    with pytest.raises(ExpiredToken) as info:
        verify_survey_token(token, secret=SECRET, now=NOW + timedelta(days=2))
    assert info.value.claims.case_id == CASE
    assert isinstance(info.value, SurveyTokenError)


def test_expiry_instant_is_already_expired():
    token = _token(ttl=timedelta(hours=1))
    verify_survey_token(token, secret=SECRET, now=NOW + timedelta(minutes=59, seconds=59))
    with pytest.raises(ExpiredToken):
        verify_survey_token(token, secret=SECRET, now=NOW + timedelta(hours=1))


def test_wrong_secret_is_invalid():
    with pytest.raises(InvalidToken):
        verify_survey_token(_token(), secret="another-secret-0123456789", now=NOW)


def test_tampered_case_id_is_invalid():
    version, _, signature = _token().split(".")
    forged = _b64(orjson.dumps({"c": "someone-elses-case", "e": 4_000_000_000, "l": "th"}))
    with pytest.raises(InvalidToken):
        verify_survey_token(f"{version}.{forged}.{signature}", secret=SECRET, now=NOW)


def test_extending_the_expiry_is_invalid():
    version, payload, signature = _token(ttl=timedelta(days=1)).split(".")
    doc = orjson.loads(base64.urlsafe_b64decode(payload + "=="))
    doc["e"] += 365 * 86400
    forged = _b64(orjson.dumps(doc, option=orjson.OPT_SORT_KEYS))
    with pytest.raises(InvalidToken):
        verify_survey_token(f"{version}.{forged}.{signature}", secret=SECRET, now=NOW)


def test_a_forged_expired_token_is_invalid_not_expired():
    version, payload, _ = _token(ttl=timedelta(days=1)).split(".")
    with pytest.raises(InvalidToken):
        verify_survey_token(
            f"{version}.{payload}.{_b64(b'x' * 16)}", secret=SECRET, now=NOW + timedelta(days=9)
        )


def test_flipped_signature_bit_is_invalid():
    version, payload, signature = _token().split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=="))
    raw[0] ^= 1
    with pytest.raises(InvalidToken):
        verify_survey_token(f"{version}.{payload}.{_b64(bytes(raw))}", secret=SECRET, now=NOW)


def test_non_canonical_base64_is_invalid():
    version, payload, signature = _token().split(".")
    last = signature[-1]
    # 16 bytes → 22 characters, the last carrying 4 unused bits: flip one of those.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    twin = alphabet[alphabet.index(last) ^ 1]
    assert base64.urlsafe_b64decode(signature[:-1] + twin + "==") == base64.urlsafe_b64decode(
        signature + "=="
    )
    with pytest.raises(InvalidToken):
        verify_survey_token(f"{version}.{payload}.{signature[:-1]}{twin}", secret=SECRET, now=NOW)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "v1",
        "v1..",
        "v1.abc",
        "v2.abc.def",
        "v1.a.b.c",
        "v1.!!!.???",
        "v1.ทดสอบ.ข้อมูล",
        "x" * (MAX_TOKEN_CHARS + 1),
    ],
)
def test_garbage_is_invalid(token):
    with pytest.raises(InvalidToken):
        verify_survey_token(token, secret=SECRET, now=NOW)


def test_old_secrets_still_verify_during_rotation():
    old = "the-old-survey-secret-0000000000"
    token = sign_survey_token(CASE, secret=old, now=NOW)
    assert verify_survey_token(token, secret=SECRET, old_secrets=[old], now=NOW).case_id == CASE
    with pytest.raises(InvalidToken):
        verify_survey_token(token, secret=SECRET, now=NOW)


@pytest.mark.parametrize(
    "payload",
    [
        b"[]",
        b'{"e": 1, "l": "th"}',
        b'{"c": "x", "e": "1", "l": "th"}',
        b'{"c": "x", "e": 1, "l": "fr"}',
        b"not json",
    ],
)
def test_signed_but_malformed_payloads_are_invalid(payload):
    """Even a payload signed with our key is refused when it is not well formed."""
    encoded = _b64(payload)
    mac = hmac.new(SECRET.encode(), b"siang-survey.v1." + encoded.encode(), hashlib.sha256)
    token = f"v1.{encoded}.{_b64(mac.digest()[:16])}"
    with pytest.raises(InvalidToken):
        verify_survey_token(token, secret=SECRET, now=NOW)


def test_weak_or_missing_inputs_are_refused():
    with pytest.raises(ValueError, match="at least 16"):
        sign_survey_token(CASE, secret="short", now=NOW)
    with pytest.raises(ValueError):
        sign_survey_token("", secret=SECRET, now=NOW)
    with pytest.raises(ValueError, match="naive"):
        sign_survey_token(CASE, secret=SECRET, expires_at=datetime(2027, 1, 1))
    with pytest.raises(ValueError, match="naive"):
        verify_survey_token(_token(), secret=SECRET, now=datetime(2027, 1, 1))


def test_bytes_secret_equals_its_utf8_string():
    token = sign_survey_token(CASE, secret=SECRET.encode(), now=NOW)
    assert token == _token()
