"""Small-cell suppression and the public transparency figures."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.reporting.domain import views as v
from services.reporting.domain.public import (
    public_mean,
    public_share,
    suppress_cells,
    suppress_total,
    transparency_report,
)
from services.reporting.domain.summary import Rate
from shared.contract.events import CaseStatus as S
from shared.contract.events import Channel, CloseReason

from .histories import T0, Case, Replay

DAY = timedelta(days=1)


def test_cells_of_one_to_four_are_suppressed_and_zero_is_shown() -> None:
    cells = {"a": 0, "b": 5, "c": 7, "d": 1, "e": 4}
    assert suppress_cells(cells) == {"a": 0, "b": 5, "c": 7, "d": None, "e": None}


def test_a_lone_suppressed_cell_takes_the_smallest_other_with_it() -> None:
    # total 23 published: with only "d" hidden, d = 23 − 5 − 7 − 8 would be recovered
    cells = {"b": 7, "c": 5, "d": 3, "e": 8, "z": 0}
    assert suppress_cells(cells) == {"b": 7, "c": None, "d": None, "e": 8, "z": 0}


def test_secondary_ties_go_to_the_first_in_order() -> None:
    assert suppress_cells({"a": 6, "b": 6, "c": 2}) == {"a": None, "b": 6, "c": None}


def test_nothing_to_hide() -> None:
    assert suppress_cells({"a": 0, "b": 5}) == {"a": 0, "b": 5}
    assert suppress_cells({}) == {}
    assert suppress_cells({"a": 2}) == {"a": None}


@pytest.mark.parametrize(("total", "shown"), [(0, 0), (1, None), (4, None), (5, 5)])
def test_totals(total: int, shown: int | None) -> None:
    assert suppress_total(total) == shown


def test_shares_and_means_need_five_behind_them() -> None:
    assert public_share(Rate(3, 4)) is None
    assert public_share(Rate(4, 5)) == 0.8
    assert public_mean(9, 2) is None
    assert public_mean(20, 5) == 4.0


def _year(n_web: int, n_line: int, surveys: int) -> Replay:
    events = []
    for i in range(n_web + n_line):
        c = Case(f"c{i}", T0 + timedelta(hours=i))
        channel = Channel.web if i < n_web else Channel.line
        events += [c.opened(channel=channel), c.status(S.received, S.resolved, after=DAY)]
        if i < surveys:
            events.append(c.survey(4 if i % 2 else 5, after=DAY))
        events.append(c.closed(CloseReason.resolved, after=DAY))
    return Replay().feed(events)


def test_transparency_report_suppresses_small_channels() -> None:
    r = _year(n_web=8, n_line=2, surveys=6)
    report = transparency_report(r.views.documents(v.CASES), 2570)
    assert report.received == 10
    assert report.completed == 10
    # 2 hidden, so 8 = 10 − 2 too; every channel the office has is listed, used or not.
    assert report.by_channel == {
        "web": None,
        "line": None,
        "email": 0,
        "phone": 0,
        "walk_in": 0,
        "letter": 0,
        "facebook": 0,
        "open311": 0,
        "api": 0,
    }
    assert report.by_category == {"documents": 10}
    assert report.by_kind == {"complaint": 10}
    assert report.answered_in_15_days == 1.0
    assert report.satisfaction_responses == 6
    assert report.satisfaction_mean == pytest.approx(27 / 6)


def test_a_year_with_few_cases_shows_nothing() -> None:
    r = _year(n_web=3, n_line=0, surveys=3)
    report = transparency_report(r.views.documents(v.CASES), 2570)
    assert report.received is None
    assert report.by_channel == {} and report.satisfaction_mean is None


def test_few_survey_answers_hide_the_mean() -> None:
    r = _year(n_web=10, n_line=0, surveys=3)
    report = transparency_report(r.views.documents(v.CASES), 2570)
    assert report.satisfaction_mean is None
    assert report.satisfaction_responses is None


def test_other_years_are_not_counted() -> None:
    r = _year(n_web=6, n_line=0, surveys=0)
    assert transparency_report(r.views.documents(v.CASES), 2571).received == 0
