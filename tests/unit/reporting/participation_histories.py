"""Builders of participation events for reporting tests, and a hypothesis strategy of
valid histories (one list per consultation, in the order its Kafka key keeps)."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from shared.contract.events import (
    Channel,
    CloudEvent,
    ConsultationClosed,
    ConsultationConcluded,
    ConsultationOpened,
    OpinionReceived,
    OutcomeRecorded,
    OutcomeStatus,
    OutcomeUpdated,
    make_event,
)
from shared.thai.dates import BANGKOK

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=BANGKOK)  # FY 2570, round 1
GROUPS = ("parents", "teachers", "students", "community")
ITEMS = ("M1", "M2", "S3")
_ids = itertools.count()


def event(data: BaseModel, at: datetime, subject: str) -> CloudEvent[Any]:
    return make_event(data, source="test", subject=subject, time=at, event_id=f"p{next(_ids)}")


class Consultation:
    """One consultation's events, built in order; the clock moves on by `after`."""

    def __init__(
        self, cid: str = "cn-1", item: str = "M1", at: datetime = T0, fiscal_year: int = 2570
    ) -> None:
        self.cid, self.item, self.at, self.fy = cid, item, at, fiscal_year
        self.opinions: dict[str, int] = {}
        self.topic = f"ประเด็น {cid}"
        self.opens_on: date | None = None

    def _tick(self, after: timedelta | None) -> datetime:
        self.at = self.at + (after or timedelta(0))
        return self.at

    def _common(self) -> dict[str, Any]:
        return {"consultation_id": self.cid, "fiscal_year": self.fy, "mission_item": self.item}

    def opened(
        self,
        groups: tuple[str, ...] = ("parents", "teachers"),
        reopened: bool = False,
        closes_in: int = 30,
        after: timedelta | None = None,
    ) -> CloudEvent[Any]:
        at = self._tick(after)
        # Reopening keeps the first day; only the last day moves.
        self.opens_on = self.opens_on or at.date()
        data = ConsultationOpened(
            **self._common(),
            topic=self.topic,
            groups=list(groups),
            opens_on=self.opens_on,
            closes_on=at.date() + timedelta(days=closes_in),
            questions=2,
            reopened=reopened,
            actor="coordinator",
        )
        return event(data, at, self.cid)

    def opinion(self, group: str = "parents", after: timedelta | None = None) -> CloudEvent[Any]:
        at = self._tick(after)
        self.opinions[group] = self.opinions.get(group, 0) + 1
        data = OpinionReceived(
            **self._common(),
            opinion_id=f"op-{next(_ids)}",
            group=group,
            channel=Channel.web,
            answered=2,
            received_at=at,
        )
        return event(data, at, self.cid)

    def closed(self, after: timedelta | None = None) -> CloudEvent[Any]:
        data = ConsultationClosed(
            **self._common(),
            opinions=sum(self.opinions.values()),
            by_group=dict(self.opinions),
            actor="system",
        )
        return event(data, self._tick(after), self.cid)

    def concluded(self, summary: str = "สรุปผล", after: timedelta | None = None) -> CloudEvent[Any]:
        data = ConsultationConcluded(
            **self._common(),
            topic=self.topic,
            summary=summary,
            opinions=sum(self.opinions.values()),
            by_group=dict(self.opinions),
            actor="coordinator",
        )
        return event(data, self._tick(after), self.cid)

    def outcome(
        self,
        oid: str,
        status: OutcomeStatus = OutcomeStatus.planned,
        published: bool = False,
        we_did: str = "เพิ่มผลไม้ในอาหารกลางวัน",
        due_on: date | None = None,
        after: timedelta | None = None,
    ) -> CloudEvent[Any]:
        at = self._tick(after)
        data = OutcomeRecorded(
            **self._common(),
            outcome_id=oid,
            owner_unit="admin",
            status=status,
            due_on=due_on,
            done_on=at.date() if status is OutcomeStatus.done else None,
            published=published,
            you_said_th="อยากให้มีผลไม้ทุกวัน",
            we_did_th=we_did,
            reason="งบประมาณไม่พอ" if status is OutcomeStatus.not_adopted else None,
            actor="coordinator",
        )
        return event(data, at, self.cid)

    def outcome_moved(
        self,
        oid: str,
        frm: OutcomeStatus,
        to: OutcomeStatus,
        published: bool,
        we_did: str | None = None,
        after: timedelta | None = None,
    ) -> CloudEvent[Any]:
        at = self._tick(after)
        data = OutcomeUpdated(
            **self._common(),
            outcome_id=oid,
            from_status=frm,
            to_status=to,
            reason="งบประมาณไม่พอ" if to is OutcomeStatus.not_adopted else None,
            done_on=at.date() if to is OutcomeStatus.done else None,
            published=published,
            we_did_th=we_did,
            actor="coordinator",
        )
        return event(data, at, self.cid)


_MOVES = {
    OutcomeStatus.planned: (
        OutcomeStatus.in_progress,
        OutcomeStatus.done,
        OutcomeStatus.not_adopted,
    ),
    OutcomeStatus.in_progress: (OutcomeStatus.done, OutcomeStatus.not_adopted),
    OutcomeStatus.done: (),
    OutcomeStatus.not_adopted: (OutcomeStatus.planned,),
}


@st.composite
def consultation_history(draw: st.DrawFn, cid: str) -> list[CloudEvent[Any]]:
    """Opened, opinions (across the round boundary of April), maybe closed, reopened and
    concluded, and outcomes recorded and moved along their table."""
    start = T0 + timedelta(days=draw(st.integers(0, 200)), seconds=draw(st.integers(0, 86399)))
    c = Consultation(cid, draw(st.sampled_from(ITEMS)), start)
    groups = tuple(draw(st.sets(st.sampled_from(GROUPS), min_size=1, max_size=3)))
    events = [c.opened(groups)]
    status = "open"
    outcomes: dict[str, tuple[OutcomeStatus, bool]] = {}
    for _ in range(draw(st.integers(0, 16))):
        after = timedelta(seconds=draw(st.integers(0, 20 * 86400)))
        actions = ["outcome"] + (["opinion", "close"] if status == "open" else [])
        if status == "closed":
            actions += ["reopen", "conclude"]
        if outcomes:
            actions += ["move"]
        action = draw(st.sampled_from(actions))
        if action == "opinion":
            events.append(c.opinion(draw(st.sampled_from(GROUPS)), after))
        elif action == "close":
            events.append(c.closed(after))
            status = "closed"
        elif action == "reopen":
            events.append(c.opened(groups, reopened=True, after=after))
            status = "open"
        elif action == "conclude":
            events.append(c.concluded(draw(st.sampled_from(["สรุป ก", "สรุป ข"])), after))
            status = "concluded"
        elif action == "outcome":
            oid = f"oc-{cid}-{len(outcomes)}"
            first = draw(st.sampled_from([OutcomeStatus.planned, OutcomeStatus.in_progress]))
            published = draw(st.booleans())
            outcomes[oid] = (first, published)
            events.append(c.outcome(oid, first, published, after=after))
        else:
            oid = draw(st.sampled_from(sorted(outcomes)))
            frm, published = outcomes[oid]
            if not _MOVES[frm]:
                continue
            to = draw(st.sampled_from(_MOVES[frm]))
            published = draw(st.booleans())
            outcomes[oid] = (to, published)
            text = draw(st.sampled_from([None, "ทำแล้ว", "กำลังทำ"]))
            events.append(c.outcome_moved(oid, frm, to, published, text, after))
    return events


@st.composite
def participation_histories(
    draw: st.DrawFn, max_consultations: int = 4
) -> list[list[CloudEvent[Any]]]:
    n = draw(st.integers(1, max_consultations))
    return [draw(consultation_history(f"cn-{i}")) for i in range(n)]
