"""The daily digest: per unit, how many cases are open, overdue, due soon and new, e-mailed
to the unit's supervisors. Counted from the case facts this service keeps.

Planned at most once a day: the day's record is written in the same transaction as the
deliveries, and each digest's ledger key is its unit and day besides.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pymongo.asynchronous.client_session import AsyncClientSession

from services.notifications.context import NotificationsContext
from services.notifications.domain.digest import plan_digest
from services.notifications.domain.notice import Notice
from shared.infra.mongo import in_transaction
from shared.thai.dates import to_bangkok


def digest_run_id(day: date) -> str:
    return f"digest:{day.isoformat()}"


async def digest_planned(ctx: NotificationsContext, day: date) -> bool:
    return await ctx.digest_runs.seen(digest_run_id(day))


async def plan_daily_digest(ctx: NotificationsContext, day: date) -> list[Notice]:
    """Schedule `day`'s digests (nothing if already done); returns those scheduled."""
    now = ctx.clock()
    counts = await ctx.cases.unit_counts(now, timedelta(days=ctx.digest.due_soon_days))
    office = await ctx.units.office()  # each unit as an admin last named it
    notices: list[Notice] = []
    for unit in sorted(counts):
        supervisors = await ctx.directory.supervisors(unit)
        notices += plan_digest(unit, counts[unit], day, office, supervisors)

    async def work(session: AsyncClientSession) -> list[Notice]:
        if not await ctx.digest_runs.record(digest_run_id(day), session):
            return []
        return await ctx.ledger.schedule(notices, event_time=now, now=now, session=session)

    scheduled = await in_transaction(ctx.client, work)
    for notice in scheduled:
        ctx.metrics.planned.labels(notice.channel.value, notice.template.value).inc()
    if scheduled:
        ctx.wake_worker()
    return scheduled


def digest_day(now: datetime, hour: int) -> date | None:
    """The (Bangkok) day whose digest is due at `now`, or None before `hour` o'clock."""
    local = to_bangkok(now)
    return local.date() if local.hour >= hour else None
