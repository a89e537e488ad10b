"""An opinion given on a consultation (public page or JSON API), and staff's themes.

One transaction holds the opinion, its counts on the consultation, the person's contact
details (only with their consent, only in the personal-data store: the opinion keeps the
reference) and the `opinion_received` event, which carries no personal data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from services.participation.adapters.consultation_store import consultation_of, new_opinion
from services.participation.context import ParticipationContext
from services.participation.domain.errors import DomainError, Forbidden
from services.participation.domain.lifecycle import MANAGERS, Actor
from services.participation.domain.opinions import (
    UNSPECIFIED_GROUP,
    OpinionBody,
    SubmittedOpinion,
    check_opinion,
    check_submitted,
    check_themes,
)
from services.participation.domain.tally import CountedOpinion, increments
from shared.contract.events import Channel, CloudEvent, OpinionReceived, SubmissionReceived
from shared.infra.kafka import Rejected
from shared.infra.mongo import Document, in_transaction
from shared.infra.personal_data import PersonalData, person_id_for

_KEYS = uuid.UUID("4d1c7a52-8e0b-4c3e-9f61-2b7d5e8a9c10")
SOURCE = "participation"


@dataclass(frozen=True, slots=True)
class Receipt:
    opinion_id: str
    consultation_id: str
    received_at: datetime
    # The same opinion sent again (same submission key): received once, answered again.
    replayed: bool = False


def opinion_id_for(consultation_id: str, submission_key: str | None) -> str:
    """A fresh id, or one derived from the sender's key, so a resend is the same opinion;
    the consultation is part of it, so a key reused elsewhere cannot collide."""
    if submission_key is None:
        return f"op-{uuid.uuid4().hex[:20]}"
    return f"op-{uuid.uuid5(_KEYS, f'{consultation_id}:{submission_key}').hex[:20]}"


async def give(
    ctx: ParticipationContext, consultation_id: str, body: OpinionBody, channel: Channel
) -> Receipt:
    """Receive an opinion, or refuse it (`NotFound`, `Refused`, `InvalidField`, `MissingField`)."""
    opinion_id = opinion_id_for(consultation_id, body.submission_key)
    known = body.group if body.group in ctx.groups.codes() else "unknown"

    async def work(session: AsyncClientSession) -> Receipt:
        doc = await ctx.consultations.get(consultation_id, session)
        if body.submission_key is not None:
            earlier = await ctx.consultations.opinion(opinion_id, session)
            if earlier is not None:
                return Receipt(opinion_id, consultation_id, earlier["received_at"], replayed=True)
        consultation = consultation_of(doc)
        checked = check_opinion(consultation, body, ctx.today())
        now = ctx.now()
        person_id = person_id_for(opinion_id) if checked.contact is not None else None
        opinion = new_opinion(
            opinion_id,
            consultation,
            checked,
            person_id=person_id,
            channel=channel.value,
            language=body.language.value,
            at=now,
            # The page takes contact details only with consent (`check_opinion`).
            contact_me=person_id is not None,
        )
        person = (
            PersonalData.document(person_id, checked.contact, source=SOURCE, at=now)
            if person_id is not None and checked.contact is not None
            else None
        )
        counters = increments(consultation, CountedOpinion(checked.group, checked.answers))
        event = OpinionReceived(
            opinion_id=opinion_id,
            consultation_id=consultation_id,
            fiscal_year=consultation.fiscal_year,
            mission_item=consultation.mission_item,
            group=checked.group,
            channel=channel,
            answered=len(checked.answers),
            with_contact=person_id is not None,
            received_at=now,
        )
        await ctx.consultations.add_opinion(
            opinion, person, counters, [ctx.envelope(consultation_id, event)], session
        )
        return Receipt(opinion_id, consultation_id, now)

    try:
        receipt = await in_transaction(ctx.client, work)
    except DomainError as exc:
        ctx.metrics.opinions.labels(known, channel.value, exc.code).inc()
        raise
    ctx.relay.wake()
    outcome = "replayed" if receipt.replayed else "accepted"
    ctx.metrics.opinions.labels(known, channel.value, outcome).inc()
    return receipt


async def count_submitted(ctx: ParticipationContext, event: CloudEvent[Any]) -> bool:
    """Count a submission that carries `consultation_id` (any channel, through intake) as
    an opinion of that consultation; False when it is not one, or was counted already
    (the opinion's id derives from the submission's, so a redelivery counts nothing).
    Contact details were written by intake to the personal-data store; the opinion keeps
    the submission's `person_id`. A consultation that cannot take it raises `Rejected`
    (a dead letter with the reason, never a silent drop)."""
    data = event.data
    if not isinstance(data, SubmissionReceived) or data.consultation_id is None:
        return False
    consultation_id = data.consultation_id
    opinion_id = opinion_id_for(consultation_id, f"submission-{data.submission_id}")
    group = data.stakeholder_group or UNSPECIFIED_GROUP

    async def work(session: AsyncClientSession) -> bool:
        if await ctx.consultations.opinion(opinion_id, session) is not None:
            return False
        doc = await ctx.consultations.get(consultation_id, session)
        consultation = consultation_of(doc)
        checked = check_submitted(
            consultation,
            SubmittedOpinion(
                submission_id=data.submission_id,
                group=data.stakeholder_group,
                answers=dict(data.answers),
                subject=data.subject,
                description=data.description,
                received_at=data.received_at,
            ),
            doc.get("closed_at"),
        )
        opinion = new_opinion(
            opinion_id,
            consultation,
            checked,
            person_id=data.person_id,
            channel=data.channel.value,
            language=data.language.value,
            at=data.received_at,
            contact_me=data.consent.contact_me,
        )
        counters = increments(consultation, CountedOpinion(checked.group, checked.answers))
        received = OpinionReceived(
            opinion_id=opinion_id,
            consultation_id=consultation_id,
            fiscal_year=consultation.fiscal_year,
            mission_item=consultation.mission_item,
            group=checked.group,
            channel=data.channel,
            answered=len(checked.answers),
            with_contact=data.person_id is not None,
            received_at=data.received_at,
        )
        await ctx.consultations.add_opinion(
            opinion, None, counters, [ctx.envelope(consultation_id, received)], session
        )
        return True

    try:
        counted = await in_transaction(ctx.client, work)
    except DomainError as exc:
        ctx.metrics.opinions.labels(group, data.channel.value, exc.code).inc()
        raise Rejected(f"opinion on {consultation_id} not counted: {exc.message}") from exc
    if counted:
        ctx.relay.wake()
    ctx.metrics.opinions.labels(
        group, data.channel.value, "accepted" if counted else "replayed"
    ).inc()
    return counted


async def tag(
    ctx: ParticipationContext,
    consultation_id: str,
    opinion_id: str,
    themes: list[str],
    actor: Actor,
) -> Document:
    """Set the themes of an opinion (what staff read in it, for the results summary)."""
    if actor.role not in MANAGERS:
        raise Forbidden(actor.role, "tag opinions")
    kept = check_themes(themes)
    return await ctx.consultations.tag(consultation_id, opinion_id, kept, actor.id, ctx.now())
