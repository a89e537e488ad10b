"""Report tables from view documents, and their CSV form."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from services.reporting.api.csv_export import csv_response, to_csv
from services.reporting.domain import views as v
from services.reporting.domain.ita import ita_complaint_stats
from services.reporting.domain.summary import summarise
from services.reporting.domain.tables import (
    Table,
    UnknownDimension,
    ita_table,
    notifications_table,
    satisfaction_table,
    sla_table,
    stages_table,
    status_table,
    summary_and_table,
    summary_table,
    timeseries_table,
)
from services.reporting.read_cache.cells import flat_cell
from shared.contract.events import CaseStatus, Channel, Clock, CloseReason
from shared.thai.fiscal import fiscal_months

from .histories import T0, Case, Replay, notification

DAY = timedelta(days=1)


def docs() -> list[dict[str, object]]:
    a, b = Case("a"), Case("b", T0 + 40 * DAY)
    events = [
        a.opened(channel=Channel.web, deadlines={Clock.resolution: T0 + 15 * DAY}),
        a.assigned(after=DAY),
        a.status(CaseStatus.assigned, CaseStatus.resolved, after=DAY),
        a.survey(4, True, after=DAY),
        a.closed(CloseReason.resolved, after=DAY),
        b.opened(channel=Channel.line, unit="legal"),
        notification("a", "email"),
        notification("a", "line", failed=True),
    ]
    return Replay().feed(events).views.documents(v.CASES)


def test_summary_grouped_by_channel() -> None:
    t = summary_table(docs(), ["channel"])
    rows = {r["channel"]: r for r in t.records()}
    assert rows["web"]["received"] == 1 and rows["web"]["completed"] == 1
    assert rows["web"]["answered_15d_share"] == 1.0 and rows["web"]["satisfaction_mean"] == 4.0
    assert rows["line"]["in_progress"] == 1 and rows["line"]["answered_15d_share"] is None


def test_the_summary_with_groups_adds_up_like_the_summary_and_table_apart() -> None:
    flat = [flat_cell(d, v.CASE_KEY) for d in docs()]
    for cells in (docs(), flat):
        whole, table = summary_and_table(cells, ["unit", "channel"])
        assert whole == summarise(docs()) and whole.received == 2
        assert table == summary_table(docs(), ["unit", "channel"]) and len(table.rows) == 2


def test_unknown_dimension_is_refused() -> None:
    with pytest.raises(UnknownDimension):
        summary_table(docs(), ["assignee"])


def test_timeseries_lists_every_month_of_the_year() -> None:
    t = timeseries_table(docs(), fiscal_months(2570))
    received = {r["month"]: r["received"] for r in t.records()}
    assert len(received) == 12 and received["2026-10"] == 1 and received["2026-11"] == 1
    assert received["2027-09"] == 0


def test_sla_satisfaction_stages_statuses() -> None:
    sla = {r["deadline"]: r for r in sla_table(docs()).records()}
    assert sla["s38_answer_15_days"]["met"] == 1 and sla["resolution"]["share_met"] == 1.0
    [sat] = satisfaction_table(docs()).records()
    assert sat["responses"] == 1 and sat["rating_4"] == 1 and sat["response_rate"] == 1.0
    stages = {(r["measure"], r["stage"]): r for r in stages_table(docs()).records()}
    assert stages["span", "received_to_resolved"]["cases"] == 1
    statuses = {
        (r["state"], r["status_or_reason"]): r["cases"] for r in status_table(docs()).records()
    }
    assert statuses["open", "received"] == 1 and statuses["closed", "resolved"] == 1


def test_notifications_table() -> None:
    events = [notification("a", "email"), notification("a", "line", failed=True)]
    rows = notifications_table(Replay().feed(events).views.documents(v.NOTIFICATIONS)).records()
    assert rows == [
        {"channel": "email", "sent": 1, "failed": 0, "failed_permanent": 0, "failure_rate": 0.0},
        {"channel": "line", "sent": 0, "failed": 1, "failed_permanent": 1, "failure_rate": 1.0},
    ]


def test_ita_table_has_every_channel_and_type() -> None:
    stats = ita_complaint_stats(docs(), 2570, 1)
    rows = {(r["section"], r["item"]): r for r in ita_table(stats).records()}
    assert rows["total", "all"]["received"] == 2
    assert all(("channel", str(c)) in rows for c in Channel)
    assert rows["type", "complaint:service"]["received"] == 2
    assert rows["satisfaction", "mean"]["value"] == 4.0


def test_csv_is_utf8_with_bom_and_defuses_formulas() -> None:
    table = Table(("category", "n"), [("หนังสือรับรอง", 3), ("=HYPERLINK(1)", None)])
    text = to_csv(table)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["category", "n"], ["หนังสือรับรอง", "3"], ["'=HYPERLINK(1)", ""]]
    response = csv_response(table, "siang summary/2570")
    assert bytes(response.body).startswith("\ufeff".encode())
    assert (
        response.headers["content-disposition"] == 'attachment; filename="siang-summary-2570.csv"'
    )
