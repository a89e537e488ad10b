"""ITA complaint statistics and the summary readers, from a scripted year of cases."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from services.reporting.domain import views as v
from services.reporting.domain.ita import TYPE_ROWS, ItaRow, ita_complaint_stats
from services.reporting.domain.summary import summarise, summarise_by, summarise_notifications
from shared.contract.events import CaseStatus as S
from shared.contract.events import Channel, CloseReason, ComplaintType, Kind
from shared.thai.dates import BANGKOK

from .histories import Case, Replay, notification

DAY = timedelta(days=1)
OCT = datetime(2026, 10, 5, 9, tzinfo=BANGKOK)  # FY 2570 round 1
APR = datetime(2027, 4, 2, 9, tzinfo=BANGKOK)  # FY 2570 round 2
SEP = datetime(2026, 9, 30, 9, tzinfo=BANGKOK)  # FY 2569


def scripted() -> Replay:
    c1, c2, c3 = Case("c1", OCT), Case("c2", OCT), Case("c3", OCT)
    c4, c5, c6 = Case("c4", APR), Case("c5", OCT), Case("c6", SEP)
    service, misconduct = ComplaintType.service, ComplaintType.misconduct
    events = [
        # answered in time, satisfied, closed
        c1.opened(channel=Channel.web, complaint_type=service),
        c1.assigned(after=DAY),
        c1.status(S.assigned, S.in_progress),
        c1.status(S.in_progress, S.resolved, after=2 * DAY),
        c1.survey(5, True, after=DAY),
        c1.closed(CloseReason.resolved, after=DAY),
        # answered late (no deadline given: 15 calendar days), unhappy, reopened
        c2.opened(channel=Channel.line, complaint_type=misconduct),
        c2.assigned(after=DAY),
        c2.status(S.assigned, S.in_progress),
        c2.status(S.in_progress, S.resolved, after=19 * DAY),
        c2.survey(2, False, after=DAY),
        c2.reopened(after=DAY),
        # still being worked on
        c3.opened(channel=Channel.phone, kind=Kind.feedback, complaint_type=None),
        c3.assigned(after=DAY),
        # round 2: referred elsewhere the next day
        c4.opened(channel=Channel.web, kind=Kind.question, complaint_type=None),
        c4.closed(CloseReason.referred, after=DAY),
        # a complaint without a type, withdrawn
        c5.opened(channel=Channel.email, complaint_type=None),
        c5.closed(CloseReason.withdrawn, after=DAY),
        # the year before
        c6.opened(channel=Channel.web),
        notification("c1", "email", at=OCT),
        notification("c2", "line", failed=True, at=OCT),
        notification(None, "email", at=OCT + DAY),
    ]
    return Replay().feed(events)


def test_whole_year() -> None:
    stats = ita_complaint_stats(scripted().views.documents(v.CASES), 2570)
    assert stats.period_start == datetime(2026, 10, 1, tzinfo=BANGKOK)
    assert stats.period_end == datetime(2027, 10, 1, tzinfo=BANGKOK)
    assert stats.total == ItaRow(received=5, in_progress=2, completed=3)
    assert stats.closed_by_reason["referred"] == 1
    assert stats.closed_by_reason["withdrawn"] == 1
    assert stats.by_channel["web"] == ItaRow(2, 0, 2)
    assert stats.by_channel["line"] == ItaRow(1, 1, 0)
    assert stats.by_channel["facebook"] == ItaRow(0, 0, 0)
    assert set(stats.by_channel) == {str(c) for c in Channel}
    assert stats.by_type[("complaint", "service")] == ItaRow(1, 0, 1)
    assert stats.by_type[("complaint", "misconduct")] == ItaRow(1, 1, 0)
    assert stats.by_type[("complaint", None)] == ItaRow(1, 0, 1)
    assert stats.by_type[("feedback", None)] == ItaRow(1, 1, 0)
    assert list(stats.by_type) == list(TYPE_ROWS)
    assert sum(r.received for r in stats.by_type.values()) == stats.total.received
    # c1 day 3, c4 and c5 day 1 in time; c2 answered on day 20
    assert (stats.answered_in_time.met, stats.answered_in_time.missed) == (3, 1)
    assert stats.answered_in_time.share_met.value == pytest.approx(0.75)
    sat = stats.satisfaction
    assert (sat.responses, sat.mean, sat.solved, sat.not_solved) == (2, 3.5, 1, 1)
    assert sat.distribution == {1: 0, 2: 1, 3: 0, 4: 0, 5: 1}
    # two cases reached "resolved" (c1, c2), both answered the survey
    assert sat.response_rate.value == 1.0


def test_rounds() -> None:
    docs = scripted().views.documents(v.CASES)
    first = ita_complaint_stats(docs, 2570, 1)
    second = ita_complaint_stats(docs, 2570, 2)
    assert first.total.received == 4 and second.total.received == 1
    assert second.period_start == datetime(2027, 4, 1, tzinfo=BANGKOK)
    assert ita_complaint_stats(docs, 2569).total.received == 1


def test_summary_reads_stage_times_and_groups() -> None:
    docs = scripted().views.documents(v.CASES)
    s = summarise([d for d in docs if d["fiscal_year"] == 2570])
    to_assign = s.spans["received_to_assigned"]
    assert to_assign.n == 3 and to_assign.mean_hours == 24.0
    assert to_assign.median_hours is not None and 22.6 <= to_assign.median_hours < 32
    by_kind = summarise_by(docs, ("fiscal_year", "kind"))
    assert by_kind[(2570, "complaint")].received == 3
    assert by_kind[(2569, "complaint")].received == 1
    assert s.reopened == 1
    assert s.open_by_status["in_progress"] == 1


def test_notification_summary() -> None:
    counts = summarise_notifications(scripted().views.documents(v.NOTIFICATIONS))
    assert counts["email"].sent == 2 and counts["email"].failed == 0
    assert counts["line"].failed == 1 and counts["line"].failed_permanent == 1
    assert counts["line"].failure_rate.value == 1.0
