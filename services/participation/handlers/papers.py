"""A committee's appointment orders as documents: the signed order uploaded (its type
told by its content, its size limited), kept in GridFS, listed on the committee with
`participation.appointment_order_attached`; read back by staff and the committee's own
members."""

from __future__ import annotations

import uuid

from pymongo.asynchronous.client_session import AsyncClientSession

from services.participation.adapters.committee_store import committee_of, order_entry
from services.participation.adapters.consultation_store import StaleVersion
from services.participation.context import ParticipationContext
from services.participation.domain.committees import AppointmentOrder, check_order_upload
from services.participation.domain.errors import DomainError, Forbidden, NotFound, TooLarge
from services.participation.domain.lifecycle import MANAGERS, Actor
from services.participation.handlers.committees import readable
from shared.contract.events import AppointmentOrderAttached
from shared.infra.attachments import DOCUMENTS, media_type
from shared.infra.auth import Principal
from shared.infra.mongo import Document, in_transaction
from shared.thai.fiscal import fiscal_year

ATTACH = "attach an appointment order"


async def attach_order(
    ctx: ParticipationContext,
    committee_id: str,
    order: AppointmentOrder,
    data: bytes,
    actor: Actor,
) -> tuple[Document, Document]:
    """Keep the order's document and list it on the committee; the committee after, and
    the order's line. Refuses (in this order) a role that may not (403), an unknown
    committee (404), a file past the limit (413), a date to come (422), a file that is
    not a PDF, JPEG or PNG by its content (415)."""
    if actor.role not in MANAGERS:
        raise Forbidden(actor.role, ATTACH)
    await ctx.committees.get(committee_id)
    limit = ctx.settings.max_document_bytes
    if len(data) > limit:
        raise TooLarge("file", limit)
    media = check_order_upload(order, media_type(data), DOCUMENTS, ctx.today())
    order_id = f"or-{uuid.uuid4().hex[:12]}"
    file_id = await ctx.papers.keep(data, committee_id=committee_id, order_id=order_id, media=media)

    async def work(session: AsyncClientSession) -> tuple[Document, Document]:
        doc = await ctx.committees.get(committee_id, session)
        committee = committee_of(doc)
        now = ctx.now()
        entry = order_entry(order_id, order, file_id, media, len(data), actor.id, now)
        history = {"at": now, "actor": actor.id, "action": "order_attached", "order": order.number}
        event = AppointmentOrderAttached(
            committee_id=committee_id,
            order_id=order_id,
            number=order.number,
            signed_on=order.signed_on,
            fiscal_year=fiscal_year(order.signed_on),
            mission_items=list(committee.mission_items),
            content_type=media,
            size_bytes=len(data),
            actor=actor.id,
        )
        envelope = ctx.envelope(committee_id, event)
        after = await ctx.committees.add_order(doc, entry, history, [envelope], session)
        return after, entry

    try:
        result = await in_transaction(ctx.client, work)
    except (DomainError, StaleVersion):
        # Refused before anything was written: nothing refers to the file. (After a
        # database error the commit may have happened; an orphan file is the lesser harm.)
        await ctx.papers.drop(file_id)
        raise
    ctx.relay.wake()
    return result


async def order_document(
    ctx: ParticipationContext, committee_id: str, order_id: str, caller: Principal
) -> tuple[Document, bytes]:
    """An order's line and its file, for staff and the committee's own members."""
    doc = await readable(ctx, committee_id, caller)
    entry = next((o for o in doc.get("orders", []) if o["order_id"] == order_id), None)
    if entry is None:
        raise NotFound("order", order_id)
    return entry, await ctx.papers.read(entry["file_id"])
