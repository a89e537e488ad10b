"""The batch applier: surveys that overtake their case wait for it; batches of any size
and any split give the views of the events applied one by one in order."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.reporting.domain import views as v
from services.reporting.domain.batch import Applier, parks, surveyable
from services.reporting.read_cache.memory_views import MemoryViews, fold
from shared.contract.events import CaseStatus, Clock, CloseReason, CloudEvent, SurveyAnswered

from .histories import T0, Case, Replay, histories, interleaving, notification, readings

DAY = timedelta(days=1)


def resolved_case() -> tuple[Case, list[CloudEvent[Any]]]:
    c = Case("c1")
    events = [
        c.opened(deadlines={Clock.resolution: T0 + 15 * DAY}),
        c.assigned(after=DAY),
        c.status(CaseStatus.assigned, CaseStatus.resolved, after=DAY),
    ]
    return c, events


def test_a_survey_before_its_case_is_parked_then_applied_after_the_resolution() -> None:
    c, events = resolved_case()
    survey = c.survey(4, True, after=DAY)
    first = Applier().feed_all([survey]).outcome()
    assert first.parked == [survey] and first.updates == [] and first.applied == [survey]

    # Next batch: the case arrives; the parked survey is adopted after its resolution.
    out = Applier({}, {"c1": [survey]}).feed_all(events).outcome()
    assert out.adopted == [survey.id] and out.parked == []
    expected = Replay().feed([*events, survey]).views.snapshot()
    assert fold(out.updates) == expected


def test_a_survey_before_the_resolution_waits_for_it() -> None:
    c, events = resolved_case()
    survey = c.survey(2, False, at=T0 + 20 * DAY)  # answered after the deadline
    out = Applier().feed_all([*events[:2], survey, events[2]]).outcome()
    assert out.parked == [] and out.adopted == []
    views = MemoryViews()
    views.apply(out.updates)
    [doc] = views.documents(v.CASES)
    # Timed at its resolution, the case met its deadlines; the survey did not undo that.
    assert doc["s38"] == {"in_time": 1} and doc["survey"]["n"] == 1
    assert fold(out.updates) == Replay().feed([*events, survey]).views.snapshot()


def test_a_survey_of_a_case_never_resolved_stays_parked() -> None:
    c = Case("c9")
    out_applier = Applier()
    out = out_applier.feed_all([c.opened(), c.survey(5, True, after=DAY)]).outcome()
    assert len(out.parked) == 1
    assert list(out_applier.still_parked()) == ["c9"]


def test_a_survey_adopted_before_a_reassignment_reads_as_applied_in_order() -> None:
    """Found by the property below: a survey that overtook a case resolved twice is
    adopted at the first resolution; the case then moves to another unit."""
    c = Case("c0")
    history = [
        c.opened(),
        c.closed(CloseReason.resolved),
        c.reopened(1),
        c.assigned("finance"),
        c.closed(CloseReason.resolved),
        c.survey(1, False),
    ]
    expected = Replay().feed(history).views.snapshot()
    views, facts, parked = MemoryViews(), {}, {}
    for e in [history[-1], *history[:-1]]:  # the survey first, then one event per batch
        applier = Applier(facts, parked)
        out = applier.feed_all([e]).outcome()
        views.apply(out.updates)
        facts.update(out.facts)
        parked = applier.still_parked()
    assert readings(views.snapshot()) == readings(expected) and parked == {}
    [finance] = readings(views.snapshot())[v.CASES]  # the case moved out of admin wholly
    assert finance["unit"] == "finance" and finance["survey"]["not_solved"] == 1
    # The admin cell keeps zeros for the survey it counted first, as MongoDB would.
    admin = next(d for d in views.snapshot()[v.CASES] if d["unit"] == "admin")
    assert admin["survey"]["n"] == 0


def test_reopened_cases_stay_surveyable() -> None:
    c = Case("c2")
    history = [
        c.opened(),
        c.closed(CloseReason.duplicate, after=DAY),
        c.reopened(1, after=DAY),
        c.status(CaseStatus.closed, CaseStatus.in_progress),
    ]
    replay = Replay().feed(history)
    facts = replay.facts["c2"]
    assert facts.status == CaseStatus.in_progress and surveyable(facts)
    survey = c.survey(3, True)
    assert isinstance(survey.data, SurveyAnswered) and not parks(survey, facts)
    assert parks(survey, None)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), histories())
def test_any_batching_with_surveys_running_ahead_gives_the_in_order_views(
    data: st.DataObject, per_case: list[list[CloudEvent[Any]]]
) -> None:
    expected = Replay().feed(e for h in per_case for e in h).views.snapshot()
    events = data.draw(interleaving(per_case))
    surveys = [e for e in events if isinstance(e.data, SurveyAnswered)]
    rest = [e for e in events if not isinstance(e.data, SurveyAnswered)]
    order = data.draw(interleaving([surveys, rest]))
    views = MemoryViews()
    facts: dict[str, Any] = {}
    parked: dict[str, list[CloudEvent[Any]]] = {}
    i = 0
    while i < len(order):
        size = data.draw(st.integers(1, 12))
        batch = order[i : i + size]
        i += size
        applier = Applier(facts, parked)
        out = applier.feed_all(batch).outcome()
        views.apply(out.updates)
        facts.update(out.facts)
        parked = applier.still_parked()
    # Equal as read: a survey adopted early (after the first of two resolutions) was
    # counted in the cell the case then moved out of, which keeps zeros for it.
    assert readings(views.snapshot()) == readings(expected)
    assert parked == {}


def test_each_event_is_recorded_where_its_effect_is_written() -> None:
    """A case's events on its facts, a waiting survey by its parked document, the rest
    (a notification, an event of a case never opened) in the ledger."""
    _, events = resolved_case()
    survey = Case("c2").survey(5, True)  # its case comes later
    ghost = Case("ghost").commented()
    notice = notification("c1")
    out = Applier().feed_all([*events, survey, ghost, notice]).outcome()
    assert out.recorded == {"c1": [e.id for e in events]}
    assert set(out.facts) == {"c1"}
    assert out.parked == [survey]
    assert out.ledgered() == [ghost.id, notice.id]

    # The survey adopted later is recorded on its case's facts with the case's events.
    c2 = Case("c2")
    later = [c2.opened(), c2.status(CaseStatus.received, CaseStatus.resolved, after=DAY)]
    adopted = Applier({}, {"c2": [survey]}).feed_all(later).outcome()
    assert adopted.recorded == {"c2": [later[0].id, later[1].id, survey.id]}
    assert adopted.ledgered() == []
