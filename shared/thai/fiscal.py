"""Thai fiscal-year arithmetic: fiscal year (B.E.), half-year round, month key, bounds.

The Thai government fiscal year runs 1 October to 30 September and is named by the
Buddhist Era year in which it ends: FY 2570 is 1 Oct 2026 – 30 Sep 2027 (CE). Round 1 of
a fiscal year is October–March, round 2 is April–September, the two halves the ITA
assessment reports on.

Every moment is placed on the calendar in Asia/Bangkok, whatever its offset: an event at
2026-09-30T20:00Z is 1 October 03:00 in Bangkok and so already in FY 2570. Only the
arithmetic lives here; the Bangkok zone, and showing a date in B.E. or Thai digits, are
`shared.thai.dates`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from shared.thai.dates import BANGKOK, BE_OFFSET, buddhist_year, local_date

FIRST_MONTH = 10  # October opens the fiscal year
SECOND_ROUND_MONTH = 4  # April opens round 2

Round = Literal[1, 2]
ROUNDS: tuple[Round, Round] = (1, 2)

# The first fiscal year we accept as input: anything earlier is a CE year passed by
# mistake (2026 is a CE year; B.E. 2026 was 1483 CE, long before any complaint).
_MIN_FISCAL_YEAR = 2400


@dataclass(frozen=True, slots=True)
class FiscalPeriod:
    """Where one moment falls: fiscal year (B.E.), round (1 or 2) and calendar month.

    `month` is the Bangkok calendar month as "YYYY-MM" in CE, so keys sort by time; a
    display converts it to B.E.
    """

    fiscal_year: int
    round: Round
    month: str


def fiscal_year(value: date | datetime) -> int:
    """The fiscal year (B.E.) of a Bangkok calendar date, or of an aware moment placed in
    Bangkok: 1 October 2026 starts fiscal year 2570; 30 September 2026 is still in 2569."""
    day = local_date(value)
    return buddhist_year(day.year + 1 if day.month >= FIRST_MONTH else day.year)


def round_of_date(day: date) -> Round:
    """The half-year round of a Bangkok calendar date: 1 for October–March, else 2."""
    return 2 if SECOND_ROUND_MONTH <= day.month < FIRST_MONTH else 1


def month_key_of_date(day: date) -> str:
    """The month key ("YYYY-MM", CE) of a Bangkok calendar date."""
    return f"{day.year:04d}-{day.month:02d}"


def fiscal_round(moment: datetime) -> Round:
    """The half-year round (1 or 2) of an aware moment, placed in Bangkok."""
    return round_of_date(local_date(moment))


def month_key(moment: datetime) -> str:
    """The Bangkok calendar month of an aware moment as "YYYY-MM" (CE)."""
    return month_key_of_date(local_date(moment))


def fiscal_period(moment: datetime) -> FiscalPeriod:
    """Fiscal year, round and month of an aware moment, all placed in Bangkok."""
    day = local_date(moment)
    return FiscalPeriod(fiscal_year(day), round_of_date(day), month_key_of_date(day))


def _check_year(fiscal_year: int) -> None:
    if fiscal_year < _MIN_FISCAL_YEAR:
        raise ValueError(f"fiscal year {fiscal_year} is not a B.E. year (e.g. 2570)")


def _check_round(round_: int) -> None:
    if round_ not in ROUNDS:
        raise ValueError(f"round must be 1 or 2, not {round_}")


def fiscal_year_bounds(fiscal_year: int) -> tuple[datetime, datetime]:
    """[start, end) of a fiscal year as aware Bangkok datetimes.

    Start is 1 October 00:00 of the year before, end is 1 October 00:00 of the naming
    year, exclusive: query with `start <= t < end`.
    """
    _check_year(fiscal_year)
    ce_end = fiscal_year - BE_OFFSET
    return (
        datetime(ce_end - 1, FIRST_MONTH, 1, tzinfo=BANGKOK),
        datetime(ce_end, FIRST_MONTH, 1, tzinfo=BANGKOK),
    )


def round_bounds(fiscal_year: int, round_: int) -> tuple[datetime, datetime]:
    """[start, end) of a half-year round as aware Bangkok datetimes (end exclusive)."""
    _check_year(fiscal_year)
    _check_round(round_)
    start, end = fiscal_year_bounds(fiscal_year)
    middle = datetime(fiscal_year - BE_OFFSET, SECOND_ROUND_MONTH, 1, tzinfo=BANGKOK)
    return (start, middle) if round_ == 1 else (middle, end)


def fiscal_months(fiscal_year: int, round_: int | None = None) -> tuple[str, ...]:
    """The month keys of a fiscal year (or of one round), October first."""
    _check_year(fiscal_year)
    if round_ is not None:
        _check_round(round_)
    ce_end = fiscal_year - BE_OFFSET
    months = [(ce_end - 1, m) for m in range(FIRST_MONTH, 13)] + [
        (ce_end, m) for m in range(1, FIRST_MONTH)
    ]
    if round_ == 1:
        months = months[:6]
    elif round_ == 2:
        months = months[6:]
    return tuple(f"{y:04d}-{m:02d}" for y, m in months)


def fiscal_year_label(fiscal_year: int, language: str) -> str:
    """A fiscal year as a reader names it: "2570" in Thai (B.E.), and in English the C.E.
    years it spans, "2026–27" (1 Oct 2026 – 30 Sep 2027), never a B.E. number."""
    _check_year(fiscal_year)
    if language == "th":
        return str(fiscal_year)
    if language == "en":
        ends = fiscal_year - BE_OFFSET
        return f"{ends - 1}–{ends % 100:02d}"
    raise ValueError(f"unknown language {language!r}")
