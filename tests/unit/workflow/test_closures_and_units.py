"""The office's own closures (a day as a Thai clerk writes it, in B.E., or ISO) and its
units as an admin renames and adds them (how they are laid over the catalogue file is
tested with the shared overlay)."""

from __future__ import annotations

from datetime import date

import pytest

from services.workflow.domain.closures import Closure, NotADate, calendar_of, in_order, parse_day
from services.workflow.domain.errors import InvalidField
from services.workflow.domain.units import renamed
from shared.contract.catalogue import Unit, load_catalogue


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("31/12/2568", date(2025, 12, 31)),
        ("5/1/2569", date(2026, 1, 5)),
        ("2025-12-31", date(2025, 12, 31)),
        ("2568-12-31", date(2025, 12, 31)),
        ("31/12/2025", date(2025, 12, 31)),
        (" 1/5/2569 ", date(2026, 5, 1)),
    ],
)
def test_a_day_is_read_in_be_or_ce(text: str, day: date) -> None:
    assert parse_day(text) == day


@pytest.mark.parametrize("text", ["", "31/02/2568", "tomorrow", "2568/12/31", "12-31-2025"])
def test_what_is_no_day_is_refused(text: str) -> None:
    with pytest.raises(NotADate):
        parse_day(text)


def test_a_year_far_off_is_refused_as_a_typo() -> None:
    with pytest.raises(ValueError, match="between"):
        Closure(day=date(1925, 1, 2))


def test_closures_are_ordered_one_per_day_and_skipped_by_deadlines() -> None:
    friday, monday = date(2026, 1, 9), date(2026, 1, 12)
    ordered = in_order([Closure(day=monday, note="b"), Closure(day=friday), Closure(day=monday)])
    assert [c.day for c in ordered] == [friday, monday] and ordered[1].note == ""
    calendar = calendar_of(ordered)
    assert not calendar.is_business_day(friday) and not calendar.is_business_day(monday)
    assert calendar.is_business_day(date(2026, 1, 13))


def test_renaming_keeps_every_unit_and_refuses_blank_names_or_a_taken_code() -> None:
    units = load_catalogue().units
    result = renamed(units, {"legal": (" กลุ่มกฎหมาย ", "Legal")}, None)
    assert len(result) == len(units) and result[[u.code for u in units].index("legal")].name_th == (
        "กลุ่มกฎหมาย"
    )
    with pytest.raises(InvalidField, match="Thai name"):
        renamed(units, {"legal": ("", "Legal")})
    with pytest.raises(InvalidField, match="already"):
        renamed(units, {}, Unit(code="legal", name_th="ซ้ำ", name_en="Again"))
