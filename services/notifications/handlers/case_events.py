"""A case event in: who must hear about it, recorded in the delivery ledger in the same
transaction as the updated case facts, which also record the event as applied
(`adapters/applied_events.py`). Nothing is sent here; the delivery worker sends, so a
slow mail relay never holds up the consumer.

The facts name the complainant only by `person_id`; the contacts a batch's notices need
are read from the personal-data store in one go (`ComplainantContacts`, which remembers
them for a few seconds) and handed to the pure rules, never stored here.

`case.personal_data_erased` scrubs the complainant's pending notices and dead letters of
the case, then has the mail archive, if any, forget the e-mails they were sent."""

from __future__ import annotations

import logging
from collections import deque
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import PyMongoError

from services.notifications.adapters.case_facts_store import StoredCases
from services.notifications.adapters.ledger import Scheduled
from services.notifications.adapters.mail_archive import ArchiveUnavailable
from services.notifications.context import NotificationsContext
from services.notifications.domain.case_facts import CaseFacts, evolve
from services.notifications.domain.notice import Notice
from services.notifications.domain.rules import plan, wants_contact
from services.notifications.handlers.recipients import expand_units, with_supervisor
from shared.contract.events import (
    REGISTRY,
    CaseOpened,
    CasePersonalDataErased,
    CaseSlaBreached,
    CaseSlaWarning,
    CloudEvent,
    Contact,
)
from shared.contract.topics import CASES
from shared.infra.kafka import Rejected
from shared.infra.mongo import in_transaction, is_duplicate_key

log = logging.getLogger(__name__)

# The events whose notices may go to the case's supervisor: looked up then, from the
# directory as it is at that moment (units move, supervisors change).
_SUPERVISOR_EVENTS = (CaseSlaWarning, CaseSlaBreached)


async def handle_case_event(ctx: NotificationsContext, event: CloudEvent[Any]) -> list[Notice]:
    """Plan and record the deliveries `event` calls for; returns those newly scheduled.

    A redelivered event finds its id among those its case's facts hold (or parked) and
    changes nothing.
    """
    return await handle_case_events(ctx, [event])


async def handle_case_events(
    ctx: NotificationsContext, events: list[CloudEvent[Any]]
) -> list[Notice]:
    """`handle_case_event` for a batch, in one transaction: each case's facts are read
    once and written once, the ledger rows of all events go in together."""
    for event in events:
        known = REGISTRY.get(event.type)
        if known is None or known.topic != CASES:
            raise Rejected(f"{event.type} does not belong on {CASES}")
    handovers = ctx.handovers
    if handovers is not None:
        # About two deliveries per event: wait a moment for the worker to have room.
        await handovers.wait_for_room(2 * len(events), ctx.delivery.handover_wait_seconds)
    now = ctx.clock()
    # The cases whose complainant was erased: their pending notices and dead letters to
    # the complainant are scrubbed after this batch's own are recorded (PDPA).
    erasures = [e.data for e in events if isinstance(e.data, CasePersonalDataErased)]
    erased = {d.case_id for d in erasures}
    ctx.people.forget(d.person_id for d in erasures)

    async def work(session: AsyncClientSession, look_first: bool) -> Scheduled:
        # One read for the batch: the cases' facts and the events already folded into
        # them, which makes a redelivered event (or one published again) change nothing.
        # The first try takes a case opened in the batch for new, as it nearly always
        # is, and neither reads its facts nor looks for the ledger rows its notices would
        # have: its facts and rows are inserted, so if they were there after all, the
        # duplicate key aborts the transaction and the batch is done again looking first.
        wanted = {e.data.case_id for e in events}
        if not look_first:
            wanted -= {e.data.case_id for e in events if isinstance(e.data, CaseOpened)}
        stored = await ctx.cases.load(wanted, session) if wanted else StoredCases()
        fresh = await ctx.processed.fresh(events, stored, session)
        # Events that came before their case's opening wait for it (`ParkedEvents`).
        parked = await ctx.parked.take(
            {e.data.case_id for e in events if e.id in fresh and isinstance(e.data, CaseOpened)},
            session,
        )
        contacts = await _contacts_for(ctx, events, fresh, stored.facts, parked)
        waiting: dict[str, list[CloudEvent[Any]]] = {}
        facts: dict[str, CaseFacts] = {}
        applied: dict[str, set[str]] = {}  # per case changed, every event its facts hold
        changed: set[str] = set()
        planned: list[tuple[Notice, Any]] = []
        # The same event twice in one batch counts once.
        todo = deque({e.id: e for e in events if e.id in fresh}.values())
        while todo:
            event = todo.popleft()
            name = REGISTRY[event.type].name
            case_id = event.data.case_id
            if event.id in applied.get(case_id, ()):
                continue  # delivered again in the batch that adopts its parked copy
            if isinstance(event.data, CaseOpened):
                before: CaseFacts | None = CaseFacts.from_opened(event.data)
                # What arrived before it follows it now, in arrival order.
                todo.extendleft(reversed(parked.pop(case_id, []) + waiting.pop(case_id, [])))
            else:
                before = facts[case_id] if case_id in facts else stored.facts.get(case_id)
            if before is None:
                ctx.metrics.events_without_case.labels(name).inc()
                log.warning("no case facts for %s (%s) yet; parked", event.subject, name)
                waiting.setdefault(case_id, []).append(event)
                continue
            if isinstance(event.data, _SUPERVISOR_EVENTS):
                before = await with_supervisor(ctx.directory, before, session)
            person_id = wants_contact(event, before)
            notices = plan(
                event,
                before,
                ctx.office,
                ctx.survey_links,
                ctx.subscribers,
                contacts.get(person_id) if person_id else None,
            )
            notices = await expand_units(
                ctx.directory, notices, session, named_person=before.named_person
            )
            planned.extend((n, event.time) for n in notices)
            facts[case_id] = evolve(before, event)
            changed.add(case_id)
            applied.setdefault(case_id, set(stored.applied.get(case_id, ()))).add(event.id)
        await ctx.cases.save_many(
            [facts[case_id] for case_id in changed],
            now,
            session,
            stored=stored.facts.keys(),
            applied=applied,
            legacy=stored.legacy,
        )
        await ctx.parked.park([e for held in waiting.values() for e in held], now, session)
        # Nothing is handed to the worker in a batch that erases someone: what it would
        # hold in memory might be the very notice being scrubbed.
        handover = handovers.handover(now) if handovers is not None and not erased else None
        done = await ctx.ledger.schedule_many(
            planned, now=now, session=session, handover=handover, look_first=look_first
        )
        if erased:
            await ctx.ledger.erase_complainant(list(erased), now, session)
            await ctx.dead_letters.erase_complainant(list(erased), now, session)
        return done

    try:
        scheduled = await in_transaction(ctx.client, lambda s: work(s, look_first=False))
    except PyMongoError as exc:
        if not is_duplicate_key(exc):
            raise
        log.info("a case event of the batch was seen before; applying it again looking first")
        scheduled = await in_transaction(ctx.client, lambda s: work(s, look_first=True))
    if erasures:
        log.info("erased the complainant's pending notices of %d case(s)", len(erased))
    for notice in scheduled.notices:
        ctx.metrics.planned.labels(notice.channel.value, notice.template.value).inc()
    if handovers is not None:
        handovers.put(scheduled.claimed)
    if len(scheduled.notices) > len(scheduled.claimed):
        ctx.wake_worker()
    if erased and ctx.mail_archive is not None:
        await _purge_mail_archive(ctx, sorted(erased))
    return scheduled.notices


async def _purge_mail_archive(ctx: NotificationsContext, case_ids: list[str]) -> None:
    """Ask the mail archive to forget the e-mails these cases' complainants were sent.
    Last, after the scrub is committed: until the archive confirms, `ArchiveUnavailable`
    makes the consumer take the batch again (its events are already applied, so only
    the scrub and this run again), and the erasure is not acknowledged."""
    assert ctx.mail_archive is not None
    ids = await ctx.ledger.complainant_emails(case_ids)
    try:
        removed = await ctx.mail_archive.forget(ids)
    except ArchiveUnavailable as exc:
        log.warning(
            "the mail archive has not forgotten the e-mails of %d erased case(s); trying again: %s",
            len(case_ids),
            exc,
        )
        raise
    log.info(
        "the mail archive forgot %d message(s) of %d notice(s) to erased complainants",
        removed,
        len(ids),
    )


async def _contacts_for(
    ctx: NotificationsContext,
    events: list[CloudEvent[Any]],
    fresh: set[str],
    stored: dict[str, CaseFacts],
    parked: dict[str, list[CloudEvent[Any]]],
) -> dict[str, Contact]:
    """The contacts the batch's complainant notices may need, in one read: the people
    of the cases opened in it and of those already known, where one of the batch's
    events (or one parked until this opening) may tell them something."""
    opened = {
        e.data.case_id: CaseFacts.from_opened(e.data)
        for e in events
        if e.id in fresh and isinstance(e.data, CaseOpened)
    }
    wanted: set[str] = set()
    for event in [e for e in events if e.id in fresh] + [
        e for held in parked.values() for e in held
    ]:
        case = opened.get(event.data.case_id) or stored.get(event.data.case_id)
        person_id = wants_contact(event, case) if case is not None else None
        if person_id:
            wanted.add(person_id)
    return await ctx.people.contacts(wanted) if wanted else {}
