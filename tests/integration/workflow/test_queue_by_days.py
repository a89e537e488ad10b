"""A long queue read a window of days at a time (`CaseStore.queue_page`) gives exactly the
page and the count of the one plain aggregation, whatever the filter, the order and the
page asked for: over cases months and years apart, with ties on the instant received,
one received in the future, and filters that select nothing."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from deploy.local.busy_office import office, write
from services.workflow.adapters.case_queries import (
    CaseFilter,
    Position,
    Sort,
    Window,
    queue_pipeline,
)
from services.workflow.adapters.case_store import CaseStore, QueueAnswer
from shared.contract.vocabulary import OPEN_STATUSES
from tests.integration.workflow.conftest import Workflow

LIMIT = 7
COUNT_UP_TO = 40
#: Where the cases sit, in days before now: a busy week, then gaps of months and years
#: (past the widest window, so the last one, open-ended, is needed), and one tomorrow.
CLUSTERS = (0, 2, 150, 160, 420, 1300, 2100)


def sparse(cases: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    for i, case in enumerate(cases):
        if i == 0:
            case["received_at"] = now + timedelta(days=1)
            continue
        days = CLUSTERS[i % len(CLUSTERS)]
        # Every third case shares its instant with the one before: ties broken by id.
        hours = (i - i % 3) % 40
        case["received_at"] = now - timedelta(days=days, hours=hours)
    return cases


def keys(answer: QueueAnswer) -> tuple[list[tuple[Any, ...]], int]:
    return [tuple(sorted(row.items())) for row in answer.rows], answer.total


async def both(
    store: CaseStore, wanted: CaseFilter, sort: Sort, position: Position | None, now: datetime
) -> QueueAnswer:
    plain = await store.queue(
        queue_pipeline(wanted, sort, position, limit=LIMIT, count_up_to=COUNT_UP_TO)
    )
    by_days = await store.queue_page(
        wanted, sort, position, limit=LIMIT, count_up_to=COUNT_UP_TO, now=now
    )
    assert keys(by_days) == keys(plain), (wanted, sort, position)
    return plain


async def test_pages_by_days_are_the_plain_pages(workflow: Workflow) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    busy = office(260, now, seed=7, days=20)
    sparse(busy.cases, now)
    store = workflow.ctx.store
    await write(store.cases.database, busy)
    unit, _ = Counter(c["unit"] for c in busy.cases).most_common(1)[0]
    hidden = busy.cases[5].get("assignee") or "nobody"
    filters = [
        CaseFilter(hidden_from=hidden, one_unit=True, unit=unit),  # a unit, any status
        CaseFilter(hidden_from=hidden, one_unit=True, unit=unit, statuses=OPEN_STATUSES),
        CaseFilter(hidden_from=hidden),  # every unit, any status
        CaseFilter(hidden_from=hidden, statuses=OPEN_STATUSES),
        CaseFilter(hidden_from=hidden, statuses=("closed",), channels=("line", "web")),
        # Some days: the last 200, or a window ending inside a gap.
        CaseFilter(
            hidden_from=hidden,
            one_unit=True,
            unit=unit,
            received=Window(start=now - timedelta(days=200)),
        ),
        CaseFilter(
            hidden_from=hidden,
            received=Window(start=now - timedelta(days=1500), end=now - timedelta(days=100)),
        ),
        # Nothing: a gap of months, a unit nobody has.
        CaseFilter(
            hidden_from=hidden,
            received=Window(start=now - timedelta(days=140), end=now - timedelta(days=100)),
        ),
        CaseFilter(hidden_from=hidden, one_unit=True, unit="no-such-unit"),
        CaseFilter(hidden_from=hidden, received=Window(start=now, end=now - timedelta(days=9))),
    ]
    pages = 0
    for wanted in filters:
        for sort in (Sort.newest, Sort.oldest):
            # Every page forward, and from each page the one before it, both ways.
            answer = await both(store, wanted, sort, None, now)
            while len(answer.rows) > LIMIT:
                pages += 1
                page = answer.rows[:LIMIT]
                await both(store, wanted, sort, Position.of(sort, page[0], before=True), now)
                answer = await both(store, wanted, sort, Position.of(sort, page[-1]), now)
    assert pages > 40  # the walk went deep, across the gaps
