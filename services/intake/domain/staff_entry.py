"""A submission keyed in by a member of staff (a phone call, a walk-in, a letter): the
person's submission, the channel it came by and, for a letter, its registry number and
date. Pure validation. Who keyed it is not in here: it is the signed-in account of the
token the entry came with, never something the body or a header says."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from shared.contract.catalogue import Catalogue
from shared.contract.events import Channel, LetterReference
from shared.thai.dates import BANGKOK, BE_OFFSET

from .submission import SubmissionRequest, _Body, _check_opinion_fields, _field_error

# Thai registry numbers read like "ศธ 04002/1234" or "ที่ นม 0123/ว 45": Thai and Latin
# letters, digits, spaces and . / - ( ).
LETTER_NUMBER = r"^[0-9A-Za-z\u0E00-\u0E7F][0-9A-Za-z\u0E00-\u0E7F ./()\-]{0,59}$"
LetterNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=60, pattern=LETTER_NUMBER),
]
_ISO = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
# How a Thai clerk writes a date: day/month/year in B.E. ("5/3/2568").
_THAI = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")
# A letter older than this is no new letter: most likely a mistyped year.
OLDEST_YEAR = 1990


def letter_date(value: Any) -> Any:
    """A date as ISO (C.E., or B.E. when the year says so: 2568-03-05) or as D/M/YYYY in
    B.E.; anything else is left to pydantic to refuse."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if m := _ISO.match(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _THAI.match(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if year < 2400:
            raise PydanticCustomError("letter_date_format", "not a date")
    else:
        raise PydanticCustomError("letter_date_format", "not a date")
    if year > 2400:
        year -= BE_OFFSET
    try:
        return date(year, month, day)
    except ValueError:
        raise PydanticCustomError("letter_date_format", "not a date") from None


class LetterIn(_Body):
    number: LetterNumber = Field(description="เลขที่หนังสือ: the letter's registry number.")
    dated: date = Field(
        description="ลงวันที่: YYYY-MM-DD (C.E., or B.E. by its year) or D/M/YYYY in B.E."
    )

    @field_validator("dated", mode="before")
    @classmethod
    def _dated(cls, value: Any) -> Any:
        return letter_date(value)

    @field_validator("dated")
    @classmethod
    def _plausible(cls, value: date, info: ValidationInfo) -> date:
        context = info.context if isinstance(info.context, dict) else {}
        today = context.get("today") or datetime.now(BANGKOK).date()
        if value > today:
            raise PydanticCustomError("date_in_future", "must not be in the future")
        if value.year < OLDEST_YEAR:
            raise PydanticCustomError(
                "letter_too_old", "before {year}", {"year": OLDEST_YEAR + BE_OFFSET}
            )
        return value

    def reference(self) -> LetterReference:
        return LetterReference(number=self.number, dated=self.dated)


StaffChannel = Literal[Channel.phone, Channel.walk_in, Channel.letter]


class StaffSubmissionRequest(SubmissionRequest):
    """What a member of staff keys in: the person's submission, plus how it came."""

    channel: StaffChannel = Field(description="phone, walk_in or letter")
    letter: LetterIn | None = Field(
        default=None, description="With channel `letter` (required then): its number and date."
    )


def parse_staff_entry(
    raw: dict[str, Any], catalogue: Catalogue, *, today: date | None = None
) -> StaffSubmissionRequest:
    """Validate a keyed-in entry against the catalogue; pydantic's `ValidationError`
    naming the field (a letter without its number and date: `letter.number`)."""
    body = StaffSubmissionRequest.model_validate(
        raw, context={"catalogue": catalogue, "today": today}
    )
    if body.channel == Channel.letter and body.letter is None:
        raise _field_error("letter.number", "letter_required", "required for a letter")
    if body.channel != Channel.letter and body.letter is not None:
        raise _field_error("letter", "letter_only", "only for a letter")
    _check_opinion_fields(body)
    return body
