"""How long a staff contact read for sending is reused: the directory's answer is at most
`cache_seconds` old, and a transaction always reads afresh. The collection here is a
counting stand-in; the directory against the real server is exercised by every
integration test that notifies staff."""

from __future__ import annotations

import asyncio
from typing import Any

from services.notifications.adapters.staff_directory import StaffDirectory


class CountingStaff:
    def __init__(self, docs: dict[str, dict[str, Any]]) -> None:
        self.docs = docs
        self.reads = 0

    async def find_one(self, query: dict[str, Any], projection: Any, session: Any = None) -> Any:
        self.reads += 1
        return self.docs.get(query["_id"])


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def directory(staff: CountingStaff, clock: Clock, cache_seconds: float = 5.0) -> StaffDirectory:
    d = StaffDirectory({"staff": staff}, cache_seconds=cache_seconds, clock=clock)  # type: ignore[arg-type]
    return d


async def test_a_contact_is_reused_until_it_is_older_than_the_cache_time() -> None:
    staff = CountingStaff({"a": {"name": "ก", "email": "a@x.th", "active": True}})
    clock = Clock()
    d = directory(staff, clock)
    first = await d.contact("a")
    assert first is not None and first.email == "a@x.th"
    staff.docs["a"] = {"name": "ก", "email": "new@x.th", "active": False}
    clock.now += 4.9
    assert (await d.contact("a")) == first and staff.reads == 1
    clock.now += 0.2
    fresh = await d.contact("a")
    assert fresh is not None and (fresh.email, fresh.active) == ("new@x.th", False)
    assert staff.reads == 2


async def test_an_unknown_id_is_remembered_as_unknown_for_the_same_time() -> None:
    staff = CountingStaff({})
    clock = Clock()
    d = directory(staff, clock)
    assert await d.contact("ghost") is None
    staff.docs["ghost"] = {"name": "ผี", "email": "g@x.th"}
    assert await d.contact("ghost") is None
    clock.now += 5.0
    assert (await d.contact("ghost")) is not None


async def test_inside_a_transaction_or_with_no_cache_time_the_directory_is_read_each_time() -> None:
    staff = CountingStaff({"a": {"name": "ก", "email": "a@x.th"}})
    clock = Clock()
    cached = directory(staff, clock)
    await cached.contact("a", session=object())  # type: ignore[arg-type]
    await cached.contact("a", session=object())  # type: ignore[arg-type]
    assert staff.reads == 2
    uncached = directory(staff, clock, cache_seconds=0)
    await uncached.contact("a")
    await uncached.contact("a")
    assert staff.reads == 4


async def test_sends_wanting_the_same_person_at_once_share_one_read() -> None:
    staff = CountingStaff({"a": {"name": "ก", "email": "a@x.th", "active": True}})
    d = directory(staff, Clock())
    found = await asyncio.gather(*(d.contact("a") for _ in range(50)))
    assert {c.email for c in found if c is not None} == {"a@x.th"}
    assert staff.reads == 1
