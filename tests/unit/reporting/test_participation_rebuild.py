"""Rebuild equals incremental for the participation views: the events of random
consultations, committees (orders, meetings recorded again and closed), reviews and
mission surveys (and of cases, sharing the consumer) delivered in random batches, each
event twice, through the ledger, the batch applier and the readers' deltas, leave the
same views and the same report as a rebuild from the journal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.reporting.domain import views as v
from services.reporting.domain.batch import Applier
from services.reporting.domain.participation_report import (
    ParticipationReport,
    participation_report,
)
from services.reporting.domain.reducers import case_id_of
from services.reporting.read_cache.cells import Cells, flat_cell
from services.reporting.read_cache.deltas import decode_updates, encode_updates
from services.reporting.read_cache.memory_views import MemoryViews
from shared.contract.events import CloudEvent

from .histories import histories, interleaving
from .participation_histories import participation_histories, record_histories

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VIEWS = v.PARTICIPATION_VIEWS


def report_from(cells: dict[str, list[dict[str, Any]]], months: int) -> ParticipationReport:
    return participation_report(
        cells[v.CONSULTATIONS],
        cells[v.OUTCOMES],
        2570,
        months,
        meetings=cells[v.MEETINGS],
        orders=cells[v.ORDERS],
        reviews=cells[v.REVIEWS],
        surveys=cells[v.SURVEYS],
    )


def strings(value: Any) -> Iterator[str]:
    """Every string in a document, its field names included, however deep."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, x in value.items():
            yield k
            yield from strings(x)
    elif isinstance(value, list):
        for x in value:
            yield from strings(x)


def flat(views: MemoryViews) -> dict[str, list[dict[str, Any]]]:
    return {n: [flat_cell(d, v.VIEW_KEYS[n]) for d in views.documents(n)] for n in VIEWS}


def batches(data: st.DataObject, events: list[CloudEvent[Any]]) -> list[list[CloudEvent[Any]]]:
    """Random batches of `events`, then every event delivered again (at-least-once)."""
    order = events + events
    out, i = [], 0
    while i < len(order):
        size = data.draw(st.integers(1, 25))
        out.append(order[i : i + size])
        i += size
    return out


class Live:
    """What the consumer and one reader do: the ledger skips what was applied, each batch's
    updates go to the views and, through the encoded delta, to the reader's cells."""

    def __init__(self) -> None:
        self.ledger: set[str] = set()
        self.journal: list[CloudEvent[Any]] = []
        self.facts: dict[str, Any] = {}
        self.parked: dict[str, list[CloudEvent[Any]]] = {}
        self.views = MemoryViews()
        self.cells = Cells(1, 0, {})

    def apply(self, batch: list[CloudEvent[Any]]) -> None:
        fresh, seen = [], set()
        for e in batch:
            if e.id not in self.ledger and e.id not in seen:
                seen.add(e.id)
                fresh.append(e)
        if not fresh:
            return
        applier = Applier(self.facts, self.parked).feed_all(fresh)
        out = applier.outcome()
        self.facts.update(out.facts)
        self.parked = applier.still_parked()
        self.views.apply(out.updates)
        self.cells.advance(self.cells.batches + 1, 1, decode_updates(encode_updates(out.updates)))
        self.ledger.update(e.id for e in out.applied)
        self.journal.extend(out.applied)


def rebuilt(journal: list[CloudEvent[Any]]) -> MemoryViews:
    """As `handlers.rebuild` orders it: each case's events, then the events of no case in
    journal order (the participation events among them)."""
    per_case: dict[str, list[CloudEvent[Any]]] = {}
    no_case: list[CloudEvent[Any]] = []
    for e in journal:
        cid = case_id_of(e) or getattr(e.data, "case_id", None)
        (per_case.setdefault(cid, []) if cid else no_case).append(e)
    ordered = [e for cid in sorted(per_case) for e in per_case[cid]] + no_case
    views = MemoryViews()
    views.apply(Applier().feed_all(ordered).outcome().updates)
    return views


@SETTINGS
@given(st.data(), participation_histories(), record_histories(), histories(max_cases=2))
def test_rebuilt_participation_views_equal_the_incremental_ones(
    data: st.DataObject,
    consultations: list[list[CloudEvent[Any]]],
    records: list[list[CloudEvent[Any]]],
    cases: list[list[CloudEvent[Any]]],
) -> None:
    events = data.draw(interleaving(consultations + records + cases))
    live = Live()
    for batch in batches(data, events):
        live.apply(batch)
    rebuild = rebuilt(live.journal)

    incremental = {n: live.views.documents(n) for n in VIEWS}
    assert incremental == {n: rebuild.documents(n) for n in VIEWS}
    # The reader's copy, kept by deltas, says the same as the rebuilt documents.
    for n in VIEWS:
        expected = [flat_cell(d, v.VIEW_KEYS[n]) for d in rebuild.documents(n)]
        key = v.VIEW_KEYS[n]
        got = sorted(live.cells.select(n), key=lambda c: tuple(str(c[k]) for k in key))
        assert got == sorted(expected, key=lambda c: tuple(str(c[k]) for k in key))
    # Every consultation, meeting, review and survey of the histories is there, once.
    assert len(incremental[v.CONSULTATIONS]) == len(consultations)
    every = [e.data for h in records for e in h]
    for view, field in (
        (v.MEETINGS, "meeting_id"),
        (v.ORDERS, "order_id"),
        (v.REVIEWS, "review_id"),
        (v.SURVEYS, "survey_id"),
    ):
        ids = {getattr(d, field) for d in every if hasattr(d, field)}
        assert sorted(d[field] for d in incremental[view]) == sorted(ids)
    # No member id of a meeting reaches a view: only counts.
    members = {m for d in every for m in getattr(d, "present", []) + getattr(d, "absent", [])}
    assert not members & {x for n in VIEWS for d in incremental[n] for x in strings(d)}
    reader = {n: list(live.cells.select(n)) for n in VIEWS}
    for months in (6, 12):
        assert report_from(reader, months) == report_from(flat(rebuild), months)


@SETTINGS
@given(participation_histories())
def test_the_opinions_counted_are_the_opinions_given(
    consultations: list[list[CloudEvent[Any]]],
) -> None:
    events = [e for h in consultations for e in h]
    views = MemoryViews()
    views.apply(Applier().feed_all(events).outcome().updates)
    given_ = sum(1 for e in events if e.type.endswith("opinion_received.v1"))
    report = participation_report(
        [flat_cell(d, v.CONSULTATION_KEY) for d in views.documents(v.CONSULTATIONS)],
        [flat_cell(d, v.OUTCOME_KEY) for d in views.documents(v.OUTCOMES)],
        2570,
        12,
    )
    assert report.participants == given_
    assert sum(n or 0 for n in report.by_group.values()) == given_
