"""Dates as a Thai reader expects them: Buddhist Era years, Thai month names, Thai digits.

Pure formatting, no locale: `strftime("%B")` depends on the process locale, which a
container rarely has for Thai, so month names are spelled here. Datetimes are shown in
Asia/Bangkok whatever zone they arrive in; a naive datetime is refused, because guessing
its zone would silently shift a legal deadline by seven hours.

    format_thai_date(date(2026, 11, 26))                     -> "26 พฤศจิกายน 2569"
    format_thai_date(date(2026, 11, 26), style="short")      -> "26 พ.ย. 2569"
    format_thai_date(date(2026, 11, 26), thai_digits=True)   -> "๒๖ พฤศจิกายน ๒๕๖๙"
    format_english_date(date(2026, 11, 26))                  -> "26 November 2026"
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

# The one Bangkok zone and Buddhist Era offset: the calendar and the fiscal year use these.
BANGKOK = ZoneInfo("Asia/Bangkok")
BE_OFFSET = 543

DateStyle = Literal["full", "short"]

THAI_MONTHS_FULL: tuple[str, ...] = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_SHORT: tuple[str, ...] = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
ENGLISH_MONTHS_FULL: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
ENGLISH_MONTHS_SHORT: tuple[str, ...] = tuple(m[:3] for m in ENGLISH_MONTHS_FULL)

_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def buddhist_year(year: int) -> int:
    """The Buddhist Era year of a Common Era year (2026 -> 2569)."""
    return year + BE_OFFSET


def to_thai_digits(text: str) -> str:
    """`text` with every ASCII digit replaced by its Thai digit; other characters kept."""
    return text.translate(_THAI_DIGITS)


def to_bangkok(value: datetime) -> datetime:
    """The same instant in Asia/Bangkok. Raises ValueError for a naive datetime."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value.isoformat()}: give it a time zone")
    return value.astimezone(BANGKOK)


def local_date(value: date | datetime) -> date:
    """The calendar date in Bangkok: a datetime is converted first, a date is kept."""
    if isinstance(value, datetime):
        return to_bangkok(value).date()
    return value


def _check_style(style: str) -> None:
    if style not in ("full", "short"):
        raise ValueError(f"unknown date style {style!r}: use 'full' or 'short'")


def format_thai_date(
    value: date | datetime, style: DateStyle = "full", thai_digits: bool = False
) -> str:
    """The Thai date: "26 พฤศจิกายน 2569" (full) or "26 พ.ย. 2569" (short), B.E. year."""
    _check_style(style)
    day = local_date(value)
    months = THAI_MONTHS_FULL if style == "full" else THAI_MONTHS_SHORT
    text = f"{day.day} {months[day.month - 1]} {buddhist_year(day.year)}"
    return to_thai_digits(text) if thai_digits else text


def format_thai_time(value: datetime, thai_digits: bool = False) -> str:
    """The Bangkok time as Thai official letters write it: "14.30 น."."""
    local = to_bangkok(value)
    text = f"{local.hour:02d}.{local.minute:02d} น."
    return to_thai_digits(text) if thai_digits else text


def format_thai_datetime(
    value: datetime, style: DateStyle = "full", thai_digits: bool = False
) -> str:
    """The Thai date and Bangkok time: "26 พฤศจิกายน 2569 เวลา 14.30 น."."""
    date_part = format_thai_date(value, style, thai_digits)
    return f"{date_part} เวลา {format_thai_time(value, thai_digits)}"


def format_english_date(value: date | datetime, style: DateStyle = "full") -> str:
    """The English date: "26 November 2026" (full) or "26 Nov 2026" (short), C.E. year."""
    _check_style(style)
    day = local_date(value)
    months = ENGLISH_MONTHS_FULL if style == "full" else ENGLISH_MONTHS_SHORT
    return f"{day.day} {months[day.month - 1]} {day.year}"


def format_english_datetime(value: datetime, style: DateStyle = "full") -> str:
    """The English date and Bangkok time: "26 November 2026, 14:30 (Bangkok time)"."""
    local = to_bangkok(value)
    return (
        f"{format_english_date(local, style)}, {local.hour:02d}:{local.minute:02d} (Bangkok time)"
    )


def format_date(
    value: date | datetime,
    language: str,
    style: DateStyle = "full",
    thai_digits: bool = False,
) -> str:
    """The date in `language` ("th": B.E., "en": C.E.); `thai_digits` only affects Thai."""
    if language == "th":
        return format_thai_date(value, style, thai_digits)
    if language == "en":
        return format_english_date(value, style)
    raise ValueError(f"unknown language {language!r}")


def format_datetime(
    value: datetime,
    language: str,
    style: DateStyle = "full",
    thai_digits: bool = False,
) -> str:
    """The date and Bangkok time in `language`; `thai_digits` only affects Thai."""
    if language == "th":
        return format_thai_datetime(value, style, thai_digits)
    if language == "en":
        return format_english_datetime(value, style)
    raise ValueError(f"unknown language {language!r}")


_ISO_DAY = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
# How a Thai clerk writes a date: day/month/year, the year in B.E. ("5/3/2569").
_SLASHED_DAY = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")
# No C.E. year of an office's records reaches this; every B.E. year of them does.
_FIRST_BE_YEAR = 2400
_ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def parse_date(text: str) -> date:
    """A date as a person types it: ISO (2026-03-05, or 2569-03-05 by its B.E. year) or
    day/month/year (5/3/2569 in B.E., or 5/3/2026); Thai digits read too. Raises
    ValueError for anything else, or a day that does not exist."""
    typed = text.strip().translate(_ARABIC_DIGITS)
    if m := _ISO_DAY.match(typed):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _SLASHED_DAY.match(typed):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    else:
        raise ValueError(f"not a date: {text!r}")
    if year >= _FIRST_BE_YEAR:
        year -= BE_OFFSET
    return date(year, month, day)
