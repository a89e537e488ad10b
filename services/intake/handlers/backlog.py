"""Tracking records of submissions that went straight to Kafka while MongoDB was away.

The submission itself is safe (Kafka acknowledged it with acks=all); only intake's own
record — what answers tracking lookups and idempotent retries — waits here, in memory,
until MongoDB is back. A crash of this process in that window loses those records (not
the submissions): the person's tracking code then works once the workflow publishes the
case, but the PIN check cannot. Bounded, so an outage cannot grow memory without end.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict

from services.intake.domain.idempotency import StoredAnswer
from services.intake.domain.tracking import TrackingRecord
from services.intake.handlers.ports import AlreadyStored, StoreUnavailable, SubmissionStore

log = logging.getLogger(__name__)


class BacklogFull(Exception):
    pass


class Backlog:
    def __init__(self, store: SubmissionStore, *, limit: int, interval: float = 1.0) -> None:
        self._store = store
        self._limit = limit
        self._interval = interval
        self._records: OrderedDict[str, tuple[TrackingRecord, StoredAnswer | None]] = OrderedDict()
        self._answers: dict[str, StoredAnswer] = {}
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def __len__(self) -> int:
        return len(self._records)

    def reserve(self) -> None:
        """Refuse before publishing, so nothing is accepted that could not be recorded."""
        if len(self._records) >= self._limit:
            raise BacklogFull()

    def add(self, record: TrackingRecord, answer: StoredAnswer | None) -> None:
        self._records[record.submission_id] = (record, answer)
        if answer is not None:
            self._answers[answer.record_id] = answer

    def answer(self, record_id: str) -> StoredAnswer | None:
        return self._answers.get(record_id)

    async def flush(self) -> int:
        """Write what waits, oldest first; stop at the first outage. Returns how many."""
        written = 0
        while self._records:
            submission_id, (record, answer) = next(iter(self._records.items()))
            try:
                await self._store.save_after_publish(record, answer)
            except AlreadyStored:
                pass  # written before a timeout we could not see through: done
            except StoreUnavailable:
                break
            del self._records[submission_id]
            if answer is not None:
                self._answers.pop(answer.record_id, None)
            written += 1
        if written:
            log.info("wrote %d tracking records kept while MongoDB was away", written)
        return written

    async def _run(self) -> None:
        while not self._stopping:
            await asyncio.sleep(self._interval)
            if self._records:
                try:
                    await self.flush()
                except Exception as exc:  # noqa: BLE001 - keep trying after any failure
                    log.warning("backlog flush failed: %r", exc)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="intake-backlog")

    async def stop(self) -> None:
        self._stopping = True
        task, self._task = self._task, None
        if task is not None:
            # A cancellation that lands inside a write to an unreachable MongoDB can be
            # swallowed by the driver's timeout (asyncio.wait_for on 3.11), and the app
            # would never finish stopping: the flag ends the loop at its next turn, and
            # each second without an end the cancellation is asked for again.
            while not task.done():
                task.cancel()
                await asyncio.wait([task], timeout=1.0)
            with contextlib.suppress(asyncio.CancelledError, Exception):
                task.result()
        with contextlib.suppress(Exception):
            await self.flush()
