"""Periodic work: close the consultations and mission surveys whose last day has passed
(their public pages already refuse opinions and answers after that day; closing
publishes the counts)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from pymongo.errors import PyMongoError

from services.participation.context import ParticipationContext
from services.participation.handlers import consultations, mission_surveys

log = logging.getLogger(__name__)


async def _loop(ctx: ParticipationContext, interval: float) -> None:
    while True:
        for closer in (consultations.close_past_last_day, mission_surveys.close_past_last_day):
            try:
                await closer(ctx)
            except PyMongoError as exc:  # the database may be away for a while: try later
                log.warning("cannot close what is past its last day: %r", exc)
        await asyncio.sleep(interval)


def start_closer(ctx: ParticipationContext, interval: float) -> asyncio.Task[None]:
    return asyncio.create_task(_loop(ctx, interval), name="participation-closer")


async def stop_task(task: asyncio.Task[None] | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
