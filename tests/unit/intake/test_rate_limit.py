"""The web channel's token bucket, on a fake clock."""

from __future__ import annotations

import pytest

from services.intake.domain.rate_limit import RateLimited, TokenBucketLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_refused_with_retry_after() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(rate_per_second=0.1, burst=3, clock=clock)
    for _ in range(3):
        limiter.take("10.0.0.1")
    with pytest.raises(RateLimited) as info:
        limiter.take("10.0.0.1")
    assert info.value.retry_after == 10


def test_tokens_come_back_with_time() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(rate_per_second=0.5, burst=1, clock=clock)
    limiter.take("a")
    with pytest.raises(RateLimited) as info:
        limiter.take("a")
    assert info.value.retry_after == 2
    clock.now += 2
    limiter.take("a")


def test_addresses_have_their_own_buckets() -> None:
    limiter = TokenBucketLimiter(rate_per_second=0.01, burst=1, clock=Clock())
    limiter.take("a")
    limiter.take("b")
    with pytest.raises(RateLimited):
        limiter.take("a")


def test_never_more_than_burst_after_a_long_idle() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(rate_per_second=1, burst=2, clock=clock)
    clock.now += 10_000
    limiter.take("a")
    limiter.take("a")
    with pytest.raises(RateLimited):
        limiter.take("a")


def test_retry_after_is_at_least_one_second() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(rate_per_second=100, burst=1, clock=clock)
    limiter.take("a")
    with pytest.raises(RateLimited) as info:
        limiter.take("a")
    assert info.value.retry_after == 1


def test_memory_is_bounded() -> None:
    limiter = TokenBucketLimiter(rate_per_second=1, burst=1, max_addresses=100, clock=Clock())
    for i in range(1000):
        limiter.take(f"10.0.{i // 256}.{i % 256}")
    assert len(limiter) == 100


def test_nonsense_configuration_is_refused() -> None:
    with pytest.raises(ValueError):
        TokenBucketLimiter(rate_per_second=0, burst=1)
