"""Builders of case events for reporting tests, and a hypothesis strategy of valid histories."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from services.reporting.domain.facts import CaseFacts
from services.reporting.domain.reducers import case_id_of, reduce
from services.reporting.domain.views import VIEW_KEYS, ViewUpdate
from services.reporting.read_cache.memory_views import MemoryViews
from shared.contract.events import (
    CaseAssigned,
    CaseClosed,
    CaseCommented,
    CaseMerged,
    CaseOpened,
    CaseReopened,
    CaseSlaBreached,
    CaseSlaWarning,
    CaseStatus,
    CaseStatusChanged,
    CaseTriaged,
    Channel,
    Clock,
    CloseReason,
    CloudEvent,
    ComplaintType,
    Kind,
    NotificationFailed,
    NotificationSent,
    Priority,
    SurveyAnswered,
    Visibility,
    make_event,
)
from shared.infra.mongo import Document
from shared.thai.dates import BANGKOK

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=BANGKOK)  # FY 2570, round 1
#: The key of one `report_cases` cell in FY 2570 round 1.
KEY: dict[str, Any] = {
    "fiscal_year": 2570,
    "round": 1,
    "month": "2026-10",
    "unit": "admin",
    "category": "documents",
    "kind": "complaint",
    "complaint_type": None,
    "channel": "web",
}
_ids = itertools.count()


def event(data: BaseModel, at: datetime, subject: str | None = None) -> CloudEvent[Any]:
    case_id = getattr(data, "case_id", None)
    return make_event(
        data,
        source="test",
        subject=subject or case_id or "none",
        time=at,
        event_id=f"e{next(_ids)}",
    )


class Case:
    """One case's events, built in order; `at` is given or moves on by `step`."""

    def __init__(self, case_id: str = "c1", at: datetime = T0) -> None:
        self.case_id = case_id
        self.at = at

    def tick(self, after: timedelta) -> datetime:
        """Move the clock on and return the new time."""
        return self._at(None, after)

    def _at(self, at: datetime | None, after: timedelta | None) -> datetime:
        if at is not None:
            self.at = at
        elif after is not None:
            self.at = self.at + after
        return self.at

    def opened(
        self,
        *,
        unit: str = "admin",
        category: str = "documents",
        kind: Kind = Kind.complaint,
        complaint_type: ComplaintType | None = ComplaintType.service,
        channel: Channel = Channel.web,
        deadlines: dict[Clock, datetime] | None = None,
        at: datetime | None = None,
    ) -> CloudEvent[Any]:
        received = self._at(at, None)
        data = CaseOpened(
            case_id=self.case_id,
            submission_id=f"s-{self.case_id}",
            tracking_code=f"T-{self.case_id}",
            channel=channel,
            kind=kind,
            complaint_type=complaint_type,
            category=category,
            unit=unit,
            priority=Priority.normal,
            subject="เรื่องทดสอบ",
            received_at=received,
            deadlines=deadlines or {},
        )
        return event(data, received)

    def triaged(
        self, unit: str = "admin", category: str = "documents", **when: Any
    ) -> CloudEvent[Any]:
        data = CaseTriaged(
            case_id=self.case_id, unit=unit, priority=Priority.normal, category=category, actor="t"
        )
        return event(data, self._at(**_when(when)))

    def assigned(
        self, unit: str = "admin", assignee: str = "somchai", **when: Any
    ) -> CloudEvent[Any]:
        data = CaseAssigned(case_id=self.case_id, unit=unit, assignee=assignee, actor="s")
        return event(data, self._at(**_when(when)))

    def status(self, frm: CaseStatus, to: CaseStatus, **when: Any) -> CloudEvent[Any]:
        data = CaseStatusChanged.model_validate(
            {"case_id": self.case_id, "from": frm, "to": to, "command": "x", "actor": "s"}
        )
        return event(data, self._at(**_when(when)))

    def commented(self, visibility: Visibility = Visibility.public, **when: Any) -> CloudEvent[Any]:
        data = CaseCommented(
            case_id=self.case_id,
            comment_id=f"m{next(_ids)}",
            visibility=visibility,
            text="ok",
            author="s",
        )
        return event(data, self._at(**_when(when)))

    def merged(self, into: str = "c0", **when: Any) -> CloudEvent[Any]:
        data = CaseMerged(case_id=self.case_id, into_case_id=into, actor="s")
        return event(data, self._at(**_when(when)))

    def reopened(self, count: int = 1, **when: Any) -> CloudEvent[Any]:
        data = CaseReopened(case_id=self.case_id, reason="not fixed", actor="p", reopen_count=count)
        return event(data, self._at(**_when(when)))

    def warning(self, clock: Clock, percent: int = 50, **when: Any) -> CloudEvent[Any]:
        at = self._at(**_when(when))
        data = CaseSlaWarning(
            case_id=self.case_id, clock=clock, threshold_percent=percent, due_at=at, unit="admin"
        )
        return event(data, at)

    def breached(self, clock: Clock, **when: Any) -> CloudEvent[Any]:
        at = self._at(**_when(when))
        data = CaseSlaBreached(case_id=self.case_id, clock=clock, due_at=at, unit="admin")
        return event(data, at)

    def closed(self, reason: CloseReason = CloseReason.resolved, **when: Any) -> CloudEvent[Any]:
        data = CaseClosed(case_id=self.case_id, reason=reason, actor="s")
        return event(data, self._at(**_when(when)))

    def survey(self, rating: int = 5, solved: bool = True, **when: Any) -> CloudEvent[Any]:
        at = self._at(**_when(when))
        data = SurveyAnswered(case_id=self.case_id, rating=rating, solved=solved, answered_at=at)
        return event(data, at)


def _when(when: dict[str, Any]) -> dict[str, Any]:
    return {"at": when.get("at"), "after": when.get("after")}


def notification(
    case_id: str | None, channel: str = "email", failed: bool = False, at: datetime = T0
) -> CloudEvent[Any]:
    common: dict[str, Any] = {
        "notification_id": f"n{next(_ids)}",
        "case_id": case_id,
        "source_event_id": "e0",
        "channel": channel,
        "template": "case_opened",
        "recipient_role": "complainant",
        "attempts": 1,
    }
    if failed:
        data: BaseModel = NotificationFailed(**common, reason="bounced", permanent=True)
    else:
        data = NotificationSent(**common)
    return event(data, at, subject=case_id or "none")


# ------------------------------------------------------------------------- folding


class Replay:
    """Reduce events in order with a facts store, as the adapter does."""

    def __init__(self) -> None:
        self.facts: dict[str, CaseFacts] = {}
        self.views = MemoryViews()
        self.updates: list[ViewUpdate] = []

    def feed(self, events: Iterable[CloudEvent[Any]]) -> Replay:
        for e in events:
            case_id = case_id_of(e)
            r = reduce(e, self.facts.get(case_id) if case_id else None)
            if case_id and r.new_facts is not None:
                self.facts[case_id] = r.new_facts
            self.views.apply(r.updates)
            self.updates.extend(r.updates)
        return self


# --------------------------------------------------------------------- strategies

UNITS = ("admin", "finance", "legal")
CATEGORIES = ("documents", "school-admission", "service-quality")
_OPEN_AFTER = {
    CaseStatus.received: (CaseStatus.triaged, CaseStatus.assigned),
    CaseStatus.triaged: (CaseStatus.assigned,),
    CaseStatus.assigned: (CaseStatus.in_progress,),
    CaseStatus.in_progress: (CaseStatus.awaiting_info, CaseStatus.resolved),
    CaseStatus.awaiting_info: (CaseStatus.in_progress,),
    CaseStatus.resolved: (),
    CaseStatus.closed: (),
}


@st.composite
def case_history(draw: st.DrawFn, case_id: str) -> list[CloudEvent[Any]]:
    """A valid history of one case: opened, then a random walk of the lifecycle.

    Times straddle the fiscal year and round boundaries; some steps emit a status change
    beside the event that implies it and some do not, as a workflow may.
    """
    start = T0 + timedelta(
        seconds=draw(st.integers(-40 * 86400, 200 * 86400)),
        microseconds=draw(st.integers(0, 999_999)),
    )
    c = Case(case_id, start)
    clocks = draw(st.sets(st.sampled_from(list(Clock))))
    deadlines = {k: start + timedelta(hours=draw(st.integers(1, 30 * 24))) for k in clocks}
    events = [
        c.opened(
            unit=draw(st.sampled_from(UNITS)),
            category=draw(st.sampled_from(CATEGORIES)),
            kind=draw(st.sampled_from(list(Kind))),
            complaint_type=draw(st.sampled_from([None, *ComplaintType])),
            channel=draw(st.sampled_from(list(Channel))),
            deadlines=deadlines,
        )
    ]
    status = CaseStatus.received
    reopens = 0
    for _ in range(draw(st.integers(0, 14))):
        after = timedelta(
            seconds=draw(st.integers(0, 12 * 86400)), microseconds=draw(st.integers(0, 999_999))
        )
        actions = ["comment", "warning", "breach", "notify"]
        if status is not CaseStatus.closed:
            actions += ["close"]
        if status in (CaseStatus.received, CaseStatus.triaged):
            actions += ["triage", "assign"]
        if status in (CaseStatus.assigned, CaseStatus.in_progress):
            actions += ["reassign"]
        if _OPEN_AFTER[status]:
            actions += ["move"]
        if status in (CaseStatus.resolved, CaseStatus.closed):
            # a second survey may come too: the reducer must ignore it
            actions += ["survey", "reopen"]
        if status is CaseStatus.resolved:
            actions += ["close_resolved"]
        action = draw(st.sampled_from(actions))
        beside = draw(st.booleans())  # also emit the status change the event implies
        if action == "comment":
            events.append(c.commented(draw(st.sampled_from(list(Visibility))), after=after))
        elif action == "warning":
            events.append(c.warning(draw(st.sampled_from(list(Clock))), after=after))
        elif action == "breach":
            events.append(c.breached(draw(st.sampled_from(list(Clock))), after=after))
        elif action == "notify":
            who = draw(st.sampled_from([case_id, None]))
            events.append(
                notification(
                    who,
                    draw(st.sampled_from(["email", "line"])),
                    draw(st.booleans()),
                    c.tick(after),
                )
            )
        elif action == "triage":
            events.append(
                c.triaged(
                    draw(st.sampled_from(UNITS)), draw(st.sampled_from(CATEGORIES)), after=after
                )
            )
            if beside and status is CaseStatus.received:
                events.append(c.status(status, CaseStatus.triaged))
                status = CaseStatus.triaged
            elif status is CaseStatus.received:
                status = CaseStatus.triaged  # implied
        elif action in ("assign", "reassign"):
            if beside and action == "assign":
                events.append(c.status(status, CaseStatus.assigned, after=after))
                events.append(c.assigned(draw(st.sampled_from(UNITS))))
            else:
                events.append(c.assigned(draw(st.sampled_from(UNITS)), after=after))
            if action == "assign":
                status = CaseStatus.assigned
        elif action == "move":
            to = draw(st.sampled_from(_OPEN_AFTER[status]))
            events.append(c.status(status, to, after=after))
            status = to
        elif action in ("close", "close_resolved"):
            reason = (
                CloseReason.resolved
                if action == "close_resolved"
                else draw(st.sampled_from(list(CloseReason)))
            )
            if beside:
                events.append(c.status(status, CaseStatus.closed, after=after))
                events.append(c.closed(reason))
            else:
                events.append(c.closed(reason, after=after))
            if reason is CloseReason.duplicate and draw(st.booleans()):
                events.append(c.merged())
            status = CaseStatus.closed
        elif action == "survey":
            events.append(c.survey(draw(st.integers(1, 5)), draw(st.booleans()), after=after))
        elif action == "reopen":
            reopens += 1
            events.append(c.reopened(reopens, after=after))
            if beside:
                events.append(c.status(status, CaseStatus.in_progress))
            status = CaseStatus.in_progress
    return events


@st.composite
def histories(draw: st.DrawFn, max_cases: int = 5) -> list[list[CloudEvent[Any]]]:
    """Histories of several cases, plus maybe an event of a case never opened."""
    n = draw(st.integers(1, max_cases))
    out = [draw(case_history(f"c{i}")) for i in range(n)]
    if draw(st.booleans()):
        out.append([Case("ghost", T0).commented()])
    return out


@st.composite
def interleaving(draw: st.DrawFn, per_case: list[list[CloudEvent[Any]]]) -> list[CloudEvent[Any]]:
    """One random merge of the histories, each case's events kept in order."""
    queues = [list(h) for h in per_case if h]
    merged: list[CloudEvent[Any]] = []
    while queues:
        i = draw(st.integers(0, len(queues) - 1))
        merged.append(queues[i].pop(0))
        if not queues[i]:
            queues.pop(i)
    return merged


def readings(snapshot: dict[str, list[Document]]) -> dict[str, list[Document]]:
    """What a reader of the views sees: a counter at 0 reads as a missing one, so both are
    dropped, and so is a cell left with nothing but its key. A case's contributions that
    moved to another cell leave zeros behind (MongoDB's `$inc` does the same), and
    whether a counter was ever touched there depends on when its event was applied."""

    def strip(node: Document) -> Document:
        out: Document = {}
        for name, value in node.items():
            if isinstance(value, dict):
                value = strip(value)
                if not value:
                    continue
            elif isinstance(value, int | float) and not isinstance(value, bool) and value == 0:
                continue
            out[name] = value
        return out

    seen: dict[str, list[Document]] = {}
    for collection, docs in snapshot.items():
        keys = set(VIEW_KEYS[collection])
        kept = []
        for doc in docs:
            counters = strip({k: v for k, v in doc.items() if k not in keys})
            if counters:
                kept.append({**{k: doc[k] for k in doc if k in keys}, **counters})
        if kept:
            seen[collection] = kept
    return seen
