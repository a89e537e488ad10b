"""Recompute every view from the events into a new version, then swap it in atomically.

Sources, merged per case:
- the workflow's event store `case_events` (each case's events in `seq` order): the
  truth about cases, including events the reporting consumer never received;
- the reporting's own journal `report_journal` (every event the consumer applied, as it
  came): the surveys and notifications, which no other store keeps, and any case event
  missing from `case_events`. A journal event already in `case_events` is taken once.
  Journal-only events of a case are merged into its `case_events` by event time, each
  source keeping its own order (a survey lands after the resolution it answers).

Replaying the topics from the beginning was the other choice; topic retention would make
old years unrebuildable, while both collections keep everything.

Steps: fill version N+1 on the side (nobody reads or writes it yet); catch up with what
the live consumer applied to version N meanwhile (the journal since the start, less a
margin, minus what N+1 holds); then, in one transaction, a last catch-up and the
flip of the pointer. The live consumer writes the pointer in each of its transactions,
so a batch that overlaps the flip conflicts and is retried against N+1. Events the
workflow stored that the consumer has not received yet are in N+1 (its case facts list
them), so they are skipped when they come. Version N is kept until the next rebuild, for comparison.
"""

from __future__ import annotations

import heapq
import logging
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from services.reporting.adapters.event_docs import event_of, journal_entries
from services.reporting.adapters.view_set import (
    META,
    POINTER_ID,
    REBUILD_ID,
    ViewSet,
    version_of,
)
from services.reporting.adapters.view_store import ViewStore
from services.reporting.domain.batch import Applier
from services.reporting.read_cache.memory_views import MemoryViews
from shared.contract.events import CloudEvent, parse_event
from shared.infra.event_store import stored_events
from shared.infra.mongo import Document, in_transaction

log = logging.getLogger(__name__)

LOCK_ID = "rebuild_lock"
# Longer than MongoDB's transaction lifetime (60 s): a journal entry stamped inside a
# transaction that committed after time t carries a stamp later than t − 60 s.
MARGIN = timedelta(seconds=120)
STALE_LOCK = timedelta(hours=6)
_CASES_PER_CHUNK = 1000
_WRITE_CHUNK = 2000
_CATCH_UP_ROUNDS = 3


class RebuildInProgress(RuntimeError):
    """Another rebuild holds the lock."""


class RebuildConflict(RuntimeError):
    """The pointer moved during the rebuild (another rebuild swapped first)."""


@dataclass(frozen=True, slots=True)
class RebuildReport:
    version: int
    previous: int
    events: int
    cases: int
    caught_up: int
    seconds: float


async def _grouped(cursor: Any) -> AsyncIterator[tuple[str, list[Document]]]:
    """Consecutive documents of a cursor sorted by case id, one list per case."""
    current: str | None = None
    docs: list[Document] = []
    async for doc in cursor:
        cid = str(doc["case_id"])
        if cid != current and docs:
            yield current or "", docs
            docs = []
        current = cid
        docs.append(doc)
    if docs:
        yield current or "", docs


async def journal_by_case(
    journal: AsyncCollection[Document],
) -> tuple[dict[str, list[Mapping[str, Any]]], list[Mapping[str, Any]]]:
    """Every journaled event once, in journal order: per case, and those of no case.

    Held in memory for the rebuild (pages mix cases; about 1 KB per event)."""
    per_case: dict[str, list[Mapping[str, Any]]] = {}
    no_case: list[Mapping[str, Any]] = []
    seen: set[str] = set()
    async for page in journal.find({}).sort([("stored_at", ASCENDING), ("n", ASCENDING)]):
        for entry in journal_entries(page):
            if entry["_id"] in seen:
                continue
            seen.add(entry["_id"])
            cid = entry.get("case_id")
            if cid is None:
                no_case.append(entry)
            else:
                per_case.setdefault(str(cid), []).append(entry)
    return per_case, no_case


async def _per_case(
    store_cursor: Any, journal: dict[str, list[Mapping[str, Any]]]
) -> AsyncIterator[tuple[list[Document], list[Mapping[str, Any]]]]:
    """(store docs, journal docs) per case: the event store's cases in its order, then
    the cases only the journal knows. Takes the cases out of `journal`."""
    async for cid, docs in _grouped(store_cursor):
        yield docs, journal.pop(cid, [])
    for cid in sorted(journal):
        yield [], journal.pop(cid)


def case_order(
    store_docs: list[Document], journal_docs: list[Mapping[str, Any]]
) -> list[CloudEvent[Any]]:
    """One case's events: the event store's in `seq` order, journal-only ones merged by time."""
    backbone = [parse_event(e) for d in store_docs for e in stored_events(d)]
    known = {e.id for e in backbone}
    extras = [event_of(d) for d in journal_docs if d["_id"] not in known]
    return list(heapq.merge(backbone, extras, key=lambda e: e.time))


class Rebuilder:
    def __init__(self, store: ViewStore, event_store: AsyncCollection[Document]) -> None:
        self.store = store
        self.event_store = event_store
        self.db = store.db

    async def run(self) -> RebuildReport:
        started = time.perf_counter()
        await self._lock()
        try:
            report = await self._rebuild(started)
        finally:
            await self.db[META].delete_one({"_id": LOCK_ID})
        await self.db[META].replace_one(
            {"_id": REBUILD_ID},
            {
                "_id": REBUILD_ID,
                "version": report.version,
                "previous": report.previous,
                "events": report.events,
                "cases": report.cases,
                "caught_up": report.caught_up,
                "seconds": report.seconds,
                "finished_at": datetime.now(UTC),
            },
            upsert=True,
        )
        return report

    async def _lock(self) -> None:
        meta = self.db[META]
        now = datetime.now(UTC)
        await meta.delete_one({"_id": LOCK_ID, "started_at": {"$lt": now - STALE_LOCK}})
        try:
            await meta.insert_one({"_id": LOCK_ID, "started_at": now})
        except DuplicateKeyError:
            raise RebuildInProgress("a rebuild is already running") from None

    async def _rebuild(self, started: float) -> RebuildReport:
        await self.store.ensure()
        old = await self.store.current()
        new = ViewSet(old.version + 1)
        for name in new.names():  # left over by a rebuild that died half-way
            await self.db.drop_collection(name)
        await self.store.ensure_indexes(new)
        since = datetime.now(UTC)
        events, cases = await self._full_pass(new)
        log.info("rebuild: %d events of %d cases into version %d", events, cases, new.version)
        caught = 0
        for _ in range(_CATCH_UP_ROUNDS):
            asked = datetime.now(UTC)
            n = await self._catch_up(new, since - MARGIN)
            caught, since = caught + n, asked
            if n == 0:
                break

        async def flip(session: AsyncClientSession) -> int:
            n = await self._catch_up(new, since - MARGIN, session)
            swapped = await self.db[META].update_one(
                {"_id": POINTER_ID, "version": old.version},
                {"$set": {"version": new.version, "previous": old.version}},
                session=session,
            )
            if swapped.matched_count == 0:
                raise RebuildConflict(f"views are no longer at version {old.version}")
            return n

        caught += await in_transaction(self.store.client, flip)
        await self._drop_older_than(old.version)
        seconds = time.perf_counter() - started
        return RebuildReport(new.version, old.version, events + caught, cases, caught, seconds)

    async def _full_pass(self, new: ViewSet) -> tuple[int, int]:
        views = MemoryViews()
        store_cursor = self.event_store.find({}).sort([("case_id", ASCENDING), ("seq", ASCENDING)])
        journal, no_case = await journal_by_case(self.store.journal)
        chunk: list[CloudEvent[Any]] = []
        events = cases = 0
        async for store_docs, journal_docs in _per_case(store_cursor, journal):
            chunk.extend(case_order(store_docs, journal_docs))
            cases += 1
            if cases % _CASES_PER_CHUNK == 0:
                events += await self._write_chunk(new, chunk, views)
                chunk = []
        chunk.extend(event_of(doc) for doc in no_case)
        events += await self._write_chunk(new, chunk, views)
        for logical, docs in views.snapshot().items():
            for i in range(0, len(docs), _WRITE_CHUNK):
                await self.db[new.name(logical)].insert_many(docs[i : i + _WRITE_CHUNK])
        return events, cases

    async def _write_chunk(
        self, new: ViewSet, chunk: list[CloudEvent[Any]], views: MemoryViews
    ) -> int:
        """Reduce whole cases (facts never span chunks) and write all but the views: the
        facts with the events they hold, the parked surveys and the ledger of the rest."""
        if not chunk:
            return 0
        out = Applier().feed_all(chunk).outcome()
        views.apply(out.updates)
        out.updates = []
        await self.store.write(new, out, None)
        return len(out.applied)

    async def _catch_up(
        self, new: ViewSet, since: datetime, session: AsyncClientSession | None = None
    ) -> int:
        """Apply to `new` what the journal holds since `since` and `new` does not."""
        cursor = self.store.journal.find({"stored_at": {"$gte": since}}, session=session).sort(
            [("stored_at", ASCENDING), ("n", ASCENDING)]
        )
        events = [event_of(d) async for page in cursor for d in journal_entries(page)]
        if not events:
            return 0
        if session is not None:
            return len((await self.store.apply_into(new, events, session)).applied)

        async def work(s: AsyncClientSession) -> int:
            return len((await self.store.apply_into(new, events, s)).applied)

        return await in_transaction(self.store.client, work)

    async def _drop_older_than(self, version: int) -> None:
        for name in await self.db.list_collection_names():
            found = version_of(name)
            if found is not None and found < version:
                await self.db.drop_collection(name)


def summary_line(report: RebuildReport, extra: Mapping[str, Any] | None = None) -> str:
    fields = {
        "version": report.version,
        "previous": report.previous,
        "events": report.events,
        "cases": report.cases,
        "caught_up": report.caught_up,
        "seconds": round(report.seconds, 2),
        **(extra or {}),
    }
    return " ".join(f"{k}={v}" for k, v in fields.items())
