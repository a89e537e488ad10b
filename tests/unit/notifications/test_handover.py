"""The in-memory queue between the consumer and the worker of one process: how much it
takes, what it refuses to start, and when the consumer may go on."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from services.notifications.adapters.ledger import Claimed
from services.notifications.handlers.deliveries import handed_over_share
from services.notifications.handlers.handover import HandoverQueue

from .sample import partner_notice

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
LEASE = timedelta(seconds=120)


def claimed(n: int, lease_until: datetime = NOW + LEASE) -> Claimed:
    notice = partner_notice(n)
    return Claimed(
        key=notice.ledger_key,
        notice=notice,
        attempts=1,
        claim="token",
        event_time=NOW,
        in_doubt=False,
        seq=n,
        lease_until=lease_until,
        handed_over=True,
    )


def queue(capacity: int = 3) -> tuple[HandoverQueue, list[int]]:
    woken: list[int] = []
    return HandoverQueue(capacity, LEASE, lambda: woken.append(1)), woken


def test_a_handover_claims_only_as_many_rows_as_there_is_room_for() -> None:
    q, woken = queue(capacity=3)
    assert q.handover(NOW).limit == 3 and q.handover(NOW).lease_until == NOW + LEASE
    q.put([claimed(1), claimed(2)])
    assert woken and q.handover(NOW).limit == 1
    [first], _ = q.take(1, NOW)
    # Taken is not finished: its room comes back only when it is done.
    assert q.room == 1
    q.finished()
    assert q.room == 2 and first.seq == 1


def test_a_delivery_whose_lease_is_nearly_over_is_not_started() -> None:
    q, _ = queue()
    late = claimed(1, lease_until=NOW + timedelta(seconds=10))
    q.put([late, claimed(2)])
    ready, stale = q.take(5, NOW)
    assert [c.seq for c in ready] == [2] and stale == [late]
    assert q.room == 2  # the stale one no longer counts


def test_draining_returns_what_was_not_taken_and_stops_handovers() -> None:
    q, _ = queue()
    q.put([claimed(1), claimed(2), claimed(3)])
    q.take(1, NOW)
    assert [c.seq for c in q.drain()] == [2, 3]
    assert q.handover(NOW).limit == 0


async def test_the_consumer_waits_for_room_until_a_delivery_finishes() -> None:
    q, _ = queue(capacity=2)
    q.put([claimed(1), claimed(2)])
    q.take(2, NOW)
    waiting = asyncio.create_task(q.wait_for_room(1, timeout=5))
    await asyncio.sleep(0.01)
    assert not waiting.done()
    q.finished()
    await asyncio.wait_for(waiting, 1)


async def test_the_consumer_goes_on_after_the_timeout_with_no_room() -> None:
    q, _ = queue(capacity=2)
    q.put([claimed(1), claimed(2)])
    loop = asyncio.get_running_loop()
    started = loop.time()
    await q.wait_for_room(1, timeout=0.05)
    assert 0.05 <= loop.time() - started < 1
    assert q.room == 0


async def test_an_empty_queue_never_makes_the_consumer_wait() -> None:
    q, _ = queue(capacity=2)
    # More than could ever fit: an idle worker takes what there is room for.
    await asyncio.wait_for(q.wait_for_room(10, timeout=5), 0.5)


def test_a_quarter_of_the_free_slots_wait_for_the_ledger_when_it_is_due_a_look() -> None:
    assert handed_over_share(128, search_due=True) == 96
    assert handed_over_share(1, search_due=True) == 0
    assert handed_over_share(128, search_due=False) == 128
