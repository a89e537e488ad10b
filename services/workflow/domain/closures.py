"""The office's own closures: days it is shut beside the public and government holidays
(`shared.thai.calendar` knows those), which deadlines skip like a holiday.

They start as `SIANG_WORKFLOW_OFFICE_CLOSURES`; once an admin saves a list it replaces
that one on every replica. A closure changes the deadlines computed after it is in force
(new cases, a pause that ends); deadlines already set stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.thai.calendar import ThaiCalendar
from shared.thai.dates import BE_OFFSET

#: The years a closure may fall in (C.E.): a typo of a year is refused, not kept.
FIRST_YEAR, LAST_YEAR = 2000, 2100
_ISO = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
# As a Thai clerk writes a date: day/month/year, the year in B.E. (or C.E.).
_DMY = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")


class Closure(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    day: date
    note: str = Field(default="", max_length=200)

    @field_validator("day")
    @classmethod
    def _plausible(cls, day: date) -> date:
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError(f"a closure falls between {FIRST_YEAR} and {LAST_YEAR}")
        return day


class NotADate(ValueError):
    """Text that is no date as the form takes one."""


def parse_day(text: str) -> date:
    """A date as ISO (2025-12-31; a year over 2400 is B.E.) or D/M/YYYY (31/12/2568, the
    year B.E. when over 2400); `NotADate` otherwise."""
    text = text.strip()
    if m := _ISO.match(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _DMY.match(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    else:
        raise NotADate(text)
    if year > 2400:
        year -= BE_OFFSET
    try:
        return date(year, month, day)
    except ValueError:
        raise NotADate(text) from None


def in_order(closures: Iterable[Closure]) -> tuple[Closure, ...]:
    """One closure per day (the last given wins), by date."""
    by_day = {c.day: c for c in closures}
    return tuple(by_day[d] for d in sorted(by_day))


def calendar_of(closures: Iterable[Closure]) -> ThaiCalendar:
    return ThaiCalendar(closures=[c.day for c in closures])
