"""The windows of days a long queue is read by: one after the other they cover every
instant from where the page starts, once, and the last is open-ended."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.workflow.adapters.case_queries import Window, windows

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)


def test_going_down_from_the_newest_each_window_wider_and_the_last_open() -> None:
    got = list(windows(down=True, anchor=None, days=None, now=NOW))
    assert got[0] == {"$gte": NOW - timedelta(days=7)}
    assert got[1] == {"$gte": NOW - timedelta(days=35), "$lt": NOW - timedelta(days=7)}
    assert got[-1] == {"$lt": got[-2]["$gte"]}
    assert len(got) == 5  # 7, 28, 112 and 448 days, then the rest


def test_going_down_from_a_page_includes_its_instant_and_stops_at_the_first_day() -> None:
    anchor = NOW - timedelta(days=30)
    days = Window(start=NOW - timedelta(days=60))
    got = list(windows(down=True, anchor=anchor, days=days, now=NOW))
    assert got == [
        {"$gte": anchor - timedelta(days=7), "$lte": anchor},
        {"$gte": days.start, "$lt": anchor - timedelta(days=7)},
    ]


def test_going_up_ends_open_past_now_or_at_the_last_day() -> None:
    anchor = NOW - timedelta(days=10)
    assert list(windows(down=False, anchor=anchor, days=None, now=NOW)) == [
        {"$gte": anchor, "$lt": anchor + timedelta(days=7)},
        {"$gte": anchor + timedelta(days=7)},
    ]
    days = Window(end=NOW - timedelta(days=5))
    assert list(windows(down=False, anchor=anchor, days=days, now=NOW)) == [
        {"$gte": anchor, "$lt": days.end},
    ]
    with pytest.raises(ValueError):
        list(windows(down=False, anchor=None, days=None, now=NOW))
