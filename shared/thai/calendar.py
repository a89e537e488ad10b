"""Business days for a Thai government office, and deadlines counted in them.

A business day is a Monday to Friday, in Asia/Bangkok, that is neither a public holiday
nor a government holiday (the `holidays` package, Thailand, categories `public` and
`government`: substitution days "in lieu" and the cabinet's bridge holidays included,
plus the Royal Ploughing Ceremony that only government offices close for) nor an
office closure given by the office. Observances that are ordinary working days
(`workday` in `holidays`, e.g. Loy Krathong) and Teacher's Day (`school`) are not closures;
an office that closes on them passes the category or lists the date.

Counting rule (the day a thing happens is not counted, as in the Civil and Commercial
Code s.193/3 for periods in days):

- `add_business_days(start, n)`: the deadline is the END of the n-th business day AFTER
  the Bangkok calendar day of `start` (23:59:59 Bangkok). The start day itself never
  counts, whether or not it is a business day and whatever the hour. A case received
  on Friday at 16:00 with one business day to acknowledge is due at the end of Monday;
  received on Saturday, also at the end of Monday. `n = 0` is the end of the start day.
- `business_days_between(a, b)`: the business time elapsed from `a` to `b`, as a
  fraction of days: each business day contributes the share of its 24 Bangkok hours that
  lies between `a` and `b`, other days contribute nothing. Thailand has no daylight
  saving, so every day is 24 hours long.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from shared.thai.dates import BANGKOK, to_bangkok

END_OF_DAY = time(23, 59, 59)
# What Thai government offices close for. `bank` (bank-only days) and `workday`
# (observances that are working days) are deliberately left out.
GOVERNMENT_OFFICE_CATEGORIES: tuple[str, ...] = ("public", "government")
_DAY = timedelta(days=1)


@lru_cache(maxsize=256)
def _holidays_of_year(year: int, categories: tuple[str, ...]) -> dict[date, str]:
    """The holidays falling in `year`, computed once per year and category set.

    Neighbouring years are asked too, so a substitution day that crosses the new year
    (New Year's Eve on a Saturday, observed on the following Tuesday) is never missed.
    """
    found = holidays.country_holidays("TH", years=(year - 1, year, year + 1), categories=categories)
    return {day: str(name) for day, name in found.items() if day.year == year}


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=BANGKOK)


class ThaiCalendar:
    """Business days of one office: Thai holidays plus its own closures."""

    def __init__(
        self,
        closures: Iterable[date] = (),
        categories: Iterable[str] = GOVERNMENT_OFFICE_CATEGORIES,
    ) -> None:
        self.closures: frozenset[date] = frozenset(closures)
        self.categories: tuple[str, ...] = tuple(sorted(set(categories)))
        # Deadline clocks ask about the same few weeks thousands of times a second.
        self._open: dict[date, bool] = {}
        self._deadlines: dict[tuple[date, int], datetime] = {}

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name if `day` is a holiday or an office closure, else None."""
        if day in self.closures:
            return "Office closure"
        return _holidays_of_year(day.year, self.categories).get(day)

    def is_business_day(self, day: date) -> bool:
        """True when the office is open on `day`: Monday to Friday and not a holiday."""
        known = self._open.get(day)
        if known is None:
            known = self._open[day] = day.weekday() < 5 and self.holiday_name(day) is None
        return known

    def next_business_day(self, day: date) -> date:
        """The first business day strictly after `day`."""
        day += _DAY
        while not self.is_business_day(day):
            day += _DAY
        return day

    def add_business_days(self, start: datetime, n: int) -> datetime:
        """The deadline n business days after `start`: 23:59:59 Bangkok on the n-th
        business day after the start's Bangkok date (the start day never counts)."""
        if n < 0:
            raise ValueError(f"business days must be zero or more, not {n}")
        return self._deadline_after(to_bangkok(start).date(), n)

    def _deadline_after(self, day: date, n: int) -> datetime:
        # Every case opened on the same day has the same deadlines.
        found = self._deadlines.get((day, n))
        if found is None:
            last = day
            for _ in range(n):
                last = self.next_business_day(last)
            found = self._deadlines[(day, n)] = datetime.combine(last, END_OF_DAY, tzinfo=BANGKOK)
        return found

    def business_days_between(self, a: datetime, b: datetime) -> float:
        """Business time from `a` to `b` in days (fractional; negative if b is before a)."""
        if b < a:
            return -self.business_days_between(b, a)
        start, end = to_bangkok(a), to_bangkok(b)
        first, last = start.date(), end.date()
        if first == last:
            return (end - start) / _DAY if self.is_business_day(first) else 0.0
        # The rest of the first day, whole business days in between, the start of the last.
        total = _DAY * self.business_days_after(first, last - _DAY)
        if self.is_business_day(first):
            total += _midnight(first + _DAY) - start
        if self.is_business_day(last):
            total += end - _midnight(last)
        return total / _DAY

    def moment_after(self, start: datetime, days: float) -> datetime:
        """The first moment t at or after `start` with business_days_between(start, t)
        reaching `days`: the inverse of `business_days_between`."""
        remaining = timedelta(days=max(days, 0.0))
        begin = to_bangkok(start)
        day = begin.date()
        if self.is_business_day(day):
            rest_of_day = _midnight(day + _DAY) - begin
            if remaining <= rest_of_day:
                return begin + remaining
            remaining -= rest_of_day
        while True:
            day += _DAY
            if self.is_business_day(day):
                if remaining <= _DAY:
                    return _midnight(day) + remaining
                remaining -= _DAY

    def business_days_after(self, first: date, last: date) -> int:
        """Whole business days d with first < d <= last (0 when last <= first)."""
        count = 0
        day = first + _DAY
        while day <= last:
            count += self.is_business_day(day)
            day += _DAY
        return count


@lru_cache(maxsize=1)
def default_calendar() -> ThaiCalendar:
    """The calendar without office closures, shared by the module-level functions."""
    return ThaiCalendar()


def is_business_day(day: date) -> bool:
    """`ThaiCalendar.is_business_day` on the calendar without office closures."""
    return default_calendar().is_business_day(day)


def add_business_days(start: datetime, n: int) -> datetime:
    """`ThaiCalendar.add_business_days` on the calendar without office closures."""
    return default_calendar().add_business_days(start, n)


def business_days_between(a: datetime, b: datetime) -> float:
    """`ThaiCalendar.business_days_between` on the calendar without office closures."""
    return default_calendar().business_days_between(a, b)
