"""The committee demo's days are ones the service accepts whatever day `make dev` runs:
the order signed before the term, the meeting within it, none after today, all in
today's fiscal year."""

from __future__ import annotations

from datetime import date

import pytest

from deploy.local.demo_participation import demo_committee_days
from shared.thai.fiscal import fiscal_year


@pytest.mark.parametrize("today", [date(2026, 10, 1), date(2026, 10, 3), date(2026, 12, 6)])
def test_the_committee_demo_days_fit_the_fiscal_year_and_today(today: date) -> None:
    days = demo_committee_days(today)
    assert days["signed_on"] <= days["term_starts_on"] <= days["meeting"] <= today
    assert {fiscal_year(d) for d in days.values()} == {fiscal_year(today)}
