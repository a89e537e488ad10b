"""Builders of participation events for reporting tests, and hypothesis strategies of
valid histories (one list per Kafka key, in the order it keeps: a consultation, a
committee, a review, a mission survey)."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from shared.contract.events import (
    AppointmentOrderAttached,
    Channel,
    CloudEvent,
    CommitteeMeetingClosed,
    CommitteeMeetingRecorded,
    ConsultationClosed,
    ConsultationConcluded,
    ConsultationOpened,
    MissionSurveyAnswered,
    MissionSurveyClosed,
    MissionSurveyOpened,
    OpinionReceived,
    OutcomeRecorded,
    OutcomeStatus,
    OutcomeUpdated,
    ResolutionTaken,
    ReviewHeld,
    ReviewKind,
    ReviewPlanned,
    ReviewReported,
    SurveyLink,
    make_event,
)
from shared.thai.dates import BANGKOK
from shared.thai.fiscal import fiscal_year

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


# ------------------------------------------------- committees, reviews, mission surveys


class Committee:
    """A committee's appointment orders and meetings, in the order its Kafka key keeps.
    A meeting is recorded again with a higher version (attendance or resolutions
    changed), and closed once."""

    def __init__(
        self, committee_id: str = "cm-1", items: tuple[str, ...] = ("M1",), at: datetime = T0
    ) -> None:
        self.cid, self.items, self.at = committee_id, items, at
        self.versions: dict[str, int] = {}

    def _tick(self, after: timedelta | None) -> datetime:
        self.at = self.at + (after or timedelta(0))
        return self.at

    def order(
        self, oid: str, number: str = "123/2569", signed_on: date | None = None
    ) -> CloudEvent[Any]:
        signed = signed_on or self.at.date()
        data = AppointmentOrderAttached(
            committee_id=self.cid,
            order_id=oid,
            number=number,
            signed_on=signed,
            fiscal_year=fiscal_year(signed),
            mission_items=list(self.items),
            content_type="application/pdf",
            size_bytes=1234,
            actor="coordinator",
        )
        return event(data, self.at, self.cid)

    def meeting(
        self,
        mid: str,
        present: dict[str, int],
        absent: dict[str, int] | None = None,
        resolutions: tuple[tuple[str, str | None], ...] = (),
        held_on: date | None = None,
        closed: bool = False,
        after: timedelta | None = None,
    ) -> CloudEvent[Any]:
        at = self._tick(after)
        version = self.versions[mid] = self.versions.get(mid, 0) + 1
        here = [f"{mid}-{g}-{k}" for g, n in present.items() for k in range(n)]
        away = [f"{mid}-{g}-x{k}" for g, n in (absent or {}).items() for k in range(n)]
        model = CommitteeMeetingClosed if closed else CommitteeMeetingRecorded
        day = held_on or at.date()
        data = model(
            meeting_id=mid,
            committee_id=self.cid,
            fiscal_year=fiscal_year(day),
            # The committee's items and those its resolutions name, as the service sends.
            mission_items=list(dict.fromkeys([*self.items, *(i for _, i in resolutions if i)])),
            held_on=day,
            agenda_items=3,
            present=here,
            absent=away,
            present_by_group={g: n for g, n in present.items() if n},
            absent_by_group={g: n for g, n in (absent or {}).items() if n},
            resolutions=[
                ResolutionTaken(number=k, text=text, mission_item=item)
                for k, (text, item) in enumerate(resolutions, start=1)
            ],
            version=version,
            actor="coordinator",
        )
        return event(data, at, self.cid)


class Review:
    """A review of performance with stakeholders: planned, held, reported."""

    def __init__(
        self,
        rid: str = "rv-1",
        item: str = "M1",
        at: datetime = T0,
        kind: ReviewKind = ReviewKind.meeting,
        committee_id: str | None = None,
    ) -> None:
        self.rid, self.item, self.at, self.kind = rid, item, at, kind
        self.committee_id = committee_id
        # The year it was planned in: a review is held within it (the service checks).
        self.fy = fiscal_year(at.date())

    def _common(self) -> dict[str, Any]:
        return {
            "review_id": self.rid,
            "fiscal_year": self.fy,
            "mission_item": self.item,
            "kind": self.kind,
            "title": f"ทบทวนผล {self.rid}",
            "committee_id": self.committee_id,
            "actor": "coordinator",
        }

    def planned(self) -> CloudEvent[Any]:
        return event(ReviewPlanned(**self._common(), planned_on=self.at.date()), self.at, self.rid)

    def held(self, by_group: dict[str, int], after: timedelta | None = None) -> CloudEvent[Any]:
        self.at += after or timedelta(0)
        data = ReviewHeld(
            **self._common(),
            held_on=self.at.date(),
            participants_by_group=by_group,
            participants=sum(by_group.values()),
        )
        return event(data, self.at, self.rid)

    def reported(
        self,
        by_group: dict[str, int],
        findings: list[str],
        outcome_ids: list[str] | None = None,
        after: timedelta | None = None,
    ) -> CloudEvent[Any]:
        held_on = self.at.date()
        self.at += after or timedelta(0)
        data = ReviewReported(
            **self._common(),
            held_on=held_on,
            reported_on=self.at.date(),
            participants_by_group=by_group,
            participants=sum(by_group.values()),
            findings=findings,
            outcome_ids=outcome_ids or [],
        )
        return event(data, self.at, self.rid)


class MissionSurvey:
    """A mission survey of one group: opened, answered, closed."""

    def __init__(
        self,
        sid: str = "sv-1",
        item: str = "M1",
        group: str = "parents",
        at: datetime = T0,
        likert: tuple[str, ...] = ("teaching", "lunch"),
    ) -> None:
        self.sid, self.item, self.group, self.at, self.likert = sid, item, group, at, likert
        self.fy = fiscal_year(at.date())
        self.counts: dict[str, list[int]] = {i: [0] * 5 for i in likert}
        self.responses = 0

    def _common(self) -> dict[str, Any]:
        return {
            "survey_id": self.sid,
            "fiscal_year": self.fy,
            "mission_item": self.item,
            "group": self.group,
        }

    def opened(self, days: int = 60) -> CloudEvent[Any]:
        data = MissionSurveyOpened(
            **self._common(),
            title=f"แบบสำรวจ {self.sid}",
            likert_items=list(self.likert),
            text_items=1,
            opens_on=self.at.date(),
            closes_on=self.at.date() + timedelta(days=days),
            actor="coordinator",
        )
        return event(data, self.at, self.sid)

    def answered(self, scores: dict[str, int], after: timedelta | None = None) -> CloudEvent[Any]:
        self.at += after or timedelta(0)
        self.responses += 1
        for item, score in scores.items():
            self.counts[item][score - 1] += 1
        data = MissionSurveyAnswered(
            **self._common(),
            response_id=f"rs-{next(_ids)}",
            via=SurveyLink.public,
            scores=scores,
            texts=1,
            answered_at=self.at,
        )
        return event(data, self.at, self.sid)

    def closed(self, after: timedelta | None = None) -> CloudEvent[Any]:
        self.at += after or timedelta(0)
        data = MissionSurveyClosed(
            **self._common(),
            responses=self.responses,
            counts=self.counts,
            links_sent=10,
            personal_responses=min(self.responses, 10),
            actor="coordinator",
        )
        return event(data, self.at, self.sid)


def _start(draw: st.DrawFn) -> datetime:
    # Across the April boundary of FY 2570's rounds, and now and then into FY 2571.
    return T0 + timedelta(days=draw(st.integers(0, 380)), seconds=draw(st.integers(0, 86399)))


_COUNTS = st.dictionaries(st.sampled_from(GROUPS), st.integers(0, 7), max_size=4)


@st.composite
def committee_history(draw: st.DrawFn, cid: str) -> list[CloudEvent[Any]]:
    """Orders and meetings of one committee; a meeting recorded again (later versions
    replace earlier ones) and maybe closed."""
    items = tuple(draw(st.sets(st.sampled_from(ITEMS), max_size=2)))
    c = Committee(cid, items, _start(draw))
    events: list[CloudEvent[Any]] = []
    closed: set[str] = set()
    for k in range(draw(st.integers(0, 8))):
        action = draw(st.sampled_from(["order", "meeting", "again"]))
        after = timedelta(seconds=draw(st.integers(0, 30 * 86400)))
        c._tick(after)
        if action == "order":
            events.append(c.order(f"or-{cid}-{k}", f"{k + 1}/2570"))
            continue
        open_ = sorted(set(c.versions) - closed)
        mid = draw(st.sampled_from(open_)) if action == "again" and open_ else f"mt-{cid}-{k}"
        resolutions = draw(
            st.lists(
                st.tuples(st.sampled_from(["มติ ก", "มติ ข"]), st.sampled_from([None, *ITEMS])),
                max_size=3,
            )
        )
        close = draw(st.booleans())
        if close:
            closed.add(mid)
        held_on = None if mid not in c.versions else events_held_on(events, mid)
        events.append(
            c.meeting(mid, draw(_COUNTS), draw(_COUNTS), tuple(resolutions), held_on, close)
        )
    return events


def events_held_on(events: list[CloudEvent[Any]], mid: str) -> date:
    """The day a meeting already recorded was held (a record again keeps it)."""
    return next(e.data.held_on for e in events if getattr(e.data, "meeting_id", None) == mid)


@st.composite
def review_history(draw: st.DrawFn, rid: str) -> list[CloudEvent[Any]]:
    r = Review(
        rid,
        draw(st.sampled_from(ITEMS)),
        _start(draw),
        draw(st.sampled_from(list(ReviewKind))),
        draw(st.sampled_from([None, "cm-0"])),
    )
    events = [r.planned()]
    steps = draw(st.integers(0, 2))
    if steps >= 1:
        counts = draw(_COUNTS)
        events.append(r.held(counts, timedelta(days=draw(st.integers(0, 60)))))
        if steps == 2:
            findings = draw(st.lists(st.sampled_from(["พบ ก", "พบ ข"]), max_size=2))
            outcomes = draw(st.lists(st.sampled_from(["oc-cn-0-0", "oc-none"]), max_size=2))
            events.append(r.reported(counts, findings, outcomes, timedelta(days=3)))
    return events


@st.composite
def survey_history(draw: st.DrawFn, sid: str) -> list[CloudEvent[Any]]:
    s = MissionSurvey(
        sid, draw(st.sampled_from(ITEMS)), draw(st.sampled_from(GROUPS)), _start(draw)
    )
    events = [s.opened()]
    for _ in range(draw(st.integers(0, 12))):
        scores = draw(
            st.dictionaries(st.sampled_from(s.likert), st.integers(1, 5), max_size=len(s.likert))
        )
        after = timedelta(seconds=draw(st.integers(0, 20 * 86400)))
        events.append(s.answered(scores, after))
    if draw(st.booleans()):
        events.append(s.closed(timedelta(days=1)))
    return events


@st.composite
def record_histories(draw: st.DrawFn) -> list[list[CloudEvent[Any]]]:
    """Committees', reviews' and surveys' histories: one list per Kafka key."""
    out = [draw(committee_history(f"cm-{i}")) for i in range(draw(st.integers(0, 2)))]
    out += [draw(review_history(f"rv-{i}")) for i in range(draw(st.integers(0, 2)))]
    out += [draw(survey_history(f"sv-{i}")) for i in range(draw(st.integers(0, 2)))]
    return [h for h in out if h]
