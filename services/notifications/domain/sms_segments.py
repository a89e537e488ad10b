"""How many SMS a text costs: what notifications sends is counted the same way on the
template previews and by the local gateway stand-in (`deploy/local/sms_standin.py`)."""

from __future__ import annotations

from dataclasses import dataclass

# GSM 03.38: the default alphabet (one septet each) and its extension (escape + one).
_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")


@dataclass(frozen=True, slots=True)
class Segments:
    """How a text travels: its encoding, its length in that encoding's units (septets or
    UTF-16 code units) and the number of SMS it takes."""

    encoding: str
    units: int
    count: int


def segments(text: str) -> Segments:
    """What a handset network charges for `text`. Thai is outside GSM's alphabet, so a
    Thai SMS is UCS-2: 70 characters alone, 67 per part once concatenated (the user data
    header takes 6 bytes of each part). A part never splits a character in two (an
    escaped GSM character, or a UTF-16 surrogate pair)."""
    if all(c in _GSM_BASIC or c in _GSM_EXTENDED for c in text):
        encoding, single, part = "GSM-7", 160, 153
        costs = [2 if c in _GSM_EXTENDED else 1 for c in text]
    else:
        encoding, single, part = "UCS-2", 70, 67
        costs = [2 if ord(c) > 0xFFFF else 1 for c in text]
    units = sum(costs)
    if units <= single:
        return Segments(encoding, units, 1 if text else 0)
    count, room = 1, part
    for cost in costs:
        if cost > room:
            count, room = count + 1, part
        room -= cost
    return Segments(encoding, units, count)
