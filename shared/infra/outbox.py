"""The transactional outbox: events are written to MongoDB in the same transaction as the
state change that caused them, and a relay publishes them to Kafka afterwards.

The relay publishes in write order (so each case's events stay in order), marks what the
broker acknowledged, and survives restarts: anything unmarked is published again, which
makes delivery at-least-once; consumers are idempotent by event id. A lease document
lets several replicas run a relay while only one publishes at a time.

A published row is deleted by the relay's next sweep, not at once: until then the relay
remembers its id and reads past it, and a sweep deletes every row published since the
last one in one statement (about once a second, or sooner once many are held). So a
round costs one statement (its read) instead of two; a relay that stops before its sweep
leaves rows that the next relay publishes again, which at-least-once delivery allows.

A relay holding published rows reads only rows numbered after the last of them
(`seq > after`), on the `seq` index, rather than every row but those (`_id $nin`): a
server walks rows in `seq` order and reads each whole before it can skip it, and a
held row may hold hundreds of events (reading past 32 held rows of 150 events cost
SecantusDB 13.9 ms per read, against 0.9 ms; `bench.stored_forms`). A row numbered
before the last published one but committed after it was read (a slower transaction of
another writer) is not lost: the read after the next sweep, holding nothing, reads every
row, so it goes out within about a sweep interval. A case's events keep their order: a
write of a case follows its previous write's commit, so it is numbered after it (across
replicas as far as their clocks agree, as the `seq` order always assumed).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pymongo
from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from shared.contract.events import CloudEvent, json_values
from shared.infra.by_ids import SLICE, delete_in
from shared.infra.kafka import EventPublisher
from shared.infra.mongo import Document
from shared.infra.sequence import next_seq
from shared.infra.waiting import woken

log = logging.getLogger(__name__)


# The most events one row holds, and about the most bytes of their values: a row is one
# document, which must stay well under the 16 MiB a server accepts.
ROW_EVENTS = 500
ROW_BYTES = 4 * 1024 * 1024
# How long a stopping relay tries to delete the rows it published.
_STOP_SWEEP_SECONDS = 2.0


def outbox_documents(
    events: Sequence[CloudEvent[Any]], values: Sequence[bytes] | None = None
) -> list[Document]:
    """The events of one write, in order, in as few rows as the limits allow; each event
    keeps its own key. A row is a document inserted now and deleted once published, and
    the server's cost is mostly per document, whatever it holds: a batch of 200 opened
    cases, or a group commit of 200 submissions, is one row, not 200. `values` are the
    events' `to_json()`, when the caller has them already (for its event store)."""
    values = json_values(events, values)
    now = datetime.now(UTC)
    rows: list[Document] = []
    size = 0
    for e, value in zip(events, values, strict=True):
        if not rows or len(rows[-1]["events"]) >= ROW_EVENTS or size + len(value) > ROW_BYTES:
            rows.append({"_id": e.id, "seq": next_seq(), "created_at": now, "events": []})
            size = 0
        rows[-1]["events"].append(
            {
                "key": e.subject,
                "topic": e.topic,
                "type": e.type,
                "value": value,
                "correlation_id": e.correlationid,
                "traceparent": e.traceparent,
            }
        )
        size += len(value)
    return rows


class Outbox:
    def __init__(self, db: AsyncDatabase[Document], collection: str = "outbox") -> None:
        self.collection = db[collection]
        self.locks = db["outbox_leases"]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("seq", ASCENDING)])

    async def add(
        self,
        events: Sequence[CloudEvent[Any]],
        session: AsyncClientSession | None = None,
        values: Sequence[bytes] | None = None,
    ) -> None:
        """Add events inside the caller's transaction (pass its session); `values` as in
        `outbox_documents`."""
        if events:
            await self.collection.insert_many(outbox_documents(events, values), session=session)

    async def pending(self, events: int, after: int | None = None) -> list[Document]:
        """The oldest rows numbered after `after` (the last row published and not yet
        deleted; None when none is held), in write order, until they hold at least
        `events` events (or there are no more); always at least one row when any is
        pending."""
        rows: list[Document] = []
        held = 0
        # Rows come a few at a time, so one big row is not fetched with many behind it.
        cursor = (
            self.collection.find(_after(after)).sort("seq", ASCENDING).limit(events).batch_size(8)
        )
        try:
            async for row in cursor:
                rows.append(row)
                held += len(row["events"])
                if held >= events:
                    break
        finally:
            await cursor.close()
        return rows

    async def mark_sent(self, ids: Sequence[str]) -> None:
        """Sent rows are deleted: the outbox holds only what is still to publish, so it
        stays small and keeps no personal data once Kafka has it."""
        if ids:
            await delete_in(self.collection, "_id", ids)

    async def pending_count(self, after: int | None = None) -> int:
        """Events (not rows) still to publish: in rows numbered after `after`, as `pending`
        reads them (a row committed late is counted once the relay's next sweep is done)."""
        return sum(
            [
                len(row["events"])
                async for row in self.collection.find(_after(after), {"events.type": 1})
            ]
        )

    async def oldest_created(self, after: int | None = None) -> datetime | None:
        """When the oldest row still to publish (numbered after `after`) was written; None
        when none is."""
        row = await self.collection.find_one(
            _after(after), {"created_at": 1}, sort=[("seq", ASCENDING)]
        )
        return None if row is None else row.get("created_at")

    async def take_lease(self, name: str, owner: str, ttl: timedelta) -> bool:
        """Hold (or renew) the lease `name` for `ttl`; False if another owner holds it."""
        now = datetime.now(UTC)
        try:
            doc = await self.locks.find_one_and_update(
                {"_id": name, "$or": [{"owner": owner}, {"until": {"$lt": now}}]},
                {"$set": {"owner": owner, "until": now + ttl}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        except DuplicateKeyError:
            return False  # the lease exists and is held by someone else
        return doc is not None and doc.get("owner") == owner


def _after(seq: int | None) -> Document:
    # The rows a relay holding published rows up to `seq` has still to publish.
    return {} if seq is None else {"seq": {"$gt": seq}}


class OutboxRelay:
    """Publishes pending outbox rows in order; `wake()` after a commit for low latency."""

    def __init__(
        self,
        outbox: Outbox,
        publisher: EventPublisher,
        *,
        name: str = "outbox",
        batch: int = 500,
        idle_interval: float = 0.5,
        lease_ttl: float = 10.0,
        sweep_interval: float = 1.0,
        sweep_rows: int = SLICE,
    ) -> None:
        self.outbox = outbox
        self.publisher = publisher
        self.name = name
        self.batch = batch
        self.idle_interval = idle_interval
        self.lease_ttl = timedelta(seconds=lease_ttl)
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._held_until: datetime | None = None
        # Rows published and not deleted yet, the last one's number, and when the last
        # sweep deleted such rows. A sweep comes at `sweep_rows` (one slice of a deletion
        # by ids) or after `sweep_interval`, which also bounds how long a row committed
        # late waits (see the module's docstring).
        self.sweep_interval = sweep_interval
        self.sweep_rows = sweep_rows
        self._sent: list[str] = []
        self._sent_seq: int | None = None
        self._swept_at = time.monotonic()
        self.published = 0

    def wake(self) -> None:
        self._wake.set()

    async def relay_once(self) -> int:
        """Publish the oldest rows, about `batch` events, and delete them; returns how
        many events were published."""
        try:
            return await self._publish()
        finally:
            await self.sweep()

    async def sweep(self, *, when_due: bool = False) -> None:
        """Delete the rows published so far (with `when_due`, only once `sweep_interval`
        has passed since the last sweep or `sweep_rows` are held)."""
        if not self._sent:
            self._swept_at = time.monotonic()
            return
        due = (
            len(self._sent) >= self.sweep_rows
            or time.monotonic() - self._swept_at >= self.sweep_interval
        )
        if when_due and not due:
            return
        ids = list(self._sent)
        await self.outbox.mark_sent(ids)
        del self._sent[: len(ids)]
        if not self._sent:
            self._sent_seq = None
        self._swept_at = time.monotonic()

    async def _publish(self) -> int:
        """Publish the oldest rows not yet published, about `batch` events; returns how
        many events were published (their rows wait for the sweep)."""
        rows = await self.outbox.pending(self.batch, self._sent_seq)
        futures: list[tuple[str, asyncio.Future[Any]]] = []
        queued: list[str] = []  # rows whose every event was handed to the producer
        failed: BaseException | None = None
        try:
            # Queued in order and awaited together: the idempotent producer keeps them in
            # order per partition, and one round trip serves the whole batch.
            for row in rows:
                for event in row["events"]:
                    value = event["value"]
                    future = await self.publisher.send_raw(
                        topic=event["topic"],
                        # Rows written before events carried their own key had one key.
                        key=event.get("key") or row["key"],
                        value=bytes(value) if not isinstance(value, bytes) else value,
                        correlation_id=event.get("correlation_id"),
                        traceparent=event.get("traceparent"),
                    )
                    futures.append((row["_id"], future))
                queued.append(row["_id"])
        except Exception as exc:  # noqa: BLE001 - settle what was queued, then re-raise
            failed = exc
        results = await asyncio.gather(*(f for _, f in futures), return_exceptions=True)
        broken = {
            row_id
            for (row_id, _), result in zip(futures, results, strict=True)
            if isinstance(result, BaseException)
        }
        # Only an unbroken prefix counts as sent; the rest goes again, in order
        # (at-least-once; consumers are idempotent).
        sent: list[str] = []
        for row_id in queued:
            if row_id in broken:
                break
            sent.append(row_id)
        self._sent.extend(sent)
        # `sent` is a prefix of `queued`, itself a prefix of `rows`, which are in `seq` order.
        if sent:
            self._sent_seq = int(rows[len(sent) - 1]["seq"])
        published = sum(len(row["events"]) for row in rows[: len(sent)])
        self.published += published
        error = failed or next((r for r in results if isinstance(r, BaseException)), None)
        if error is not None:
            raise error
        return published

    async def _hold_lease(self) -> bool:
        """Whether we hold the lease, renewing it only once half of it has run: one
        statement per lease period instead of one per batch."""
        now = datetime.now(UTC)
        if self._held_until is not None and now < self._held_until - self.lease_ttl / 2:
            return True
        if await self.outbox.take_lease(self.name, self.owner, self.lease_ttl):
            self._held_until = now + self.lease_ttl
            return True
        self._held_until = None
        return False

    async def run(self) -> None:
        while True:
            try:
                if await self._hold_lease():
                    while await self._publish() >= self.batch and await self._hold_lease():
                        await self.sweep(when_due=True)
                # Published rows are ours to delete, lease or not.
                await self.sweep(when_due=True)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - keep relaying after any outage
                log.warning("outbox relay paused: %r", exc)
                await asyncio.sleep(1.0)
            self._wake.clear()
            await woken(self._wake, self.idle_interval)

    async def sample(self) -> None:
        """The backlog and the age of its oldest row, for Prometheus: every replica's relay
        reports the one outbox they share (the alerts take the largest)."""
        metrics = self.publisher.metrics
        if metrics is None:
            return
        # Past the rows held for the sweep, as `_publish` reads: the gauges are read at
        # every scrape, and reading past big held rows cost milliseconds each time.
        backlog = await self.outbox.pending_count(self._sent_seq)
        oldest = await self.outbox.oldest_created(self._sent_seq)
        age = 0.0 if oldest is None else (datetime.now(UTC) - oldest).total_seconds()
        metrics.outbox_backlog.labels(self.name).set(backlog)
        metrics.outbox_oldest.labels(self.name).set(max(age, 0.0))

    def _samplers(self) -> list[Any] | None:
        metrics = getattr(self.publisher, "metrics", None)
        return None if metrics is None else metrics.samplers

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self.run(), name=f"outbox-relay-{self.name}")
            samplers = self._samplers()
            if samplers is not None:
                samplers.append(self.sample)

    async def stop(self) -> None:
        samplers = self._samplers()
        if samplers is not None and self.sample in samplers:
            samplers.remove(self.sample)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        # What was published goes now; if the database cannot be reached soon, the next
        # relay publishes those rows again (and shutting down does not wait for it).
        with contextlib.suppress(Exception), pymongo.timeout(_STOP_SWEEP_SECONDS):
            await self.sweep()
