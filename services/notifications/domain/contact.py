"""How to reach a complainant: only what they gave and consented to, their own channel first.

A person who wrote on LINE expects the answer on LINE, one who wrote to the office's
Facebook Page on Messenger; one who phoned expects an SMS.
Only one route is chosen, so nobody gets the same news three times.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from services.notifications.domain.notice import DeliveryChannel
from shared.contract.events import Channel, Consent, Contact

E, L, S = DeliveryChannel.email, DeliveryChannel.line, DeliveryChannel.sms
F = DeliveryChannel.facebook

# The order in which to try a complainant's addresses, by the channel they came from.
PREFERENCES: dict[Channel, tuple[DeliveryChannel, ...]] = {
    Channel.line: (L, E, S),
    Channel.email: (E, L, S),
    Channel.web: (E, S, L),
    Channel.phone: (S, E, L),
    Channel.walk_in: (S, E, L),
    Channel.letter: (E, S, L),
    Channel.facebook: (F, E, S, L),
    Channel.open311: (E, S, L),
    Channel.api: (E, S, L),
}

# Push needs the Messaging API user id our LINE channel saw, not the LINE ID a person types.
_LINE_USER_ID = re.compile(r"^U[0-9a-f]{32}$")
# A Page-scoped id is digits; intake keeps it only from the Page's signed webhook.
_PSID = re.compile(r"^[0-9]{5,32}$")
# Thai landlines (+662..+667) cannot receive SMS; mobiles start +666, +668, +669.
_THAI_MOBILE = re.compile(r"^\+66[689]\d{8}$")
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")


class Route(NamedTuple):
    channel: DeliveryChannel
    address: str


def sms_number(phone: str) -> str | None:
    """The E.164 number to text, or None for a Thai landline or something not a number.

    Intake stores E.164 already; a national "08x..." number is accepted too.
    """
    compact = re.sub(r"[\s\-().]", "", phone)
    if re.fullmatch(r"0\d{8,9}", compact):
        compact = "+66" + compact[1:]
    if compact.startswith("+66"):
        return compact if _THAI_MOBILE.match(compact) else None
    return compact if _E164.match(compact) else None


def _address(contact: Contact, channel: DeliveryChannel) -> str | None:
    if channel is DeliveryChannel.email and contact.email:
        return contact.email
    if channel is DeliveryChannel.line and contact.line_user_id:
        return contact.line_user_id if _LINE_USER_ID.match(contact.line_user_id) else None
    if channel is DeliveryChannel.sms and contact.phone:
        return sms_number(contact.phone)
    if channel is DeliveryChannel.facebook and contact.facebook_psid:
        return contact.facebook_psid if _PSID.match(contact.facebook_psid) else None
    return None


def complainant_route(contact: Contact | None, consent: Consent, came_by: Channel) -> Route | None:
    """The one route to the complainant, or None: anonymous, no consent, or unreachable."""
    if contact is None or not consent.contact_me:
        return None
    for channel in PREFERENCES[came_by]:
        address = _address(contact, channel)
        if address is not None:
            return Route(channel, address)
    return None
