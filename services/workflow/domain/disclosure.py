"""What of a complainant's contact staff may see on a case: nothing without their consent
to be contacted, and their name only if they agreed to share it with the unit."""

from __future__ import annotations

from shared.contract.events import Consent, Contact


def may_read_contact(consent: Consent) -> bool:
    """Whether a case page reads the contact at all (a read is logged; without consent
    there is nothing to show, so nothing is read)."""
    return consent.contact_me


def staff_view(contact: Contact | None, consent: Consent) -> dict[str, str] | None:
    """The contact details shown to staff, or None when there are none to show."""
    if contact is None or not may_read_contact(consent):
        return None
    shown = {k: v for k, v in contact.model_dump().items() if v}
    if not consent.share_name_with_unit:
        shown.pop("name", None)
    return shown or None
