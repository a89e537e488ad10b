"""Buddhist Era dates, Thai month names and digits, Bangkok time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.thai.dates import (
    THAI_MONTHS_FULL,
    THAI_MONTHS_SHORT,
    buddhist_year,
    format_date,
    format_datetime,
    format_english_date,
    format_english_datetime,
    format_thai_date,
    format_thai_datetime,
    format_thai_time,
    local_date,
    to_bangkok,
    to_thai_digits,
)
from shared.thai.fiscal import fiscal_year as thai_fiscal_year
from shared.thai.numbers import format_count

DAY = date(2026, 11, 26)


def test_the_examples():
    assert format_thai_date(DAY) == "26 พฤศจิกายน 2569"
    assert format_thai_date(DAY, style="short") == "26 พ.ย. 2569"
    assert format_thai_date(DAY, thai_digits=True) == "๒๖ พฤศจิกายน ๒๕๖๙"
    assert format_thai_date(DAY, style="short", thai_digits=True) == "๒๖ พ.ย. ๒๕๖๙"
    assert format_english_date(DAY) == "26 November 2026"
    assert format_english_date(DAY, style="short") == "26 Nov 2026"


@pytest.mark.parametrize(
    ("month", "full", "short"),
    [
        (1, "มกราคม", "ม.ค."),
        (2, "กุมภาพันธ์", "ก.พ."),
        (3, "มีนาคม", "มี.ค."),
        (4, "เมษายน", "เม.ย."),
        (5, "พฤษภาคม", "พ.ค."),
        (6, "มิถุนายน", "มิ.ย."),
        (7, "กรกฎาคม", "ก.ค."),
        (8, "สิงหาคม", "ส.ค."),
        (9, "กันยายน", "ก.ย."),
        (10, "ตุลาคม", "ต.ค."),
        (11, "พฤศจิกายน", "พ.ย."),
        (12, "ธันวาคม", "ธ.ค."),
    ],
)
def test_every_month(month, full, short):
    assert format_thai_date(date(2027, month, 1)) == f"1 {full} 2570"
    assert format_thai_date(date(2027, month, 1), "short") == f"1 {short} 2570"
    assert THAI_MONTHS_FULL[month - 1] == full and THAI_MONTHS_SHORT[month - 1] == short


def test_no_leading_zero_on_the_day():
    assert format_thai_date(date(2026, 1, 5)) == "5 มกราคม 2569"
    assert format_english_date(date(2026, 1, 5)) == "5 January 2026"


def test_buddhist_year_and_digits():
    assert buddhist_year(2026) == 2569
    assert buddhist_year(1957) == 2500
    assert to_thai_digits("0123456789 SG-7K2P") == "๐๑๒๓๔๕๖๗๘๙ SG-๗K๒P"


def test_datetimes_are_shown_in_bangkok():
    late_utc = datetime(2026, 11, 25, 17, 30, tzinfo=UTC)  # already the 26th in Bangkok
    assert format_thai_date(late_utc) == "26 พฤศจิกายน 2569"
    assert format_thai_datetime(late_utc) == "26 พฤศจิกายน 2569 เวลา 00.30 น."
    assert format_english_datetime(late_utc) == "26 November 2026, 00:30 (Bangkok time)"
    tokyo = timezone(timedelta(hours=9))
    assert format_thai_time(datetime(2026, 11, 26, 16, 5, tzinfo=tokyo)) == "14.05 น."
    assert to_bangkok(late_utc).utcoffset() == timedelta(hours=7)
    assert local_date(late_utc) == date(2026, 11, 26)


def test_thai_datetime_styles_and_digits():
    when = datetime(2026, 11, 26, 7, 45, tzinfo=UTC)
    assert format_thai_datetime(when, "short", thai_digits=True) == "๒๖ พ.ย. ๒๕๖๙ เวลา ๑๔.๔๕ น."


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        format_thai_date(datetime(2026, 11, 26, 10, 0))
    with pytest.raises(ValueError, match="naive"):
        format_english_datetime(datetime(2026, 11, 26, 10, 0))


def test_unknown_style_is_refused():
    with pytest.raises(ValueError, match="style"):
        format_thai_date(DAY, "long")  # type: ignore[arg-type]


def test_dispatch_by_language():
    assert format_date(DAY, "th") == "26 พฤศจิกายน 2569"
    assert format_date(DAY, "en", "short") == "26 Nov 2026"
    assert format_date(DAY, "en", thai_digits=True) == "26 November 2026"  # Thai digits: Thai only
    when = datetime(2026, 11, 26, 3, 15, tzinfo=UTC)
    assert format_datetime(when, "th") == "26 พฤศจิกายน 2569 เวลา 10.15 น."
    assert format_datetime(when, "en") == "26 November 2026, 10:15 (Bangkok time)"
    with pytest.raises(ValueError):
        format_date(DAY, "fr")
    with pytest.raises(ValueError):
        format_datetime(when, "fr")


@pytest.mark.parametrize(
    ("day", "fiscal_year"),
    [
        (date(2025, 10, 1), 2569),
        (date(2026, 9, 30), 2569),
        (date(2026, 10, 1), 2570),
        (date(2026, 11, 26), 2570),
        (datetime(2026, 9, 30, 17, 0, tzinfo=UTC), 2570),  # 1 October in Bangkok
    ],
)
def test_thai_fiscal_year(day, fiscal_year):
    assert thai_fiscal_year(day) == fiscal_year


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2400, 12, 31)))
def test_any_date_reads_back(day):
    text = format_thai_date(day)
    d, month, year = text.split(" ")
    assert int(d) == day.day
    assert THAI_MONTHS_FULL.index(month) == day.month - 1
    assert int(year) == day.year + 543
    assert to_thai_digits(text) == format_thai_date(day, thai_digits=True)


def test_counts_are_grouped_by_thousands() -> None:
    assert format_count(1234567) == "1,234,567" and format_count(999) == "999"
    assert format_count(12345, thai_digits=True) == "๑๒,๓๔๕"
    assert format_count(None) == "–"
