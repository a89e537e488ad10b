"""The console queue's address: read back into the same queue, in one order, and every
value it cannot use named (the page answers 422 with it, never a 500)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.workflow.adapters.case_queries import Position, Sort
from services.workflow.domain.case_search import Looking
from services.workflow.handlers.queues import Queue, QueueAsk
from services.workflow.web.queue_form import BadQueue, Problem, queue_query, read_queue
from shared.contract.catalogue import load_catalogue

CATALOGUE = load_catalogue()


def read(admin: bool = False, **params: str | list[str]) -> QueueAsk:
    asked = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    return read_queue(asked, admin=admin, catalogue=CATALOGUE, secret=b"k")


def problems(**params: str | list[str]) -> tuple[Problem, ...]:
    with pytest.raises(BadQueue) as refused:
        read(**params)
    return refused.value.problems


def test_nothing_asked_is_my_open_cases_newest_first_and_an_admins_every_unit() -> None:
    assert read() == QueueAsk(queue=Queue.mine, sort=Sort.newest)
    assert read(admin=True).queue is Queue.unit


def test_a_filtered_queue_is_read_in_words_people_type() -> None:
    ask = read(
        view="overdue",
        q="  หลังคา  รั่ว ",
        status=["in_progress", "assigned"],
        channel="line",
        category="facilities",
        kind="",
        **{"from": "1/11/2569", "to": "2026-11-30"},
    )
    assert ask.queue is Queue.overdue and ask.sort is Sort.due  # a deadline tab: soonest first
    assert ask.search is not None and (ask.search.looking, ask.search.value) == (
        Looking.words,
        "หลังคา รั่ว",
    )
    assert ask.statuses == ("in_progress", "assigned")
    assert (ask.channels, ask.categories, ask.kinds) == (("line",), ("facilities",), ())
    assert (ask.received_from, ask.received_to) == (date(2026, 11, 1), date(2026, 11, 30))


def test_open_is_the_default_and_all_means_any_status() -> None:
    assert read(status="open").statuses is None
    assert read(status="all").statuses == ()
    assert "received" in (read(status=["open", "closed"]).statuses or ())


def test_only_an_admin_picks_a_unit() -> None:
    assert read(admin=True, unit="legal").unit == "legal"
    assert read(unit="legal").unit is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"view": "everything"}, [Problem("view", "unknown")]),
        ({"status": "lost"}, [Problem("status", "unknown")]),
        (
            {"channel": "pigeon", "priority": "asap"},
            [Problem("channel", "unknown"), Problem("priority", "unknown")],
        ),
        ({"category": "no-such"}, [Problem("category", "unknown")]),
        ({"from": "31/2/2569"}, [Problem("from", "date")]),
        ({"from": "2026-12-01", "to": "2026-11-01"}, [Problem("to", "range")]),
        ({"q": "ก" * 101}, [Problem("q", "long")]),
        ({"sort": "random"}, [Problem("sort", "unknown")]),
        ({"after": "garbage"}, [Problem("after", "page")]),
    ],
)
def test_every_value_it_cannot_use_is_named(
    params: dict[str, str], expected: list[Problem]
) -> None:
    assert list(problems(**params)) == expected


def test_an_admins_unknown_unit_is_named() -> None:
    with pytest.raises(BadQueue) as refused:
        read(admin=True, unit="nowhere")
    assert refused.value.problems == (Problem("unit", "unknown"),)


def test_a_page_position_is_read_in_its_order() -> None:
    at = datetime(2026, 12, 1, 3, 4, 5, 123000, tzinfo=UTC)
    position = Position.of(Sort.priority, {"_id": "c-1", "rank": 2, "received_at": at})
    ask = read(sort="priority", after=position.token())
    assert ask.position == position
    back = read(sort="priority", before=position.token())
    assert back.position is not None and back.position.before
    # A position of another order is not one of this list's pages.
    assert problems(sort="newest", after=position.token()) == (Problem("after", "page"),)


def test_the_address_reads_back_into_the_same_queue_in_one_order() -> None:
    at = datetime(2026, 12, 1, tzinfo=UTC)
    ask = read(
        admin=True,
        view="unit",
        unit="promotion",
        q="SG 7KQ4 M9XT 3PW5",
        status="awaiting_info",
        kind="complaint",
        priority="high",
        sort="oldest",
        **{"from": "5/11/2569"},
        after=Position.of(Sort.oldest, {"_id": "c-2", "received_at": at}).token(),
    )
    query = queue_query(ask)
    assert [k for k, _ in query] == [
        "view", "unit", "q", "status", "kind", "priority", "from", "sort", "after",
    ]  # fmt: skip
    assert dict(query)["q"] == "SG-7KQ4-M9XT-3PW5" and dict(query)["from"] == "2026-11-05"
    again: dict[str, str | list[str]] = {k: v for k, v in query}
    assert read(admin=True, **again) == ask
    assert [k for k, _ in queue_query(ask, page=False)][-1] == "sort"
    assert queue_query(read()) == [("view", "mine")]
