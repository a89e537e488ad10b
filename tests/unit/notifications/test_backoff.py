"""Retry schedule and failure classification."""

from __future__ import annotations

import random
import smtplib
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from services.notifications.domain.backoff import (
    PermanentFailure,
    RetryPolicy,
    TemporaryFailure,
    classify_exception,
    classify_http,
    classify_smtp,
)

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (200, None),
        (202, None),
        (204, None),
        (400, PermanentFailure),
        (401, PermanentFailure),
        (403, PermanentFailure),
        (404, PermanentFailure),
        (408, TemporaryFailure),
        (410, PermanentFailure),
        (422, PermanentFailure),
        (429, TemporaryFailure),
        (500, TemporaryFailure),
        (502, TemporaryFailure),
        (503, TemporaryFailure),
        (504, TemporaryFailure),
    ],
)
def test_classify_http(status, kind):
    failure = classify_http(status, "gateway said no")
    if kind is None:
        assert failure is None
    else:
        assert type(failure) is kind
        assert failure.reason == f"HTTP {status}: gateway said no"


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (250, None),
        (354, None),
        (421, TemporaryFailure),
        (450, TemporaryFailure),
        (451, TemporaryFailure),
        (452, TemporaryFailure),
        (550, PermanentFailure),
        (551, PermanentFailure),
        (553, PermanentFailure),
        (554, PermanentFailure),
    ],
)
def test_classify_smtp(code, kind):
    failure = classify_smtp(code)
    assert (failure is None) if kind is None else (type(failure) is kind)


def test_classify_exceptions():
    assert isinstance(classify_exception(ConnectionRefusedError(111, "refused")), TemporaryFailure)
    assert isinstance(classify_exception(TimeoutError()), TemporaryFailure)
    assert classify_exception(TimeoutError()).reason == "TimeoutError"
    mailbox = smtplib.SMTPResponseException(550, b"5.1.1 mailbox unavailable")
    assert isinstance(classify_exception(mailbox), PermanentFailure)
    greylisted = smtplib.SMTPResponseException(451, b"4.7.1 try again later")
    assert isinstance(classify_exception(greylisted), TemporaryFailure)
    refused = smtplib.SMTPRecipientsRefused({"x@example.com": (550, b"no such user")})
    assert isinstance(classify_exception(refused), PermanentFailure)
    http_error = RuntimeError("bad request")
    http_error.response = SimpleNamespace(status_code=400)  # type: ignore[attr-defined]
    assert isinstance(classify_exception(http_error), PermanentFailure)
    already = PermanentFailure("invalid address")
    assert classify_exception(already) is already


def test_failures_carry_reason_and_kind():
    assert PermanentFailure("invalid address").permanent is True
    assert TemporaryFailure("timeout").permanent is False
    assert str(PermanentFailure("invalid address")) == "invalid address"


def test_ceiling_grows_exponentially_then_caps():
    policy = RetryPolicy(max_attempts=10, base=timedelta(seconds=5), cap=timedelta(minutes=5))
    ceilings = [policy.ceiling(n).total_seconds() for n in range(1, 10)]
    assert ceilings[:6] == [5, 10, 20, 40, 80, 160]
    assert ceilings[6:] == [300, 300, 300]
    assert policy.ceiling(10_000) == timedelta(minutes=5)  # no overflow


def test_full_jitter_stays_within_bounds_and_varies():
    policy = RetryPolicy()
    rng = random.Random(7)
    for attempt in range(1, 30):
        for _ in range(50):
            delay = policy.delay(attempt, rng)
            assert timedelta(0) <= delay <= policy.ceiling(attempt)
    draws = {policy.delay(4, rng) for _ in range(20)}
    assert len(draws) > 15


def test_seeded_rng_is_reproducible():
    policy = RetryPolicy()
    assert policy.delay(3, random.Random(1)) == policy.delay(3, random.Random(1))


def test_next_attempt_schedules_temporary_failures():
    policy = RetryPolicy(max_attempts=3)
    when = policy.next_attempt(TemporaryFailure("503"), 1, NOW, random.Random(3))
    assert when is not None and NOW <= when <= NOW + policy.ceiling(1)


def test_gives_up_after_max_attempts():
    policy = RetryPolicy(max_attempts=3)
    assert policy.next_attempt(TemporaryFailure("503"), 2, NOW) is not None
    assert policy.next_attempt(TemporaryFailure("503"), 3, NOW) is None


def test_permanent_failures_are_never_retried():
    assert RetryPolicy().next_attempt(PermanentFailure("550"), 1, NOW) is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_attempts": 0},
        {"base": timedelta(0)},
        {"base": timedelta(seconds=10), "cap": timedelta(seconds=5)},
    ],
)
def test_invalid_policies(kwargs):
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)


def test_attempts_start_at_one():
    with pytest.raises(ValueError):
        RetryPolicy().ceiling(0)
