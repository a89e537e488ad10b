"""Thai fiscal year (B.E., October–September), round and month, placed in Bangkok."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.thai.dates import BANGKOK
from shared.thai.dates import local_date as bangkok_date
from shared.thai.fiscal import (
    FiscalPeriod,
    fiscal_months,
    fiscal_period,
    fiscal_round,
    fiscal_year,
    fiscal_year_bounds,
    fiscal_year_label,
    month_key,
    round_bounds,
)

_US = timedelta(microseconds=1)


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, us, tzinfo=UTC)


def bkk(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=BANGKOK)


def test_the_announcements_example() -> None:
    # FY 2570 = 1 Oct 2026 – 30 Sep 2027
    assert fiscal_year(bkk(2026, 10, 1)) == 2570
    assert fiscal_year(bkk(2027, 9, 30, 23, 59, 59)) == 2570
    assert fiscal_year(bkk(2026, 9, 30, 23, 59, 59)) == 2569
    assert fiscal_year(bkk(2027, 10, 1)) == 2571


def test_an_evening_in_utc_is_already_october_in_bangkok() -> None:
    moment = utc(2026, 9, 30, 20, 0)
    assert bangkok_date(moment).isoformat() == "2026-10-01"
    assert fiscal_period(moment) == FiscalPeriod(2570, 1, "2026-10")


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (utc(2026, 9, 30, 16, 59, 59, 999999), FiscalPeriod(2569, 2, "2026-09")),
        (utc(2026, 9, 30, 17, 0), FiscalPeriod(2570, 1, "2026-10")),
        (utc(2027, 3, 31, 16, 59, 59), FiscalPeriod(2570, 1, "2027-03")),
        (utc(2027, 3, 31, 17, 0), FiscalPeriod(2570, 2, "2027-04")),
        (utc(2026, 12, 31, 17, 0), FiscalPeriod(2570, 1, "2027-01")),
    ],
)
def test_boundaries_fall_at_midnight_bangkok(moment: datetime, expected: FiscalPeriod) -> None:
    assert fiscal_period(moment) == expected
    assert (fiscal_year(moment), fiscal_round(moment), month_key(moment)) == (
        expected.fiscal_year,
        expected.round,
        expected.month,
    )


def test_any_offset_is_placed_in_bangkok() -> None:
    honolulu = timezone(timedelta(hours=-10))
    # 30 Sep 08:00 in Honolulu is 30 Sep 18:00 UTC, 1 Oct 01:00 in Bangkok.
    assert fiscal_year(datetime(2026, 9, 30, 8, 0, tzinfo=honolulu)) == 2570


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (bkk(2024, 2, 29, 12), FiscalPeriod(2567, 1, "2024-02")),
        (bkk(2028, 2, 29, 23, 59), FiscalPeriod(2571, 1, "2028-02")),
        (utc(2028, 2, 29, 17, 0), FiscalPeriod(2571, 1, "2028-03")),  # 1 Mar in Bangkok
    ],
)
def test_leap_days(moment: datetime, expected: FiscalPeriod) -> None:
    assert fiscal_period(moment) == expected


def test_a_leap_year_round_1_is_a_day_longer() -> None:
    start, end = round_bounds(2571, 1)  # Oct 2027 – Mar 2028, with 29 Feb 2028
    assert end - start == timedelta(days=183)
    start, end = round_bounds(2570, 1)
    assert end - start == timedelta(days=182)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        fiscal_year(datetime(2026, 10, 1))


def test_year_bounds_are_half_open_in_bangkok() -> None:
    start, end = fiscal_year_bounds(2570)
    assert start == bkk(2026, 10, 1) == utc(2026, 9, 30, 17)
    assert end == bkk(2027, 10, 1)
    assert fiscal_year(start) == 2570
    assert fiscal_year(start - _US) == 2569
    assert fiscal_year(end - _US) == 2570
    assert fiscal_year(end) == 2571


def test_round_bounds() -> None:
    assert round_bounds(2570, 1) == (bkk(2026, 10, 1), bkk(2027, 4, 1))
    assert round_bounds(2570, 2) == (bkk(2027, 4, 1), bkk(2027, 10, 1))


def test_months() -> None:
    months = fiscal_months(2570)
    assert len(months) == 12
    assert months[0] == "2026-10" and months[-1] == "2027-09"
    assert fiscal_months(2570, 1) == (
        "2026-10",
        "2026-11",
        "2026-12",
        "2027-01",
        "2027-02",
        "2027-03",
    )
    assert fiscal_months(2570, 2)[0] == "2027-04"


@pytest.mark.parametrize("bad", [2026, 0, -1])
def test_a_ce_year_is_not_a_fiscal_year(bad: int) -> None:
    with pytest.raises(ValueError, match=r"B\.E\."):
        fiscal_year_bounds(bad)


def test_rounds_are_one_or_two() -> None:
    with pytest.raises(ValueError, match="round"):
        round_bounds(2570, 3)
    with pytest.raises(ValueError, match="round"):
        fiscal_months(2570, 0)


moments = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from(
        [UTC, BANGKOK, timezone(timedelta(hours=-11)), timezone(timedelta(hours=14))]
    ),
)


@given(moments)
def test_every_moment_lies_in_its_own_year_round_and_month(moment: datetime) -> None:
    period = fiscal_period(moment)
    start, end = fiscal_year_bounds(period.fiscal_year)
    assert start <= moment < end
    start, end = round_bounds(period.fiscal_year, period.round)
    assert start <= moment < end
    assert period.month in fiscal_months(period.fiscal_year, period.round)
    assert period.month == moment.astimezone(BANGKOK).strftime("%Y-%m")


def test_a_fiscal_year_reads_in_be_in_thai_and_in_ce_years_in_english() -> None:
    assert fiscal_year_label(2570, "th") == "2570"
    assert fiscal_year_label(2570, "en") == "2026–27"
    assert fiscal_year_label(2643, "en") == "2099–00"
    with pytest.raises(ValueError):
        fiscal_year_label(2026, "en")  # a C.E. year passed by mistake
