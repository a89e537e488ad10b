"""The service's periodic work: the daily digest, and housekeeping (metric gauges, dead
letters whose Kafka copy is still unpublished)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from services.notifications.context import NotificationsContext
from services.notifications.domain.notice import Notice
from services.notifications.handlers.deliveries import publish_dead_letter
from services.notifications.handlers.digest import digest_day, digest_planned, plan_daily_digest

log = logging.getLogger(__name__)

# A dead letter this old and still unpublished was not caught by its own publish.
REPUBLISH_AFTER = timedelta(seconds=30)


async def digest_once(ctx: NotificationsContext) -> int:
    day = digest_day(ctx.clock(), ctx.digest.hour)
    if day is None or await digest_planned(ctx, day):
        return 0
    return len(await plan_daily_digest(ctx, day))


async def housekeeping_once(ctx: NotificationsContext) -> None:
    waiting, retries = await ctx.ledger.backlog()
    ctx.metrics.backlog.set(waiting)
    ctx.metrics.retry_backlog.set(retries)
    ctx.metrics.dead_letters.set(await ctx.dead_letters.open_count())
    for doc in await ctx.dead_letters.unpublished(ctx.clock() - REPUBLISH_AFTER):
        notice = Notice.model_validate(doc["notice"])
        await publish_dead_letter(ctx, notice, doc["reason"], int(doc["attempts"]))


async def run_digest(ctx: NotificationsContext) -> None:
    while True:
        try:
            if ctx.digest.enabled:
                await digest_once(ctx)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - try again at the next check
            log.warning("daily digest failed, will retry: %r", exc)
        await asyncio.sleep(ctx.digest.check_seconds)


async def run_housekeeping(ctx: NotificationsContext, interval: float) -> None:
    while True:
        try:
            await housekeeping_once(ctx)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - try again at the next round
            log.warning("housekeeping failed, will retry: %r", exc)
        await asyncio.sleep(interval)


async def stop_task(task: asyncio.Task[None] | None) -> None:
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
