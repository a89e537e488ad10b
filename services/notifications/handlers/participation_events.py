"""A participation event in: when an outcome ("you said, we did") is first published, the
people who gave the opinions it answers and consented to be contacted are told, each once.
Every other event of `siang.participation.v1` is only recorded as processed.

One transaction writes the delivery-ledger rows; the worker sends. No processed-event
record is kept: the ledger's unique key (event, recipient, channel, template) is the
record, so a redelivered event finds its rows and schedules nothing new (and an event
that tells nobody costs no write at all). The event names people by reference only;
their contacts are read from the personal-data store in one read for the batch (someone
erased is not found there and hears nothing)."""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from services.notifications.adapters.ledger import Scheduled
from services.notifications.context import NotificationsContext
from services.notifications.domain.notice import Notice
from services.notifications.domain.outcome_notice import outcome_notices, people_of
from shared.contract.events import REGISTRY, CloudEvent
from shared.contract.topics import PARTICIPATION
from shared.infra.kafka import Rejected
from shared.infra.mongo import in_transaction


async def handle_participation_events(
    ctx: NotificationsContext, events: list[CloudEvent[Any]]
) -> list[Notice]:
    """Plan and record the notices `events` call for; returns those newly scheduled. A
    redelivered event finds its ledger rows and schedules nothing."""
    for event in events:
        known = REGISTRY.get(event.type)
        if known is None or known.topic != PARTICIPATION:
            raise Rejected(f"{event.type} does not belong on {PARTICIPATION}")
    wanted = people_of(events)
    if not wanted:
        return []
    # Read before the transaction, as for case events: the store is written before the
    # events naming its people exist, and the read then holds no transaction open.
    contacts = await ctx.people.contacts(wanted)
    now = ctx.clock()

    async def work(session: AsyncClientSession) -> Scheduled:
        planned = [
            (notice, event.time)
            for event in {e.id: e for e in events}.values()
            for notice in outcome_notices(event, contacts, ctx.office)
        ]
        return await ctx.ledger.schedule_many(planned, now=now, session=session)

    scheduled = await in_transaction(ctx.client, work)
    for notice in scheduled.notices:
        ctx.metrics.planned.labels(notice.channel.value, notice.template.value).inc()
    if scheduled.notices:
        ctx.wake_worker()
    return scheduled.notices
