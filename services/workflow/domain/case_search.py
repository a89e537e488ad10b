"""What a member of staff typed into the console's search box: a tracking code, a way to
reach the person (a phone number or an e-mail address), or words of the subject or the
description.

A contact is never looked up in the personal-data store: it is turned into the same
keyed hashes the case keeps for its duplicate hint (`routing.contact_keys`), so the
search finds the cases of whoever left that phone or address without reading anyone's
contact, and finds nothing once the person's data is erased (the keys go with it). A
name is not searched: names live only in the personal-data store, and finding cases by
one would mean reading everyone's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from services.workflow.domain.routing import contact_keys
from shared.contract.events import Contact

# Intake's alphabet (digits 2-9, letters without I, L, O); a code is read out over the
# phone, so it may come with spaces, dashes or in lower case, with or without "SG".
_CODE_SYMBOLS = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE = re.compile(rf"^(?:SG)?([{_CODE_SYMBOLS}]{{12}})$")
# A code of the older shape (two groups) or any "SG-..." word: compared as written.
_OLD_CODE = re.compile(r"^SG-[A-Z0-9-]{4,}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9\s\-().]{7,}$")
MAX_LENGTH = 100


class Looking(StrEnum):
    """What the search box was read as."""

    tracking_code = "tracking_code"
    contact = "contact"
    words = "words"


@dataclass(frozen=True)
class Search:
    looking: Looking
    # The tracking code (canonical), the words (trimmed), or the contact as typed.
    value: str
    # For a contact: the keyed hashes to look for.
    keys: tuple[str, ...] = ()


def read_search(typed: str, secret: bytes) -> Search | None:
    """What `typed` asks for (None when it is blank); `secret` is the one the cases'
    contact keys were made with."""
    text = " ".join(typed.split())
    if not text:
        return None
    squeezed = re.sub(r"[\s\-_.]", "", text).upper()
    if m := _CODE.match(squeezed):
        body = m[1]
        return Search(Looking.tracking_code, f"SG-{body[0:4]}-{body[4:8]}-{body[8:12]}")
    if _OLD_CODE.match(text.upper()):
        return Search(Looking.tracking_code, text.upper())
    contact: Contact | None = None
    if _EMAIL.match(text):
        contact = Contact(email=text)
    elif _PHONE.match(text) and len(text) <= 20 and sum(c.isdigit() for c in text) >= 9:
        contact = Contact(phone=text)
    if contact is not None:
        return Search(Looking.contact, text, tuple(sorted(contact_keys(contact, secret))))
    return Search(Looking.words, text)
