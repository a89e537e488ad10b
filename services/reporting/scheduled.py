"""Periodic work: re-read what other processes changed into this process's gauges (the
newest event any instance applied, the parked surveys, the last rebuild's duration), and
keep this process's copy of the cells current, so that no report waits for the first
load of every cell, nor for many batches of deltas after a quiet spell."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from pymongo.errors import PyMongoError

from services.reporting.adapters.view_store import ViewStore
from services.reporting.metrics import ReportingMetrics

log = logging.getLogger(__name__)


async def refresh_metrics(store: ViewStore, metrics: ReportingMetrics) -> None:
    metrics.saw(await store.newest_event_time())
    metrics.parked.set(await store.parked_count())
    info = await store.rebuild_info()
    if info and isinstance(info.get("seconds"), int | float):
        metrics.rebuild_seconds.set(float(info["seconds"]))


async def _loop(store: ViewStore, metrics: ReportingMetrics, interval: float) -> None:
    while True:
        try:
            await store.cells()
            await refresh_metrics(store, metrics)
        except PyMongoError as exc:  # the database may be away for a while: try later
            log.warning("cannot refresh reporting metrics: %r", exc)
        await asyncio.sleep(interval)


def start_refresh(
    store: ViewStore, metrics: ReportingMetrics, interval: float
) -> asyncio.Task[None]:
    return asyncio.create_task(_loop(store, metrics, interval), name="reporting-metrics")


async def stop_task(task: asyncio.Task[None] | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
