"""Business days on the Thai calendar, against the holidays `holidays` really returns."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import holidays
import pytest

from shared.thai import calendar as thai_calendar
from shared.thai.calendar import (
    ThaiCalendar,
    add_business_days,
    business_days_between,
    is_business_day,
)
from shared.thai.dates import BANGKOK


def bkk(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=BANGKOK)


def end_of(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 23, 59, 59, tzinfo=BANGKOK)


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2025, 4, 14), "Songkran"),
        (date(2025, 4, 15), "Songkran"),
        (date(2025, 4, 16), "Songkran in lieu of Sunday 13 April"),
        (date(2024, 4, 12), "cabinet bridge holiday before Songkran"),
        (date(2024, 4, 16), "Songkran in lieu of Saturday 13 April"),
        (date(2025, 7, 28), "the King's birthday"),
        (date(2024, 7, 29), "the King's birthday in lieu of Sunday 28 July"),
        (date(2022, 12, 30), "bridge holiday before New Year"),
        (date(2023, 1, 2), "New Year's Day in lieu of Sunday"),
        (date(2023, 1, 3), "New Year's Eve in lieu of Saturday"),
        (date(2025, 5, 9), "Royal Ploughing Ceremony: government offices close"),
        (date(2025, 12, 5), "King Bhumibol's birthday"),
    ],
)
def test_offices_are_closed_on_thai_holidays(day: date, why: str) -> None:
    assert day.weekday() < 5, "a weekday, so only the holiday closes the office"
    assert not is_business_day(day), why


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2025, 4, 11), "the Friday before Songkran"),
        (date(2025, 4, 17), "the Thursday after Songkran 2025"),
        (date(2026, 4, 16), "Songkran 2026 falls Monday to Wednesday: no day in lieu"),
        (date(2025, 11, 5), "Loy Krathong is an observance, not a day off"),
        (date(2025, 1, 16), "Teacher's Day closes schools, not this office by default"),
        (date(2023, 1, 4), "the first working day of 2023"),
    ],
)
def test_offices_are_open_on_ordinary_weekdays_and_observances(day: date, why: str) -> None:
    assert is_business_day(day), why


def test_weekends_are_never_business_days() -> None:
    assert not is_business_day(date(2025, 3, 8))  # Saturday
    assert not is_business_day(date(2025, 3, 9))  # Sunday


def test_the_holiday_is_named() -> None:
    assert ThaiCalendar().holiday_name(date(2025, 4, 16)) == "Songkran Festival (in lieu)"
    assert ThaiCalendar().holiday_name(date(2025, 3, 12)) is None


def test_office_closures_are_not_business_days() -> None:
    calendar = ThaiCalendar(closures=[date(2025, 3, 12)])
    assert not calendar.is_business_day(date(2025, 3, 12))
    assert calendar.holiday_name(date(2025, 3, 12)) == "Office closure"
    assert calendar.add_business_days(bkk(2025, 3, 11), 1) == end_of(2025, 3, 13)
    assert add_business_days(bkk(2025, 3, 11), 1) == end_of(2025, 3, 12)


def test_categories_decide_which_holidays_close_the_office() -> None:
    public_only = ThaiCalendar(categories=["public"])
    assert public_only.is_business_day(date(2025, 5, 9))  # Royal Ploughing is government-only
    with_school = ThaiCalendar(categories=["public", "government", "school"])
    assert not with_school.is_business_day(date(2025, 1, 16))


# ------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    ("start", "n", "due", "why"),
    [
        (bkk(2025, 3, 10), 1, end_of(2025, 3, 11), "Monday + 1: end of Tuesday"),
        (bkk(2025, 3, 14, 16), 1, end_of(2025, 3, 17), "Friday 16:00 + 1: end of Monday"),
        (bkk(2025, 3, 8), 1, end_of(2025, 3, 10), "received Saturday + 1: end of Monday"),
        (bkk(2025, 3, 10, 0, 5), 0, end_of(2025, 3, 10), "0 days: end of the same day"),
        (bkk(2025, 4, 11), 1, end_of(2025, 4, 17), "over Songkran 2025 and its day in lieu"),
        (bkk(2024, 4, 11), 1, end_of(2024, 4, 17), "over the bridge day and Songkran 2024"),
        (bkk(2025, 7, 25), 1, end_of(2025, 7, 29), "over the King's birthday, Monday 28 July"),
        (bkk(2024, 7, 26), 1, end_of(2024, 7, 30), "over the King's birthday in lieu 2024"),
        (bkk(2022, 12, 29), 1, end_of(2023, 1, 4), "New Year 2023: Friday to Tuesday closed"),
        (bkk(2025, 4, 1), 15, end_of(2025, 4, 28), "15 days across Chakri Day and Songkran"),
        (bkk(2025, 3, 3), 15, end_of(2025, 3, 24), "15 days with no holiday: three weeks"),
    ],
)
def test_deadlines_count_business_days_after_the_start_day(
    start: datetime, n: int, due: datetime, why: str
) -> None:
    assert add_business_days(start, n) == due, why


def test_the_start_day_is_the_day_in_bangkok() -> None:
    # 18:00 UTC on Thursday 10 April is 01:00 on Friday 11 April in Bangkok.
    start = datetime(2025, 4, 10, 18, 0, tzinfo=UTC)
    assert add_business_days(start, 1) == end_of(2025, 4, 17)
    # 16:00 UTC is still Thursday 23:00 in Bangkok.
    assert add_business_days(datetime(2025, 4, 10, 16, 0, tzinfo=UTC), 1) == end_of(2025, 4, 11)


def test_deadlines_refuse_naive_datetimes_and_negative_days() -> None:
    with pytest.raises(ValueError, match="naive"):
        add_business_days(datetime(2025, 3, 10, 10, 0), 1)
    with pytest.raises(ValueError, match="zero or more"):
        add_business_days(bkk(2025, 3, 10), -1)


# ------------------------------------------------------------- elapsed business time


@pytest.mark.parametrize(
    ("a", "b", "days"),
    [
        (bkk(2025, 3, 10, 6), bkk(2025, 3, 10, 18), 0.5),
        (bkk(2025, 3, 14, 12), bkk(2025, 3, 17, 12), 1.0),  # Friday noon to Monday noon
        (bkk(2025, 4, 11, 12), bkk(2025, 4, 17, 12), 1.0),  # over Songkran
        (bkk(2025, 3, 8, 0), bkk(2025, 3, 10, 0), 0.0),  # a whole weekend
        (bkk(2025, 3, 3, 0), bkk(2025, 3, 10, 0), 5.0),  # one ordinary week
    ],
)
def test_business_days_between_counts_only_business_time(
    a: datetime, b: datetime, days: float
) -> None:
    assert business_days_between(a, b) == pytest.approx(days)
    assert business_days_between(b, a) == pytest.approx(-days)


def test_business_days_between_agrees_across_time_zones() -> None:
    a = bkk(2025, 3, 14, 12)
    b = bkk(2025, 3, 17, 12).astimezone(UTC)
    assert business_days_between(a, b) == pytest.approx(1.0)


def test_holiday_years_are_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = holidays.country_holidays

    def counting(*args: object, **kwargs: object) -> holidays.HolidayBase:
        calls.append(kwargs.get("years"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    thai_calendar._holidays_of_year.cache_clear()
    monkeypatch.setattr(holidays, "country_holidays", counting)
    calendar = ThaiCalendar()
    day = date(2025, 1, 1)
    for _ in range(2 * 365):
        calendar.is_business_day(day)
        day += timedelta(days=1)
    assert len(calls) == 2  # 2025 and 2026, once each
    thai_calendar._holidays_of_year.cache_clear()


def _business_days_between_by_definition(cal: ThaiCalendar, a: datetime, b: datetime) -> float:
    """The module's definition, a day at a time: each business day's share of 24 hours."""
    if b < a:
        return -_business_days_between_by_definition(cal, b, a)
    start, end = a.astimezone(BANGKOK), b.astimezone(BANGKOK)
    total = timedelta()
    day = start.date()
    while day <= end.date():
        if cal.is_business_day(day):
            day_start = datetime.combine(day, time.min, tzinfo=BANGKOK)
            total += max(
                min(end, day_start + timedelta(days=1)) - max(start, day_start), timedelta()
            )
        day += timedelta(days=1)
    return total / timedelta(days=1)


def _moment_after_by_definition(cal: ThaiCalendar, start: datetime, days: float) -> datetime:
    remaining = timedelta(days=max(days, 0.0))
    begin = start.astimezone(BANGKOK)
    day = begin.date()
    while True:
        if cal.is_business_day(day):
            day_start = datetime.combine(day, time.min, tzinfo=BANGKOK)
            from_ = max(begin, day_start)
            available = day_start + timedelta(days=1) - from_
            if remaining <= available:
                return from_ + remaining
            remaining -= available
        day += timedelta(days=1)


def test_business_time_and_its_inverse_agree_with_the_definition() -> None:
    """Many moments around the Songkran and New Year holidays, office closures included."""
    rng = random.Random(2569)
    cal = ThaiCalendar(closures=[date(2026, 4, 17), date(2026, 12, 30)])
    origin = datetime(2026, 3, 20, tzinfo=BANGKOK)
    for _ in range(3000):
        a = origin + timedelta(minutes=rng.randrange(0, 60 * 24 * 300))
        # Same day, a few days, or weeks later; some on exact midnights.
        span = rng.choice(
            [
                rng.randrange(0, 60 * 12),
                rng.randrange(0, 60 * 24 * 6),
                rng.randrange(0, 60 * 24 * 40),
            ]
        )
        b = a + timedelta(minutes=span)
        if rng.random() < 0.1:
            a = datetime.combine(a.date(), time.min, tzinfo=BANGKOK)
        expected = _business_days_between_by_definition(cal, a, b)
        assert cal.business_days_between(a, b) == expected
        assert cal.business_days_between(b, a) == -expected
        # The inverse, against the same definition walked a day at a time.
        assert cal.moment_after(a, expected) == _moment_after_by_definition(cal, a, expected)
        if expected > 0:
            at = cal.moment_after(a, expected)
            assert at <= b
            assert cal.business_days_between(a, at) == pytest.approx(expected, abs=1e-9)
            assert cal.business_days_between(a, at - timedelta(seconds=1)) < expected
