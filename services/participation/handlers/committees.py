"""Committees: appointed by an order, members added (their name and contact into the
personal-data store, in the same transaction) and retired, each change in the history."""

from __future__ import annotations

import uuid
from datetime import date

from pymongo.asynchronous.client_session import AsyncClientSession

from services.participation.adapters.committee_store import (
    committee_of,
    members_of,
    new_committee,
)
from services.participation.context import ParticipationContext
from services.participation.domain.committees import (
    CommitteeDraft,
    Member,
    NewMember,
    check_committee,
    check_new_member,
    retire,
    seats,
)
from services.participation.domain.errors import Forbidden, NotFound
from services.participation.domain.lifecycle import MANAGERS, Actor
from shared.contract.events import Contact
from shared.infra.auth import Principal, StaffRole
from shared.infra.mongo import Document, in_transaction
from shared.infra.personal_data import PersonalData, person_id_for

SOURCE = "participation-committee"


def _manager(actor: Actor, action: str) -> None:
    if actor.role not in MANAGERS:
        raise Forbidden(actor.role, action)


async def appoint(ctx: ParticipationContext, draft: CommitteeDraft, actor: Actor) -> Document:
    _manager(actor, "appoint a committee")
    check_committee(draft)
    doc = new_committee(f"cm-{uuid.uuid4().hex[:16]}", draft, actor.id, ctx.now())
    await ctx.committees.insert(doc)
    return doc


async def add_member(
    ctx: ParticipationContext, committee_id: str, new: NewMember, actor: Actor
) -> Document:
    _manager(actor, "add a committee member")

    async def work(session: AsyncClientSession) -> Document:
        doc = await ctx.committees.get(committee_id, session)
        committee, members = committee_of(doc), members_of(doc)
        check_new_member(committee, members, new, ctx.groups)
        member_id = f"mb-{uuid.uuid4().hex[:12]}"
        person_id = person_id_for(f"{committee_id}:{member_id}")
        contact = Contact(name=new.name.strip(), phone=new.phone, email=new.email)
        member = Member(
            member_id=member_id,
            person_id=person_id,
            group=new.group,
            organisation=new.organisation,
            role=new.role,
            starts_on=new.starts_on,
            ends_on=new.ends_on,
            order_number=(new.order or committee.order).number,
            staff_id=new.staff_id,
        )
        now = ctx.now()
        history = {
            "at": now,
            "actor": actor.id,
            "action": "member_added",
            "member_id": member_id,
            "role": new.role.value,
            "group": new.group,
            "order": member.order_number,
        }
        person = PersonalData.document(person_id, contact, source=SOURCE, at=now)
        return await ctx.committees.save_members(doc, [*members, member], history, person, session)

    return await in_transaction(ctx.client, work)


async def retire_member(
    ctx: ParticipationContext,
    committee_id: str,
    member_id: str,
    on: date,
    reason: str,
    actor: Actor,
) -> Document:
    _manager(actor, "retire a committee member")

    async def work(session: AsyncClientSession) -> Document:
        doc = await ctx.committees.get(committee_id, session)
        members = members_of(doc)
        found = next((m for m in members if m.member_id == member_id), None)
        if found is None:
            raise NotFound("member", member_id)
        retired = retire(found, on, reason)
        history = {
            "at": ctx.now(),
            "actor": actor.id,
            "action": "member_retired",
            "member_id": member_id,
            "role": found.role.value,
            "on": on.isoformat(),
            "reason": reason,
        }
        kept: list[Member] = [retired if m.member_id == member_id else m for m in members]
        return await ctx.committees.save_members(doc, kept, history, None, session)

    return await in_transaction(ctx.client, work)


async def readable(ctx: ParticipationContext, committee_id: str, caller: Principal) -> Document:
    """The committee, if the caller may read it: any member of staff, and a committee
    member only their own (another committee is "not found", so its roster stays
    unknown to them)."""
    doc = await ctx.committees.get(committee_id)
    if caller.role is StaffRole.committee and not seats(members_of(doc), caller.id):
        raise NotFound("committee", committee_id)
    return doc


async def readable_all(
    ctx: ParticipationContext, caller: Principal, limit: int = 200
) -> list[Document]:
    docs = await ctx.committees.search(limit)
    if caller.role is StaffRole.committee:
        return [d for d in docs if seats(members_of(d), caller.id)]
    return docs
