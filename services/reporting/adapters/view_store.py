"""The summary views in MongoDB: apply a batch of events in one transaction, read views.

One transaction per batch holds everything the batch changes: the view upserts
(`$inc`), the new case facts (with the ids of the events they hold), parked and adopted
surveys, the ledger of the other applied event ids, the journal of raw events, the
pointer document's batch count and newest event time, and the batch's delta (its view
updates, for readers). An event already held (`adapters/applied_events.py`) is skipped,
so a redelivered batch, or a batch retried after a write conflict, changes nothing twice.

Reads come from this process's copy of the cells (`read_cache.cells`), loaded once per view
version and brought up to date from the deltas: a report costs one read of the pointer
and of the deltas since the last report, not a read of every cell it adds up.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from pymongo import ASCENDING, AsyncMongoClient, ReplaceOne, ReturnDocument, UpdateOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

from services.reporting.adapters.applied_events import StoredFacts, fresh_events
from services.reporting.adapters.event_docs import event_doc, event_of, journal_pages
from services.reporting.adapters.view_set import (
    APPLIED,
    DELTAS,
    FACTS,
    JOURNAL,
    META,
    PARKED,
    POINTER_ID,
    REBUILD_ID,
    ViewSet,
)
from services.reporting.domain import views as v
from services.reporting.domain.batch import Applier, BatchOutcome
from services.reporting.domain.facts import facts_from_doc, facts_to_doc
from services.reporting.domain.reducers import case_id_of
from services.reporting.read_cache.cells import Cell, Cells, StaleCells
from services.reporting.read_cache.deltas import decode_updates, encode_updates
from shared.contract.events import CloudEvent
from shared.infra.by_ids import delete_in, find_in
from shared.infra.mongo import Document, in_transaction

_ATTEMPTS = 5
# Ledger rows per insert (a rebuild writes a year's at once).
_LEDGER_CHUNK = 2000
_CACHE_ENTRIES = 64
_OLD_JOURNAL_CASE_INDEX = "case_id_1_stored_at_1_n_1"
# A reader more than this many batches behind loads the cells afresh; pruned every
# `_PRUNE_EVERY` batches so the deltas stay a few MB.
_KEEP_DELTAS = 512
_PRUNE_EVERY = 64
T = TypeVar("T")


def _query_key(query: Mapping[str, Any] | None) -> str:
    return repr(sorted(dict(query or {}).items()))


class StaleViews(RuntimeError):
    """The pointer names another version than the batch was for (a rebuild swapped)."""


class _NothingNew(Exception):
    """Every event of the batch was held already: the transaction is abandoned."""


def _unique(events: Sequence[CloudEvent[Any]]) -> list[CloudEvent[Any]]:
    seen: set[str] = set()
    out = []
    for e in events:
        if e.id not in seen:
            seen.add(e.id)
            out.append(e)
    return out


class ViewStore:
    def __init__(self, client: AsyncMongoClient[Document], db: AsyncDatabase[Document]) -> None:
        self.client = client
        self.db = db
        self.meta = db[META]
        self.journal = db[JOURNAL]
        self.deltas = db[DELTAS]
        # Delivery order within one process: (stored_at, n) sorts the journal.
        self._sequence = itertools.count()
        self._cells: Cells | None = None
        self._refreshing = asyncio.Lock()
        self._cache: dict[tuple[str, str], list[Cell]] = {}
        self._answers: dict[tuple[str, str, str], Any] = {}
        self._cache_stamp: tuple[int, int] | None = None
        # The version the live consumer last wrote (None: read the pointer first).
        self._live: ViewSet | None = None

    # ------------------------------------------------------------------ setup

    async def ensure(self) -> ViewSet:
        """Create the pointer (version 1) if missing and the indexes of the current version."""
        await self.meta.update_one(
            {"_id": POINTER_ID}, {"$setOnInsert": {"version": 1}}, upsert=True
        )
        await self.journal.create_index([("stored_at", ASCENDING), ("n", ASCENDING)])
        # An unpaged journal was also searched by case; pages mix cases and carry no id.
        with contextlib.suppress(OperationFailure):
            await self.journal.drop_index(_OLD_JOURNAL_CASE_INDEX)
        views = await self.current()
        await self.ensure_indexes(views)
        return views

    async def ensure_indexes(self, views: ViewSet) -> None:
        """The unique dimension-tuple index of each view, and the parked events' case index."""
        for logical, key in v.VIEW_KEYS.items():
            await self.db[views.name(logical)].create_index(
                [(k, ASCENDING) for k in key], unique=True
            )
        await self.db[views.name(PARKED)].create_index(
            [("case_id", ASCENDING), ("stored_at", ASCENDING), ("n", ASCENDING)]
        )

    async def current(self, session: AsyncClientSession | None = None) -> ViewSet:
        doc = await self.meta.find_one({"_id": POINTER_ID}, session=session)
        return ViewSet(int(doc["version"]) if doc else 1)

    # ------------------------------------------------------------------ writes

    async def apply(self, events: Sequence[CloudEvent[Any]]) -> BatchOutcome:
        """Apply events (in delivery order) to the current views, once each."""
        batch = _unique(events)
        if not batch:
            return BatchOutcome()
        for attempt in range(1, _ATTEMPTS + 1):
            try:
                return await in_transaction(self.client, lambda s: self._apply_live(s, batch))
            except _NothingNew:
                return BatchOutcome()
            except StaleViews:
                self._live = None
                if attempt == _ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    async def _apply_live(
        self, session: AsyncClientSession, events: list[CloudEvent[Any]]
    ) -> BatchOutcome:
        # The version this process last wrote, not a read of the pointer per batch: the
        # pointer is written first, and only while it still names that version.
        views = self._live or await self.current(session)
        # Writing the pointer makes a concurrent swap and this batch conflict: one retries;
        # after a swap it matches nothing, before anything went to the old version. It
        # also numbers the batches, so concurrent writers' deltas never share a number.
        # The newest time of events the views held already is a time they counted.
        pointer = await self.meta.find_one_and_update(
            {"_id": POINTER_ID, "version": views.version},
            {"$max": {"newest_event_time": max(e.time for e in events)}, "$inc": {"batches": 1}},
            projection={"batches": 1},
            return_document=ReturnDocument.AFTER,
            session=session,
        )
        if pointer is None:
            raise StaleViews(views.version)
        self._live = views
        out = await self.apply_into(views, events, session)
        if not out.applied:
            raise _NothingNew  # a redelivery: undo the batch's number, write nothing
        stored_at = datetime.now(UTC)  # stamped inside the transaction: see rebuild catch-up
        # Events the views had not held: they are normally not journaled yet either, and a
        # rebuild takes an event journaled twice once.
        await self.journal.insert_many(
            journal_pages(out.applied, stored_at, self._sequence), session=session
        )
        batch = int(pointer["batches"])
        await self.deltas.replace_one(
            {"_id": batch},
            {"_id": batch, "version": views.version, "updates": encode_updates(out.updates)},
            upsert=True,
            session=session,
        )
        if batch % _PRUNE_EVERY == 0:
            await self.deltas.delete_many({"_id": {"$lte": batch - _KEEP_DELTAS}}, session=session)
        return out

    async def apply_into(
        self, views: ViewSet, events: Sequence[CloudEvent[Any]], session: AsyncClientSession
    ) -> BatchOutcome:
        """Apply the events `views` do not hold yet, inside the caller's transaction."""
        batch = _unique(events)
        case_ids = sorted({c for e in batch if (c := case_id_of(e))})
        stored = await self._load_facts(views, case_ids, session)
        parked = await self._load_parked(views, case_ids, session)
        ledger = self.db[views.name(APPLIED)]
        fresh = await fresh_events(ledger, batch, stored, parked, session)
        if not fresh:
            return BatchOutcome()
        out = Applier(stored.facts, parked).feed_all(fresh).outcome()
        await self.write(views, out, session, stored)
        return out

    async def write(
        self,
        views: ViewSet,
        out: BatchOutcome,
        session: AsyncClientSession | None,
        stored: StoredFacts | None = None,
    ) -> None:
        """Views, facts (with the events they hold, after those of `stored`), parked
        events and the ledger of an outcome."""
        stored = stored or StoredFacts()
        by_view: dict[str, list[UpdateOne]] = {}
        for u in out.updates:
            by_view.setdefault(u.collection, []).append(
                UpdateOne(u.filter(), u.to_mongo(), upsert=True)
            )
        for logical, ops in by_view.items():
            await self.db[views.name(logical)].bulk_write(ops, ordered=False, session=session)
        if out.facts:
            await self.db[views.name(FACTS)].bulk_write(
                [
                    ReplaceOne({"_id": cid}, self._facts_doc(cid, out, stored), upsert=True)
                    for cid in out.facts
                ],
                ordered=False,
                session=session,
            )
        parked = self.db[views.name(PARKED)]
        if out.adopted:
            await delete_in(parked, "_id", out.adopted, session=session)
        if out.parked:
            now = datetime.now(UTC)
            await parked.insert_many(
                [event_doc(e, now, n) for e, n in zip(out.parked, self._sequence, strict=False)],
                session=session,
            )
        ledgered = [{"_id": event_id} for event_id in out.ledgered()]
        for start in range(0, len(ledgered), _LEDGER_CHUNK):
            await self.db[views.name(APPLIED)].insert_many(
                ledgered[start : start + _LEDGER_CHUNK], session=session
            )

    @staticmethod
    def _facts_doc(case_id: str, out: BatchOutcome, stored: StoredFacts) -> Document:
        doc: Document = {"_id": case_id, **facts_to_doc(out.facts[case_id])}
        doc["applied"] = stored.applied_after(case_id, out.recorded.get(case_id, ()))
        if case_id in stored.legacy:
            doc["legacy"] = True
        return doc

    async def _load_facts(
        self, views: ViewSet, case_ids: list[str], session: AsyncClientSession
    ) -> StoredFacts:
        stored = StoredFacts()
        if case_ids:
            found = await find_in(self.db[views.name(FACTS)], "_id", case_ids, session=session)
            for d in found:
                stored.note(str(d["_id"]), d, facts_from_doc(d))
        return stored

    async def _load_parked(
        self, views: ViewSet, case_ids: list[str], session: AsyncClientSession
    ) -> dict[str, list[CloudEvent[Any]]]:
        if not case_ids:
            return {}
        found = await find_in(self.db[views.name(PARKED)], "case_id", case_ids, session=session)
        out: dict[str, list[CloudEvent[Any]]] = {}
        for d in sorted(found, key=lambda d: (d["stored_at"], d["n"])):
            out.setdefault(str(d["case_id"]), []).append(event_of(d))
        return out

    # ------------------------------------------------------------------- reads

    async def cells(self) -> Cells:
        """This process's copy of the current views' cells, brought up to date."""
        pointer = await self.meta.find_one({"_id": POINTER_ID}) or {}
        version, batches = int(pointer.get("version", 1)), int(pointer.get("batches", 0))
        async with self._refreshing:
            cells = self._cells
            if cells is not None and cells.version == version:
                if cells.batches >= batches:
                    return cells
                try:
                    await self._advance(cells, batches)
                    return cells
                except StaleCells:
                    pass  # deltas pruned, or a writer of another version: load afresh
            self._cells = await in_transaction(self.client, self._load)
            return self._cells

    async def _advance(self, cells: Cells, batches: int) -> None:
        found = self.deltas.find({"_id": {"$gt": cells.batches, "$lte": batches}}).sort("_id")
        async for delta in found:
            cells.advance(
                int(delta["_id"]), int(delta["version"]), decode_updates(delta["updates"])
            )
        if cells.batches != batches:
            raise StaleCells(f"deltas up to {batches} wanted, found up to {cells.batches}")

    async def _load(self, session: AsyncClientSession) -> Cells:
        # One snapshot: the pointer's count says exactly which batches the cells hold.
        pointer = await self.meta.find_one({"_id": POINTER_ID}, session=session) or {}
        views = ViewSet(int(pointer.get("version", 1)))
        docs = {
            logical: [d async for d in self.db[views.name(logical)].find({}, session=session)]
            for logical in v.VIEW_KEYS
        }
        return Cells(views.version, int(pointer.get("batches", 0)), docs)

    async def documents(self, logical: str, query: Mapping[str, Any] | None = None) -> list[Cell]:
        """The cells of a view of the current version that match `query` (equality on key
        fields), measures flat under dotted paths (see `read_cache.cells`); do not mutate.

        Selections are remembered until the views change (a batch commits or a rebuild
        swaps the version): a dashboard read again between two batches costs one small
        read of the pointer.
        """
        cells = await self.cells()
        if cells.stamp != self._cache_stamp:
            self._cache.clear()
            self._answers.clear()
            self._cache_stamp = cells.stamp
        key = (logical, _query_key(query))
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        selected = cells.select(logical, query)
        if len(self._cache) >= _CACHE_ENTRIES:
            self._cache.clear()
        self._cache[key] = selected
        return selected

    async def answer(
        self,
        logical: str,
        query: Mapping[str, Any] | None,
        name: str,
        compute: Callable[[list[Cell]], T],
    ) -> T:
        """`compute(cells)`, remembered like the cells until the views change.
        `name` must say everything besides the query that `compute` depends on."""
        docs = await self.documents(logical, query)
        key = (logical, _query_key(query), name)
        if key in self._answers:
            return cast(T, self._answers[key])
        value = compute(docs)
        if len(self._answers) >= _CACHE_ENTRIES:
            self._answers.clear()
        self._answers[key] = value
        return value

    async def applied_count(self) -> int:
        """How many events the current views hold (applied, or parked for later). Reads
        every case's facts: for tests and people, not for the hot path."""
        views = await self.current()
        held = await self.db[views.name(APPLIED)].count_documents({})
        held += await self.db[views.name(PARKED)].count_documents({})
        async for doc in self.db[views.name(FACTS)].find({}, {"applied": 1}):
            held += len(doc.get("applied") or ())
        return held

    async def parked_count(self) -> int:
        views = await self.current()
        return await self.db[views.name(PARKED)].count_documents({})

    async def newest_event_time(self) -> datetime | None:
        doc = await self.meta.find_one({"_id": POINTER_ID})
        value = (doc or {}).get("newest_event_time")
        return value if isinstance(value, datetime) else None

    async def rebuild_info(self) -> Document | None:
        return await self.meta.find_one({"_id": REBUILD_ID}, {"_id": 0})
