"""The per-address limit of the public doors: the window rule on a fake clock, and the
handler that makes the count every replica shares the one that decides."""

from __future__ import annotations

import pytest

from services.intake.domain.rate_limit import LocalWindows, RateLimited, Window, WindowLimit
from services.intake.handlers.rate_limit import RateLimit

from .fakes import FakeRateCounts


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000.0  # a multiple of every window below: a window starts here

    def __call__(self) -> float:
        return self.now


def test_settings_become_burst_per_the_time_the_rate_takes_to_allow_it() -> None:
    assert WindowLimit.of(rate_per_minute=10, burst=5) == WindowLimit(5, 30)
    assert WindowLimit.of(rate_per_minute=30, burst=10) == WindowLimit(10, 20)
    # Never under a second, however generous the rate.
    assert WindowLimit.of(rate_per_minute=1_800_000, burst=1000) == WindowLimit(1000, 1)


def test_windows_are_aligned_on_the_epoch_so_every_replica_counts_the_same_one() -> None:
    rule = WindowLimit(5, 30)
    assert rule.window(1_800_000.0) == rule.window(1_800_029.9) == Window(1_800_000, 1_800_030)
    assert rule.window(1_800_030.0) == Window(1_800_030, 1_800_060)


def test_over_the_limit_is_refused_until_the_window_ends() -> None:
    rule = WindowLimit(3, 30)
    window = rule.window(1_800_000.0)
    rule.check(3, window, 1_800_000.0)
    with pytest.raises(RateLimited) as info:
        rule.check(4, window, 1_800_010.2)
    assert info.value.retry_after == 20  # 19.8 s left, rounded up


def test_retry_after_is_at_least_one_second() -> None:
    rule = WindowLimit(1, 1)
    with pytest.raises(RateLimited) as info:
        rule.check(2, rule.window(1_800_000.99), 1_800_000.99)
    assert info.value.retry_after == 1


def test_nonsense_configuration_is_refused() -> None:
    with pytest.raises(ValueError):
        WindowLimit.of(rate_per_minute=0, burst=1)
    with pytest.raises(ValueError):
        WindowLimit.of(rate_per_minute=10, burst=0)


def test_local_counts_start_afresh_in_each_window_and_stay_bounded() -> None:
    local = LocalWindows(max_addresses=100)
    first, second = Window(0, 30), Window(30, 60)
    assert [local.add("a", first) for _ in range(3)] == [1, 2, 3]
    assert local.add("a", second) == 1
    for i in range(1000):
        local.add(f"10.0.{i // 256}.{i % 256}", second)
    assert len(local) <= 100


async def test_the_shared_count_decides_so_two_replicas_share_one_limit() -> None:
    clock, shared = Clock(), FakeRateCounts()
    rule = WindowLimit(4, 30)
    a = RateLimit("web", rule, shared, clock=clock)
    b = RateLimit("web", rule, shared, clock=clock)
    for replica in (a, b, a, b):
        await replica.take("10.0.0.1")
    with pytest.raises(RateLimited) as info:
        await a.take("10.0.0.1")  # this replica has seen only two: the shared count says 5
    assert info.value.retry_after == 30
    await b.take("10.0.0.2")  # another address has its own count
    clock.now += 30
    await a.take("10.0.0.1")  # a new window


async def test_scopes_are_counted_apart() -> None:
    clock, shared = Clock(), FakeRateCounts()
    web = RateLimit("web", WindowLimit(1, 30), shared, clock=clock)
    track = RateLimit("track", WindowLimit(1, 30), shared, clock=clock)
    await web.take("10.0.0.1")
    await track.take("10.0.0.1")


async def test_a_process_over_the_limit_alone_refuses_without_asking() -> None:
    clock, shared = Clock(), FakeRateCounts()
    limit = RateLimit("web", WindowLimit(2, 30), shared, clock=clock)
    await limit.take("a")
    await limit.take("a")
    for _ in range(5):
        with pytest.raises(RateLimited):
            await limit.take("a")
    assert shared.asked == 2  # the refused ones never asked


async def test_without_the_shared_counts_the_local_count_limits_for_a_while() -> None:
    clock, shared = Clock(), FakeRateCounts()
    limit = RateLimit("web", WindowLimit(2, 30), shared, pause_seconds=5, clock=clock)
    shared.down = True
    await limit.take("a")  # MongoDB does not answer: let through on the local count
    await limit.take("a")  # and it is not asked again meanwhile
    assert shared.asked == 1
    with pytest.raises(RateLimited):
        await limit.take("a")
    shared.down = False
    clock.now += 5
    await limit.take("b")
    assert shared.asked == 2  # asked again after the pause
