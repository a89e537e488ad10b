"""A scripted history of four cases through the real Kafka into the real MongoDB: the
views, the summary API and the ITA report give exactly the expected numbers; surveys
that come before their case wait for it; every event delivered twice changes nothing;
a rebuild from `case_events` plus the journal equals the incremental views."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

from services.reporting.adapters.event_docs import event_doc
from services.reporting.domain.summary import summarise
from services.reporting.handlers.rebuild import Rebuilder
from shared.contract.events import (
    CaseStatus,
    Channel,
    Clock,
    CloseReason,
    CloudEvent,
    ComplaintType,
    Kind,
)
from shared.infra.auth import StaffRole
from shared.infra.event_store import store_document
from tests.integration.reporting.harness import Reporting, bearer
from tests.support import eventually
from tests.unit.reporting.histories import T0, Case, notification

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
COMMITTEE = bearer(StaffRole.committee)


def history() -> tuple[list[CloudEvent[Any]], list[CloudEvent[Any]], list[CloudEvent[Any]]]:
    """(case events, surveys, notifications) of four cases received in FY 2570 round 1."""
    a, b, c, d = Case("A", T0), Case("B", T0 + DAY), Case("C", T0 + 2 * DAY), Case("D")
    full = {Clock.acknowledge: T0 + DAY, Clock.resolution: T0 + 15 * DAY}
    cases = [
        # A: answered and resolved in time, closed; satisfied.
        a.opened(unit="triage", channel=Channel.web, deadlines=full),
        a.triaged(unit="admin", after=HOUR),
        a.assigned(unit="admin", after=HOUR),
        a.status(CaseStatus.assigned, CaseStatus.in_progress, at=T0 + DAY),
        a.status(CaseStatus.in_progress, CaseStatus.resolved, at=T0 + 3 * DAY),
        a.closed(CloseReason.resolved, at=T0 + 10 * DAY),
        # B: misconduct, resolved late after a breach; not satisfied, so reopened.
        b.opened(
            unit="legal",
            channel=Channel.line,
            complaint_type=ComplaintType.misconduct,
            deadlines={Clock.resolution: T0 + 16 * DAY},
        ),
        b.assigned(unit="legal", after=HOUR),
        b.breached(Clock.resolution, at=T0 + 17 * DAY),
        b.status(CaseStatus.assigned, CaseStatus.resolved, at=T0 + 20 * DAY),
        b.reopened(1, at=T0 + 21 * DAY + HOUR),
        # C: a question closed as not in scope the next day (answered in time).
        c.opened(unit="admin", kind=Kind.question, complaint_type=None, channel=Channel.phone),
        c.closed(CloseReason.not_in_scope, at=T0 + 3 * DAY),
        # D: feedback received in November, nothing done yet.
        d.opened(
            unit="admin",
            kind=Kind.feedback,
            complaint_type=None,
            channel=Channel.email,
            at=T0 + 40 * DAY,
        ),
    ]
    surveys = [
        a.survey(5, True, at=T0 + 4 * DAY),
        b.survey(2, False, at=T0 + 21 * DAY),
    ]
    notes = [
        notification("A", "email", at=T0 + HOUR),
        notification("B", "email", at=T0 + DAY),
        notification("B", "line", failed=True, at=T0 + DAY),
    ]
    return cases, surveys, notes


async def test_scripted_history(reporting: Reporting) -> None:
    cases, surveys, notes = history()
    total = len(cases) + len(surveys) + len(notes)

    # The surveys come first: they must wait for their cases, not count as orphans.
    await reporting.publish(surveys)
    await reporting.wait_applied(len(surveys))
    assert await reporting.ctx.store.parked_count() == 2
    await reporting.publish(cases + notes)
    await reporting.wait_applied(total)
    assert await reporting.ctx.store.parked_count() == 0

    s = summarise(await reporting.ctx.store.documents("report_cases", {"fiscal_year": 2570}))
    assert (s.received, s.in_progress, s.completed, s.closed) == (4, 2, 2, 2)
    assert s.open_by_status["in_progress"] == 1 and s.open_by_status["received"] == 1
    assert s.closed_by_reason["resolved"] == 1 and s.closed_by_reason["not_in_scope"] == 1
    assert (s.resolved_ever, s.reopened) == (2, 1)
    assert (s.answered_in_15_days.met, s.answered_in_15_days.missed) == (2, 1)
    assert (s.sla["resolution"].met, s.sla["resolution"].missed) == (1, 1)
    assert s.sla["resolution"].breaches == 1 and s.sla["acknowledge"].met == 1
    sat = s.satisfaction
    assert (sat.responses, sat.rating_sum, sat.solved, sat.not_solved) == (2, 7, 1, 1)
    assert dict(sat.distribution) == {1: 0, 2: 1, 3: 0, 4: 0, 5: 1}
    assert sat.response_rate.value == 1.0
    orphans = await reporting.ctx.store.documents("report_orphans")
    assert sum(d.get("n", 0) for d in orphans) == 0
    assert reporting.metric("siang_reporting_events_applied_total", type=cases[0].type) == 4

    # The summary API, as the committee sees it.
    r = await reporting.http.get(
        "/v1/reports/summary", params={"fiscal_year": 2570}, headers=COMMITTEE
    )
    assert r.status_code == 200, r.text
    body = r.json()["summary"]
    assert (body["received"], body["in_progress"], body["completed"]) == (4, 2, 2)
    assert body["answered_within_15_days"] == {
        "met": 2,
        "missed": 1,
        "breaches": 0,
        "share_met": 0.667,
    }
    assert body["satisfaction"]["mean"] == 3.5
    r = await reporting.http.get(
        "/v1/reports/summary",
        params={"fiscal_year": 2570, "group_by": "channel", "format": "csv"},
        headers=COMMITTEE,
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert {row["channel"]: row["received"] for row in rows} == {
        "email": "1",
        "line": "1",
        "phone": "1",
        "web": "1",
    }
    r = await reporting.http.get(
        "/v1/reports/timeseries", params={"fiscal_year": 2570}, headers=COMMITTEE
    )
    by_month = {row["month"]: row["received"] for row in r.json()["rows"]}
    assert by_month["2026-10"] == 3 and by_month["2026-11"] == 1 and len(by_month) == 12

    # Staff see their unit only.
    # Staff see their unit only; the unit's only case is a misconduct complaint, which
    # its supervisor counts and a member of its staff does not.
    head = bearer(StaffRole.supervisor, "legal")
    r = await reporting.http.get("/v1/reports/summary", headers=head)
    assert r.json()["summary"]["received"] == 1 and r.json()["filters"]["unit"] == "legal"
    legal = bearer(StaffRole.staff, "legal")
    r = await reporting.http.get("/v1/reports/summary", headers=legal)
    assert r.json()["summary"]["received"] == 0 and r.json()["filters"]["unit"] == "legal"
    r = await reporting.http.get("/v1/reports/summary", params={"unit": "admin"}, headers=legal)
    assert r.status_code == 403
    assert (await reporting.http.get("/v1/reports/summary")).status_code == 401

    # The ITA report of round 1: CSV figures and the printable Thai page.
    r = await reporting.http.get(
        "/reports/ita",
        params={"fiscal_year": 2570, "round": 1, "format": "csv"},
        headers=COMMITTEE,
    )
    assert r.status_code == 200
    ita = {
        (row["section"], row["item"]): row
        for row in csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")))
    }
    assert (ita["total", "all"]["received"], ita["total", "all"]["completed"]) == ("4", "2")
    assert ita["channel", "line"]["in_progress"] == "1"
    assert ita["type", "complaint:misconduct"]["received"] == "1"
    assert ita["type", "question"]["completed"] == "1"
    assert ita["answered_15_days", "share_met"]["value"] == "0.667"
    assert ita["satisfaction", "mean"]["value"] == "3.5"
    r = await reporting.http.get(
        "/reports/ita",
        params={"fiscal_year": 2570, "round": 1, "thai_digits": 1},
        headers=COMMITTEE,
    )
    assert r.status_code == 200
    assert "ปีงบประมาณ พ.ศ. ๒๕๗๐" in r.text and "1 ตุลาคม 2569" not in r.text
    assert "๑ ตุลาคม ๒๕๖๙" in r.text and "๓๑ มีนาคม ๒๕๗๐" in r.text

    # Every event delivered again changes nothing.
    before = await reporting.snapshot()
    await reporting.publish(cases + surveys + notes)

    async def skipped() -> bool:
        return reporting.metric("siang_reporting_events_duplicate_total") >= total

    await eventually(skipped, timeout=60, what="the duplicates skipped")
    assert await reporting.snapshot() == before

    # A rebuild from case_events plus the journal: case A as the workflow keeps it now
    # (a document per write, here its opening write and then one per later write), case B
    # in the older one-event-per-document shape.
    store = reporting.ctx.store
    a = [e for e in cases if e.subject == "A"]
    b = [e for e in cases if e.subject == "B"]
    await store.db["case_events"].insert_many(
        [store_document("A", 0, a[:2])]
        + [store_document("A", i, [e]) for i, e in enumerate(a[2:], start=2)]
        + [
            {
                "_id": e.id,
                "case_id": e.subject,
                "seq": i,
                "type": e.type,
                "time": e.time,
                "event": e.model_dump(mode="json", by_alias=True),
            }
            for i, e in enumerate(b)
        ]
    )
    # The journal holds pages; a journal written before pages held one event per
    # document, and may hold an event twice: the rebuild takes each event once.
    assert await store.journal.count_documents({}) < total
    await store.journal.insert_one(event_doc(surveys[0], datetime.now(UTC), 10**6))
    report = await Rebuilder(store, store.db["case_events"]).run()
    assert (report.version, report.previous, report.events) == (2, 1, total)
    assert (await store.current()).version == 2
    assert await reporting.snapshot() == before

    # The views keep moving after the swap, and the rebuild is on /metrics.
    await reporting.publish([Case("E", T0 + 5 * DAY).opened()])
    await reporting.wait_applied(total + 1)
    r = await reporting.http.get("/v1/reports/summary", headers=COMMITTEE)
    assert r.json()["summary"]["received"] == 5
    metrics = await reporting.http.get("/metrics")
    assert "siang_reporting_view_lag_seconds" in metrics.text
    assert "siang_reporting_events_applied_total" in metrics.text

    async def rebuild_metric() -> bool:
        return reporting.metric("siang_reporting_last_rebuild_seconds") > 0

    await eventually(rebuild_metric, timeout=10, what="the last rebuild on /metrics")
