"""Reducers, event type by event type: the facts kept and the view updates made."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.reporting.domain import views as v
from services.reporting.domain.reducers import Reduction, case_id_of, reduce
from services.reporting.domain.summary import flatten, select
from shared.contract.events import (
    CaseStatus as S,
)
from shared.contract.events import (
    Channel,
    Clock,
    CloseReason,
    ComplaintType,
    Kind,
    SubmissionReceived,
    Visibility,
)
from shared.thai.dates import BANGKOK

from .histories import T0, Case, Replay, event, notification

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def measures(replay: Replay, **dims: Any) -> dict[str, int]:
    """The non-zero measures of the single report_cases cell matching `dims`."""
    docs = select(replay.views.documents(v.CASES), **dims)
    assert len(docs) == 1, docs
    doc = {k: val for k, val in docs[0].items() if k not in v.CASE_KEY}
    return {k: n for k, n in flatten(doc).items() if n}


def opened(c: Case, **kw: Any) -> Replay:
    return Replay().feed([c.opened(**kw)])


# ----------------------------------------------------------------------- opened


def test_opened_counts_one_received_case_in_its_bangkok_period() -> None:
    c = Case("c1", datetime(2026, 9, 30, 20, 0, tzinfo=UTC))  # 1 Oct 03:00 in Bangkok
    r = opened(
        c,
        unit="finance",
        category="documents",
        kind=Kind.complaint,
        complaint_type=ComplaintType.misconduct,
        channel=Channel.line,
    )
    [doc] = r.views.documents(v.CASES)
    assert {k: doc[k] for k in v.CASE_KEY} == {
        "fiscal_year": 2570,
        "round": 1,
        "month": "2026-10",
        "unit": "finance",
        "category": "documents",
        "kind": "complaint",
        "complaint_type": "misconduct",
        "channel": "line",
    }
    assert measures(r) == {"received": 1, "open.received": 1}
    facts = r.facts["c1"]
    assert facts.status == "received"
    assert facts.s38_due == c.at + timedelta(days=15)  # no deadline given: 15 calendar days


def test_opened_uses_the_resolution_deadline_for_s38() -> None:
    due = T0 + timedelta(days=21)
    r = opened(Case(), deadlines={Clock.resolution: due})
    assert r.facts["c1"].s38_due == due


def test_a_second_opening_of_a_known_case_changes_nothing() -> None:
    c = Case()
    r = Replay().feed([c.opened()])
    again = reduce(c.opened(), r.facts["c1"])
    assert again == Reduction(r.facts["c1"], ())


def test_times_are_kept_to_the_millisecond_like_bson() -> None:
    r = opened(Case("c1", T0.replace(microsecond=123456)))
    assert r.facts["c1"].received_at.microsecond == 123000


# ---------------------------------------------------------------------- triaged


def test_triage_in_the_same_unit_moves_the_status_and_times_the_stage() -> None:
    c = Case()
    r = Replay().feed([c.opened(), c.triaged(after=2 * HOUR)])
    assert measures(r) == {
        "received": 1,
        "open.triaged": 1,
        "dwell.received.b03": 1,
        "dwell.received.sum_s": 7200,
    }


def test_triage_to_another_unit_moves_everything_to_the_new_cell() -> None:
    c = Case()
    r = Replay().feed([c.opened(unit="admin"), c.triaged("legal", "school-admission", after=HOUR)])
    assert measures(r, unit="legal", category="school-admission")["received"] == 1
    assert measures(r, unit="admin") == {}  # left with zeros
    assert r.facts["c1"].dims.unit == "legal"


def test_triage_acknowledges() -> None:
    c = Case()
    r = Replay().feed([c.opened(deadlines={Clock.acknowledge: T0 + DAY}), c.triaged(after=HOUR)])
    assert measures(r)["sla.acknowledge.met"] == 1


# --------------------------------------------------------------------- assigned


def test_assignment_times_received_to_assigned_once() -> None:
    c = Case()
    r = Replay().feed(
        [
            c.opened(),
            c.assigned(after=5 * HOUR),
            c.status(S.assigned, S.in_progress, after=HOUR),
            c.assigned("admin", "somsri", after=DAY),  # reassignment: not a new first assignment
        ]
    )
    m = measures(r)
    assert m["span.received_to_assigned.sum_s"] == 5 * 3600
    assert m["span.received_to_assigned.b05"] == 1
    assert m["open.in_progress"] == 1  # reassignment does not move the status back
    assert "open.assigned" not in m


def test_assignment_event_with_and_without_a_status_change_agree() -> None:
    a, b = Case("c1"), Case("c1")
    with_change = Replay().feed(
        [a.opened(), a.status(S.received, S.assigned, after=HOUR), a.assigned()]
    )
    without = Replay().feed([b.opened(), b.assigned(after=HOUR)])
    assert with_change.views.snapshot() == without.views.snapshot()


def test_reassignment_to_another_unit_moves_the_case() -> None:
    c = Case()
    r = Replay().feed([c.opened(unit="admin"), c.assigned("finance", after=HOUR)])
    assert measures(r, unit="finance")["open.assigned"] == 1
    assert measures(r, unit="admin") == {}


# --------------------------------------------------------------- status_changed


def test_status_changes_move_the_open_count() -> None:
    c = Case()
    r = Replay().feed(
        [
            c.opened(),
            c.status(S.received, S.triaged, after=HOUR),
            c.status(S.triaged, S.assigned, after=HOUR),
            c.status(S.assigned, S.in_progress, after=HOUR),
            c.status(S.in_progress, S.awaiting_info, after=HOUR),
            c.status(S.awaiting_info, S.in_progress, after=3 * HOUR),
            c.status(S.in_progress, S.awaiting_info, after=HOUR),
        ]
    )
    m = measures(r)
    assert {k: n for k, n in m.items() if k.startswith("open.")} == {"open.awaiting_info": 1}
    # dwell in in_progress is the total of both visits, observed once
    assert m["dwell.in_progress.sum_s"] == 2 * 3600
    assert m["dwell.in_progress.b03"] == 1


def test_resolved_in_time() -> None:
    c = Case()
    r = Replay().feed(
        [
            c.opened(
                deadlines={Clock.resolution: T0 + 10 * DAY, Clock.first_response: T0 + 2 * DAY}
            ),
            c.assigned(after=DAY),
            c.status(S.assigned, S.in_progress),
            c.status(S.in_progress, S.resolved, after=3 * DAY),
        ]
    )
    m = measures(r)
    assert m["resolved"] == 1
    assert m["s38.in_time"] == 1
    assert m["sla.resolution.met"] == 1
    assert m["sla.first_response.missed"] == 1  # first answer only at resolution, day 4
    assert m["span.received_to_resolved.sum_s"] == 4 * 86400
    assert m["span.assigned_to_resolved.sum_s"] == 3 * 86400
    assert m["span.received_to_answered.sum_s"] == 4 * 86400
    assert m["open.resolved"] == 1


def test_s38_fallback_is_fifteen_calendar_days_inclusive() -> None:
    on_time, late = Case("a"), Case("b")
    r = Replay().feed(
        [
            on_time.opened(),
            on_time.commented(after=15 * DAY),
            late.opened(),
            late.commented(after=15 * DAY + timedelta(seconds=1)),
        ]
    )
    docs = r.views.documents(v.CASES)
    assert sum(flatten(d).get("s38.in_time", 0) for d in docs) == 1
    assert sum(flatten(d).get("s38.late", 0) for d in docs) == 1


def test_an_unanswered_case_is_late_once_any_event_shows_the_deadline_passed() -> None:
    c = Case()
    r = Replay().feed(
        [
            c.opened(),
            c.commented(Visibility.internal, after=16 * DAY),
            c.commented(Visibility.public, after=DAY),  # answering later does not undo it
        ]
    )
    m = measures(r)
    assert m["s38.late"] == 1
    assert "s38.in_time" not in m


# -------------------------------------------------------------------- commented


def test_internal_comment_is_not_an_answer() -> None:
    c = Case()
    r = Replay().feed([c.opened()])
    red = reduce(c.commented(Visibility.internal, after=HOUR), r.facts["c1"])
    assert red.updates == ()
    assert red.new_facts is not None and red.new_facts.answered_at is None


def test_public_comment_is_the_first_answer() -> None:
    c = Case()
    r = Replay().feed([c.opened(), c.commented(after=2 * DAY), c.commented(after=DAY)])
    m = measures(r)
    assert m["s38.in_time"] == 1
    assert m["span.received_to_answered.sum_s"] == 2 * 86400


# ----------------------------------------------------------------------- closed


def test_closing_counts_by_reason_once_with_or_without_a_status_change() -> None:
    a, b = Case("c1"), Case("c1")
    both = Replay().feed(
        [a.opened(), a.status(S.received, S.closed, after=HOUR), a.closed(CloseReason.withdrawn)]
    )
    only = Replay().feed([b.opened(), b.closed(CloseReason.withdrawn, after=HOUR)])
    assert both.views.snapshot() == only.views.snapshot()
    m = measures(only)
    assert m["closed"] == 1 and m["closed_by.withdrawn"] == 1
    assert "open.received" not in m
    assert "resolved" not in m  # withdrawn is not resolved
    assert m["span.received_to_closed.sum_s"] == 3600


def test_closed_as_resolved_without_a_resolved_status_counts_as_resolved() -> None:
    c = Case()
    r = Replay().feed([c.opened(), c.closed(CloseReason.resolved, after=DAY)])
    assert measures(r)["resolved"] == 1


def test_closing_stops_the_resolution_clock() -> None:
    c = Case()
    r = Replay().feed(
        [
            c.opened(deadlines={Clock.resolution: T0 + DAY}),
            c.closed(CloseReason.referred, after=HOUR),
        ]
    )
    assert measures(r)["sla.resolution.met"] == 1


# --------------------------------------------------------------------- reopened


def test_reopen_from_resolved_and_resolve_again_replaces_the_durations() -> None:
    c = Case()
    r = Replay().feed(
        [
            c.opened(),
            c.assigned(after=HOUR),
            c.status(S.assigned, S.in_progress),
            c.status(S.in_progress, S.resolved, after=DAY),
            c.reopened(1, after=DAY),
            c.status(S.in_progress, S.resolved, after=DAY),
        ]
    )
    m = measures(r)
    assert m["reopened"] == 1
    assert m["resolved"] == 1  # the case, once
    assert m["open.resolved"] == 1
    assert m["span.received_to_resolved.sum_s"] == 3 * 86400 + 3600  # the latest resolution
    assert sum(n for k, n in m.items() if k.startswith("span.received_to_resolved.b")) == 1


def test_reopen_of_a_closed_case_takes_back_the_closing() -> None:
    c = Case()
    r = Replay().feed(
        [c.opened(), c.closed(CloseReason.resolved, after=DAY), c.reopened(after=DAY)]
    )
    m = measures(r)
    assert m["open.in_progress"] == 1
    assert "closed" not in m and "closed_by.resolved" not in m
    assert r.facts["c1"].close_reason is None


def test_reopen_with_a_status_change_beside_counts_once() -> None:
    a, b = Case("c1"), Case("c1")
    head = [S.received, S.resolved]
    one = Replay().feed(
        [
            a.opened(),
            a.status(*head, after=DAY),
            a.reopened(after=DAY),
            a.status(S.resolved, S.in_progress),
        ]
    )
    two = Replay().feed([b.opened(), b.status(*head, after=DAY), b.reopened(after=DAY)])
    assert one.views.snapshot() == two.views.snapshot()


# ---------------------------------------------------------------------- merged


def test_merged_counts_once() -> None:
    c = Case()
    r = Replay().feed([c.opened(), c.merged(after=HOUR), c.merged()])
    assert measures(r)["merged"] == 1


# ------------------------------------------------------------------------- SLA


def test_warnings_count_each_event() -> None:
    c = Case()
    r = Replay().feed(
        [
            c.opened(),
            c.warning(Clock.resolution, 50, after=HOUR),
            c.warning(Clock.resolution, 75, after=HOUR),
        ]
    )
    assert measures(r)["warnings.resolution"] == 2


def test_a_breach_counts_once_per_clock_and_misses_it() -> None:
    c = Case()
    r = Replay().feed(
        [
            c.opened(),
            c.breached(Clock.acknowledge, after=HOUR),
            c.breached(Clock.acknowledge, after=HOUR),
            c.triaged(after=HOUR),
        ]
    )
    m = measures(r)
    assert m["breaches.acknowledge"] == 1
    assert m["sla.acknowledge.missed"] == 1
    assert "sla.acknowledge.met" not in m


def test_a_deadline_passing_unmet_is_missed() -> None:
    c = Case()
    r = Replay().feed(
        [c.opened(deadlines={Clock.acknowledge: T0 + HOUR}), c.triaged(after=2 * HOUR)]
    )
    assert measures(r)["sla.acknowledge.missed"] == 1


# --------------------------------------------------------------------- surveys


def test_survey_counts_the_first_answer_only() -> None:
    c = Case()
    r = Replay().feed(
        [
            c.opened(),
            c.status(S.received, S.resolved, after=DAY),
            c.survey(4, True, after=DAY),
            c.survey(1, False, after=DAY),
        ]
    )
    m = measures(r)
    assert m["survey.n"] == 1
    assert m["survey.rating_sum"] == 4
    assert m["survey.rating.4"] == 1
    assert m["survey.solved"] == 1
    assert "survey.not_solved" not in m


# --------------------------------------------------------------- notifications


@pytest.mark.parametrize("case_id", ["c1", None])
def test_notifications_count_by_channel_and_period_with_or_without_a_case(
    case_id: str | None,
) -> None:
    at = datetime(2027, 4, 1, 0, 30, tzinfo=BANGKOK)
    sent = notification(case_id, "line", failed=False, at=at)
    failed = notification(case_id, "line", failed=True, at=at)
    assert case_id_of(sent) is None
    r = Replay().feed([sent, failed])
    assert r.views.documents(v.NOTIFICATIONS) == [
        {
            "fiscal_year": 2570,
            "round": 2,
            "month": "2027-04",
            "channel": "line",
            "sent": 1,
            "failed": 1,
            "failed_permanent": 1,
        }
    ]
    assert r.views.documents(v.CASES) == []


def test_notifications_leave_facts_alone() -> None:
    c = Case()
    facts = Replay().feed([c.opened()]).facts["c1"]
    assert reduce(notification("c1"), facts).new_facts is facts


# --------------------------------------------------------------------- orphans


def test_events_of_an_unknown_case_count_as_orphans_only() -> None:
    ghost = Case("ghost")
    r = Replay().feed([ghost.commented(), ghost.closed(), ghost.survey()])
    assert r.facts == {}
    assert r.views.documents(v.ORPHANS) == [
        {"event_type": "case.closed", "n": 1},
        {"event_type": "case.commented", "n": 1},
        {"event_type": "survey.answered", "n": 1},
    ]
    assert r.views.documents(v.CASES) == []


def test_submissions_are_ignored() -> None:
    data = SubmissionReceived(
        submission_id="s1",
        tracking_code="T1",
        channel=Channel.web,
        kind=Kind.question,
        category="documents",
        subject="x",
        description="y",
        received_at=T0,
    )
    e = event(data, T0, subject="s1")
    assert case_id_of(e) is None
    assert reduce(e, None) == Reduction(None, ())


def test_facts_of_another_case_are_a_wiring_error() -> None:
    facts = Replay().feed([Case("c1").opened()]).facts["c1"]
    with pytest.raises(ValueError, match="c1"):
        reduce(Case("c2").commented(), facts)


def test_reduce_does_not_change_the_facts_it_is_given() -> None:
    c = Case()
    facts = Replay().feed([c.opened()]).facts["c1"]
    before = (dict(facts.contributions), dict(facts.outcomes), dict(facts.dwell_s))
    reduce(c.closed(after=DAY), facts)
    assert (dict(facts.contributions), dict(facts.outcomes), dict(facts.dwell_s)) == before
