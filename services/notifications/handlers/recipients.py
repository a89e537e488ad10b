"""Staff recipients, from ids to people: a unit's supervisors expanded when a notice is
planned (one ledger row each), a staff id turned into an address when it is sent."""

from __future__ import annotations

from collections.abc import Sequence

from pymongo.asynchronous.client_session import AsyncClientSession

from services.notifications.adapters.channels.channel import Outgoing
from services.notifications.adapters.staff_directory import StaffDirectory
from services.notifications.domain.case_facts import CaseFacts
from services.notifications.domain.notice import STAFF_ROLES, DeliveryChannel, Notice
from services.notifications.errors import UnreachableRecipient

UNIT_PREFIX = "@unit:"


async def with_supervisor(
    directory: StaffDirectory, case: CaseFacts, session: AsyncClientSession
) -> CaseFacts:
    """`case` with its unit's first active supervisor, never the person a complaint names."""
    found = [s for s in await directory.supervisors(case.unit, session) if s != case.named_person]
    supervisor = found[0] if found else None
    if supervisor == case.supervisor:
        return case
    return case.model_copy(update={"supervisor": supervisor})


async def expand_units(
    directory: StaffDirectory,
    notices: Sequence[Notice],
    session: AsyncClientSession,
    *,
    named_person: str | None = None,
) -> list[Notice]:
    """Each `@unit:<code>` notice as one notice per active supervisor of the unit.

    A unit with nobody keeps its `@unit:` notice, which then fails as unreachable and
    lands in the dead letters: an escalation nobody received must be seen by someone.
    """
    out: list[Notice] = []
    for notice in notices:
        if notice.recipient_role in STAFF_ROLES and notice.recipient.startswith(UNIT_PREFIX):
            unit = notice.recipient.removeprefix(UNIT_PREFIX)
            people = [p for p in await directory.supervisors(unit, session) if p != named_person]
            if people:
                out.extend(notice.model_copy(update={"recipient": p}) for p in people)
                continue
        out.append(notice)
    return out


async def outgoing_for(directory: StaffDirectory, notice: Notice) -> Outgoing:
    """Where `notice` goes: a complainant's or subscriber's address as planned, a staff
    member's current e-mail address from the directory."""
    if notice.recipient_role not in STAFF_ROLES:
        return Outgoing(notice=notice, address=notice.recipient)
    if notice.recipient.startswith(UNIT_PREFIX):
        raise UnreachableRecipient(
            f"no active supervisor in unit {notice.recipient.removeprefix(UNIT_PREFIX)!r}"
        )
    person = await directory.contact(notice.recipient)
    if person is None:
        raise UnreachableRecipient(f"unknown staff id {notice.recipient!r}")
    if not person.active:
        raise UnreachableRecipient(f"staff {notice.recipient!r} is not active")
    if notice.channel is not DeliveryChannel.email or not person.email:
        raise UnreachableRecipient(f"staff {notice.recipient!r} has no {notice.channel} address")
    return Outgoing(notice=notice, address=person.email, display_name=person.name)
