"""The per-address limit of the public doors: the window rule on a fake clock, and the
handler that decides on this process's tally and adds its requests to the count every
replica shares in batches."""

from __future__ import annotations

import asyncio

import pytest

from services.intake.domain.rate_limit import RateLimited, Window, WindowLimit, WindowTally
from services.intake.handlers.ports import StoreUnavailable
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


def test_the_tally_starts_afresh_in_each_window_and_stays_bounded() -> None:
    tally = WindowTally(max_addresses=100)
    first, second = Window(0, 30), Window(30, 60)
    assert [tally.add("a", first) for _ in range(3)] == [1, 2, 3]
    assert tally.add("a", second) == 1
    for i in range(1000):
        tally.add(f"10.0.{i // 256}.{i % 256}", second)
    assert len(tally) <= 100


def test_requests_that_came_while_a_batch_was_sent_stay_to_send() -> None:
    tally, window = WindowTally(), Window(0, 30)
    tally.add("a", window)
    tally.add("a", window)
    [batch] = tally.unsent(window)
    assert batch.count == 2
    assert tally.add("a", window) == 3  # while the batch is on its way
    tally.sent(batch, shared=5)  # another replica had taken three
    assert [b.count for b in tally.unsent(window)] == [1]
    assert tally.add("a", window) == 7  # the shared five and this process's two since
    assert tally.unsent(Window(30, 60)) == []  # a window over is not sent


async def test_the_shared_count_decides_once_each_replica_has_sent_its_requests() -> None:
    clock, shared = Clock(), FakeRateCounts()
    rule = WindowLimit(4, 30)
    a = RateLimit("web", rule, shared, clock=clock)
    b = RateLimit("web", rule, shared, clock=clock)
    for replica in (a, b, a, b):
        await replica.take("10.0.0.1")
    assert shared.asked == 0  # no round trip per request
    await a.flush()
    await b.flush()  # b now knows the four
    with pytest.raises(RateLimited) as info:
        await b.take("10.0.0.1")  # this replica has taken only two
    assert info.value.retry_after == 30
    # a sent its two before b's arrived: it lets one more through (the documented
    # margin: what the other replica took since a's last batch), then knows.
    await a.take("10.0.0.1")
    await a.flush()
    with pytest.raises(RateLimited):
        await a.take("10.0.0.1")
    await b.take("10.0.0.2")  # another address has its own count
    clock.now += 30
    await a.take("10.0.0.1")  # a new window
    await a.close()
    await b.close()


async def test_requests_are_sent_in_batches_one_statement_per_address() -> None:
    clock, shared = Clock(), FakeRateCounts()
    limit = RateLimit("web", WindowLimit(1000, 30), shared, flush_seconds=0.01, clock=clock)
    for _ in range(50):
        await limit.take("a")
    await limit.take("b")
    for _ in range(100):  # the flusher runs on its own while requests wait
        if shared.counts:
            break
        await asyncio.sleep(0.01)
    assert shared.asked == 2
    assert shared.counts == {("web:a", 1_800_000): 50, ("web:b", 1_800_000): 1}
    await limit.close()


async def test_scopes_are_counted_apart() -> None:
    clock, shared = Clock(), FakeRateCounts()
    web = RateLimit("web", WindowLimit(1, 30), shared, clock=clock)
    track = RateLimit("track", WindowLimit(1, 30), shared, clock=clock)
    await web.take("10.0.0.1")
    await track.take("10.0.0.1")
    await web.flush()
    await track.flush()
    assert sorted(shared.counts) == [("track:10.0.0.1", 1_800_000), ("web:10.0.0.1", 1_800_000)]


async def test_a_process_over_the_limit_alone_refuses_without_asking() -> None:
    clock, shared = Clock(), FakeRateCounts()
    limit = RateLimit("web", WindowLimit(2, 30), shared, clock=clock)
    await limit.take("a")
    await limit.take("a")
    for _ in range(5):
        with pytest.raises(RateLimited):
            await limit.take("a")
    assert shared.asked == 0
    await limit.close()


async def test_without_the_shared_counts_the_local_count_limits_until_they_answer() -> None:
    clock, shared = Clock(), FakeRateCounts()
    limit = RateLimit("web", WindowLimit(2, 30), shared, clock=clock)
    shared.down = True
    await limit.take("a")  # MongoDB does not answer: let through on the local count
    with pytest.raises(StoreUnavailable):
        await limit.flush()
    await limit.take("a")
    with pytest.raises(RateLimited):
        await limit.take("a")
    shared.down = False
    assert await limit.flush() == 1  # the requests waited and are counted now
    assert shared.counts == {("web:a", 1_800_000): 3}
    await limit.close()
