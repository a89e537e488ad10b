"""Properties over random valid histories: order, batching, storage and totals."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.reporting.domain import views as v
from services.reporting.domain.facts import facts_from_doc, facts_to_doc
from services.reporting.domain.reducers import case_id_of, reduce
from services.reporting.domain.summary import flatten, summarise
from services.reporting.domain.views import ViewUpdate, combine
from services.reporting.read_cache.memory_views import fold
from shared.contract.events import CloudEvent

from .histories import Replay, histories, interleaving

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def concat(per_case: list[list[CloudEvent[Any]]]) -> list[CloudEvent[Any]]:
    return [e for h in per_case for e in h]


@SETTINGS
@given(histories())
def test_event_by_event_equals_one_combined_batch(per_case: list[list[CloudEvent[Any]]]) -> None:
    replay = Replay().feed(concat(per_case))
    assert fold(combine(replay.updates)) == replay.views.snapshot()


@SETTINGS
@given(st.data(), histories())
def test_cases_interleaved_in_any_order_give_the_same_views(
    data: st.DataObject, per_case: list[list[CloudEvent[Any]]]
) -> None:
    expected = Replay().feed(concat(per_case)).views.snapshot()
    shuffled = data.draw(interleaving(per_case))
    assert Replay().feed(shuffled).views.snapshot() == expected


def _as_pymongo_returns(doc: Any) -> Any:
    # PyMongo (not tz_aware) returns naive UTC datetimes.
    if isinstance(doc, datetime):
        return doc.astimezone(UTC).replace(tzinfo=None)
    if isinstance(doc, dict):
        return {k: _as_pymongo_returns(x) for k, x in doc.items()}
    if isinstance(doc, list):
        return [_as_pymongo_returns(x) for x in doc]
    return doc


@SETTINGS
@given(histories(max_cases=3))
def test_facts_stored_between_events_give_the_same_results(
    per_case: list[list[CloudEvent[Any]]],
) -> None:
    in_memory = Replay().feed(concat(per_case))
    stored: dict[str, dict[str, Any]] = {}
    updates: list[ViewUpdate] = []
    for e in concat(per_case):
        case_id = case_id_of(e)
        doc = stored.get(case_id) if case_id else None
        r = reduce(e, facts_from_doc(doc) if doc else None)
        if case_id and r.new_facts is not None:
            stored[case_id] = _as_pymongo_returns(facts_to_doc(r.new_facts))
        updates.extend(r.updates)
    assert updates == in_memory.updates
    assert {k: facts_from_doc(d) for k, d in stored.items()} == in_memory.facts


@SETTINGS
@given(histories())
def test_views_equal_the_sum_of_every_case_contributions(
    per_case: list[list[CloudEvent[Any]]],
) -> None:
    replay = Replay().feed(concat(per_case))
    expected: dict[tuple[Any, ...], dict[str, int]] = defaultdict(dict)
    for facts in replay.facts.values():
        cell = expected[tuple(facts.dims.key().values())]
        for name, n in facts.contributions.items():
            cell[name] = cell.get(name, 0) + n
    actual = {}
    for doc in replay.views.documents(v.CASES):
        key = tuple(doc[k] for k in v.CASE_KEY)
        measures = {
            k: n
            for k, n in flatten({k: x for k, x in doc.items() if k not in v.CASE_KEY}).items()
            if n
        }
        if measures:
            actual[key] = measures
    assert actual == {k: c for k, c in expected.items() if c}


@SETTINGS
@given(histories())
def test_totals_are_consistent(per_case: list[list[CloudEvent[Any]]]) -> None:
    replay = Replay().feed(concat(per_case))
    docs = replay.views.documents(v.CASES)
    opened = len(replay.facts)
    for doc in docs:
        m = flatten({k: x for k, x in doc.items() if k not in v.CASE_KEY})
        assert all(n >= 0 for n in m.values()), m
        received = m.get(v.RECEIVED, 0)
        open_now = sum(n for k, n in m.items() if k.startswith("open."))
        assert received == open_now + m.get(v.CLOSED, 0)
        # every close in these histories comes with a case.closed, so every reason is known
        assert m.get(v.CLOSED, 0) == sum(n for k, n in m.items() if k.startswith("closed_by."))
        assert m.get(v.S38_IN_TIME, 0) + m.get(v.S38_LATE, 0) <= received
        assert m.get(v.SURVEY_COUNT, 0) <= received
        for prefix in {k.rsplit(".", 1)[0] for k in m if k.startswith(("span.", "dwell."))}:
            assert sum(n for k, n in m.items() if k.startswith(prefix + ".b")) <= received
    s = summarise(docs)
    assert s.received == opened
    assert s.in_progress + s.completed == s.received
    assert sum(s.satisfaction.distribution.values()) == s.satisfaction.responses
    assert s.satisfaction.responses == sum(f.surveyed for f in replay.facts.values())
    assert s.closed == sum(f.status == "closed" for f in replay.facts.values())
    for status, n in s.open_by_status.items():
        assert n == sum(f.status == status for f in replay.facts.values())
