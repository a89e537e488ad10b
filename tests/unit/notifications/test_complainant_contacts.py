"""How complainants' contacts are read for a batch of notices: one read for everyone not
remembered, each answer reused for `cache_seconds`, an erased person simply absent. The
personal-data store here is a counting stand-in; against the real server it is exercised
by every integration test that tells a complainant."""

from __future__ import annotations

from collections.abc import Iterable

from services.notifications.adapters.complainant_contacts import ComplainantContacts
from shared.contract.events import Contact

SOMSRI = Contact(name="สมศรี", email="somsri@example.org")
MALEE = Contact(phone="+66812345678")


class CountingStore:
    def __init__(self, people: dict[str, Contact]) -> None:
        self.people = people
        self.reads: list[list[str]] = []

    async def contacts(
        self, person_ids: Iterable[str], session: object = None
    ) -> dict[str, Contact]:
        wanted = sorted(person_ids)
        self.reads.append(wanted)
        return {p: self.people[p] for p in wanted if p in self.people}


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def contacts(store: CountingStore, clock: Clock, cache_seconds: float = 5.0) -> ComplainantContacts:
    reader = ComplainantContacts(
        {"personal_data": None, "personal_data_reads": None},
        cache_seconds=cache_seconds,
        clock=clock,
    )  # type: ignore[arg-type]
    reader.people = store  # type: ignore[assignment]
    return reader


async def test_a_batch_reads_everyone_it_needs_at_once_and_reuses_the_answers() -> None:
    store, clock = CountingStore({"p-1": SOMSRI, "p-2": MALEE}), Clock()
    reader = contacts(store, clock)
    assert await reader.contacts(["p-1", "p-2", "p-1"]) == {"p-1": SOMSRI, "p-2": MALEE}
    assert store.reads == [["p-1", "p-2"]]
    clock.now += 4.9
    assert await reader.contacts(["p-2"]) == {"p-2": MALEE}
    assert len(store.reads) == 1  # remembered
    clock.now += 0.2
    await reader.contacts(["p-1", "p-3"])
    assert store.reads[-1] == ["p-1", "p-3"]


async def test_an_erased_person_is_absent_and_that_is_remembered_too() -> None:
    store, clock = CountingStore({}), Clock()
    reader = contacts(store, clock)
    assert await reader.contacts(["p-gone"]) == {}
    assert await reader.contacts(["p-gone"]) == {}
    assert len(store.reads) == 1


async def test_with_no_cache_every_batch_reads() -> None:
    store, clock = CountingStore({"p-1": SOMSRI}), Clock()
    reader = contacts(store, clock, cache_seconds=0)
    await reader.contacts(["p-1"])
    await reader.contacts(["p-1"])
    assert len(store.reads) == 2
