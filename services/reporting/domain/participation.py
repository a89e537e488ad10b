"""Participation events -> the participation views, pure (seed measure 2.6).

`participation_updates(event)` gives the view updates of one event on
`siang.participation.v1`; `reducers.reduce` calls it, so the live batch consumer and the
rebuild apply these events exactly as they apply the case events (same ledger, journal,
deltas and versioned views).

A view per kind of thing reported, one document per thing:

- a consultation: what it is (mission item, topic, groups asked, period, questions,
  status, results summary) is `$set` from its latest event; the opinions are `$inc`ed per
  half-year round of the consultation's fiscal year and stakeholder group
  (`opinions.r1.parents`), so the 6-month report counts October–March and the 12-month one
  the whole year;
- an outcome ("you said, we did"): what was heard and decided, its owner unit, status,
  dates and whether it is published, `$set` from its latest event;
- a committee meeting (measure 2.3, `views.MEETINGS`): its committee, mission items, day,
  attendance counted per stakeholder group and its numbered resolutions, `$set` whole
  from each record of it (a later version replaces an earlier one). Member ids never
  reach the view: only how many were there;
- an appointment order of a committee (`views.ORDERS`): its number and signing day;
- a review of performance with stakeholders (measure 2.1, `views.REVIEWS`): what it is,
  its status and days, participants per group, findings and the outcomes they led to;
- a mission survey (measure 2.5, `views.SURVEYS`): what it asks and of whom, `$set`;
  its answers `$inc`ed per round, Likert item and score (`scores.r1.teaching.s4`), so a
  round's mean and distribution per item add up in any order. The events carry no free
  text, and the view keeps none.

`$set` is safe here because a consultation's events (its outcomes' included), a
committee's (its orders and meetings), a review's and a survey's each share one Kafka
key: they are delivered, journaled and replayed in the order they were published, so the
last one applied is the latest one either way. No facts are needed.

Extending it: an event type the table below does not name gives no update. It is still
journaled and in the ledger, so when a reducer for it is added, a rebuild counts its
history. A new event type takes one function `(data, event time) -> updates` and one row
in `_REDUCERS`; a new kind of document takes a view in `views.VIEW_KEYS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from services.reporting.domain import views as v
from services.reporting.domain.views import ViewUpdate
from shared.contract.events import (
    AppointmentOrderAttached,
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
    OutcomeUpdated,
    ReviewHeld,
    ReviewPlanned,
    ReviewReported,
)
from shared.thai.dates import local_date
from shared.thai.fiscal import Round, round_bounds

#: The counter of a round and group: `opinions.r1.parents`.
OPINIONS = "opinions"
#: A mission survey's answers in a round (`answers.r1`) and its scores per round, Likert
#: item and score (`scores.r1.teaching.s4`).
ANSWERS = "answers"
SCORES = "scores"
LOWEST_SCORE, HIGHEST_SCORE = 1, 5


def round_in(fiscal_year: int, day: date) -> Round:
    """The half of `fiscal_year` a Bangkok date falls in, by that year's own calendar:
    1 before April, else 2. A consultation stays in its own year's report, so an opinion
    given after 30 September (a consultation running past the year's end) counts in
    round 2 of that year, and a date before 1 October in round 1."""
    middle = round_bounds(fiscal_year, 2)[0].date()
    return 1 if day < middle else 2


def opinions_field(round_: int, group: str) -> str:
    """The counter of one round's opinions from one stakeholder group."""
    return f"{OPINIONS}.r{round_}.{_segment(group)}"


def answers_field(round_: int) -> str:
    """The counter of a mission survey's answers in one round."""
    return f"{ANSWERS}.r{round_}"


def score_field(round_: int, item: str, score: int) -> str:
    """The counter of one score given to one Likert item in one round."""
    return f"{SCORES}.r{round_}.{_segment(item)}.s{score}"


def _by_group(counts: Mapping[str, int]) -> dict[str, int]:
    # Group codes become field names of a sub-document (flattened by the readers).
    return {_segment(g): n for g, n in counts.items()}


def _segment(name: str) -> str:
    # A group code is a slug; a dot or a leading "$" would split or break the field path.
    cleaned = name.replace(".", "_").replace("$", "_")
    return cleaned or "_"


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _consultation(
    data: Any, set_: Mapping[str, Any], inc: Mapping[str, int] | None = None
) -> ViewUpdate:
    key = {"fiscal_year": data.fiscal_year, "consultation_id": data.consultation_id}
    return ViewUpdate(
        v.CONSULTATIONS, key, dict(inc or {}), {"mission_item": data.mission_item, **set_}
    )


def _outcome(data: Any, set_: Mapping[str, Any]) -> ViewUpdate:
    key = {"fiscal_year": data.fiscal_year, "outcome_id": data.outcome_id}
    fields = {"mission_item": data.mission_item, "consultation_id": data.consultation_id}
    return ViewUpdate(v.OUTCOMES, key, {}, {**fields, **set_})


# ---------------------------------------------------------------- per event type


def _opened(data: ConsultationOpened, at: datetime) -> list[ViewUpdate]:
    fields: dict[str, Any] = {
        "topic": data.topic,
        "groups": list(data.groups),
        "opens_on": _day(data.opens_on),
        "closes_on": _day(data.closes_on),
        "questions": data.questions,
        "status": "open",
        # The round it belongs to when it received no opinion in a round.
        "opened_round": round_in(data.fiscal_year, data.opens_on),
    }
    if data.reopened:
        fields["reopened_on"] = _day(local_date(at))
    return [_consultation(data, fields)]


def _closed(data: ConsultationClosed, at: datetime) -> list[ViewUpdate]:
    return [_consultation(data, {"status": "closed", "closed_on": _day(local_date(at))})]


def _concluded(data: ConsultationConcluded, at: datetime) -> list[ViewUpdate]:
    fields = {
        "topic": data.topic,
        "status": "concluded",
        "summary": data.summary,
        "concluded_on": _day(local_date(at)),
    }
    return [_consultation(data, fields)]


def _opinion(data: OpinionReceived, at: datetime) -> list[ViewUpdate]:
    round_ = round_in(data.fiscal_year, local_date(data.received_at))
    return [_consultation(data, {}, {opinions_field(round_, data.group): 1})]


def _recorded(data: OutcomeRecorded, at: datetime) -> list[ViewUpdate]:
    day = local_date(at)
    fields = {
        "owner_unit": data.owner_unit,
        "status": str(data.status),
        "reason": data.reason,
        "due_on": _day(data.due_on),
        "done_on": _day(data.done_on),
        "published": data.published,
        "opinions": data.opinions,
        "you_said_th": data.you_said_th,
        "you_said_en": data.you_said_en,
        "we_did_th": data.we_did_th,
        "we_did_en": data.we_did_en,
        "recorded_on": _day(day),
        "recorded_round": round_in(data.fiscal_year, day),
        "updated_on": _day(day),
    }
    return [_outcome(data, fields)]


def _updated(data: OutcomeUpdated, at: datetime) -> list[ViewUpdate]:
    fields: dict[str, Any] = {
        "status": str(data.to_status),
        "reason": data.reason,
        "due_on": _day(data.due_on),
        "done_on": _day(data.done_on),
        "published": data.published,
        "updated_on": _day(local_date(at)),
    }
    if data.we_did_th is not None:  # events written before the text was carried have none
        fields |= {"we_did_th": data.we_did_th, "we_did_en": data.we_did_en}
    return [_outcome(data, fields)]


# ------------------------------------------------- committees, reviews, mission surveys


def _meeting(data: CommitteeMeetingRecorded, at: datetime) -> list[ViewUpdate]:
    """The meeting as this record of it says, whole: a later record (the next version, or
    the minutes approved) replaces every field, so nothing of an earlier one lingers."""
    key: dict[str, v.Scalar] = {"fiscal_year": data.fiscal_year, "meeting_id": data.meeting_id}
    fields = {
        "committee_id": data.committee_id,
        "mission_items": list(data.mission_items),
        "held_on": _day(data.held_on),
        "round": round_in(data.fiscal_year, data.held_on),
        "agenda_items": data.agenda_items,
        # Counts only: the member ids of the event stay out of the report.
        "present": len(data.present),
        "absent": len(data.absent),
        "present_by_group": _by_group(data.present_by_group),
        "absent_by_group": _by_group(data.absent_by_group),
        "resolutions": [
            {"number": r.number, "text": r.text, "mission_item": r.mission_item}
            for r in data.resolutions
        ],
        "version": data.version,
        "closed": isinstance(data, CommitteeMeetingClosed),
    }
    return [ViewUpdate(v.MEETINGS, key, {}, fields)]


def _order(data: AppointmentOrderAttached, at: datetime) -> list[ViewUpdate]:
    key: dict[str, v.Scalar] = {"fiscal_year": data.fiscal_year, "order_id": data.order_id}
    fields = {
        "committee_id": data.committee_id,
        "number": data.number,
        "signed_on": _day(data.signed_on),
        "round": round_in(data.fiscal_year, data.signed_on),
        "mission_items": list(data.mission_items),
        "attached_on": _day(local_date(at)),
    }
    return [ViewUpdate(v.ORDERS, key, {}, fields)]


def _review(data: Any, status: str, day: date, fields: Mapping[str, Any]) -> ViewUpdate:
    key = {"fiscal_year": data.fiscal_year, "review_id": data.review_id}
    common = {
        "mission_item": data.mission_item,
        "kind": str(data.kind),
        "title": data.title,
        "committee_id": data.committee_id,
        "status": status,
        # The round of the day it was held (or, until then, planned for).
        "round": round_in(data.fiscal_year, day),
    }
    return ViewUpdate(v.REVIEWS, key, {}, {**common, **fields})


def _review_planned(data: ReviewPlanned, at: datetime) -> list[ViewUpdate]:
    return [_review(data, "planned", data.planned_on, {"planned_on": _day(data.planned_on)})]


def _review_held(data: ReviewHeld, at: datetime) -> list[ViewUpdate]:
    fields = {
        "held_on": _day(data.held_on),
        "participants_by_group": _by_group(data.participants_by_group),
        "participants": data.participants,
    }
    return [_review(data, "held", data.held_on, fields)]


def _review_reported(data: ReviewReported, at: datetime) -> list[ViewUpdate]:
    fields = {
        "held_on": _day(data.held_on),
        "reported_on": _day(data.reported_on),
        "participants_by_group": _by_group(data.participants_by_group),
        "participants": data.participants,
        "findings": list(data.findings),
        "outcome_ids": list(data.outcome_ids),
    }
    return [_review(data, "reported", data.held_on, fields)]


def _survey(data: Any, set_: Mapping[str, Any], inc: Mapping[str, int] | None = None) -> ViewUpdate:
    key = {"fiscal_year": data.fiscal_year, "survey_id": data.survey_id}
    fields = {"mission_item": data.mission_item, "group": data.group, **set_}
    return ViewUpdate(v.SURVEYS, key, dict(inc or {}), fields)


def _survey_opened(data: MissionSurveyOpened, at: datetime) -> list[ViewUpdate]:
    fields = {
        "title": data.title,
        "likert_items": list(data.likert_items),
        "text_items": data.text_items,
        "opens_on": _day(data.opens_on),
        "closes_on": _day(data.closes_on),
        "opened_round": round_in(data.fiscal_year, data.opens_on),
        "status": "open",
    }
    return [_survey(data, fields)]


def _survey_answered(data: MissionSurveyAnswered, at: datetime) -> list[ViewUpdate]:
    round_ = round_in(data.fiscal_year, local_date(data.answered_at))
    inc = {answers_field(round_): 1}
    for item, score in data.scores.items():
        # The service takes 1-5 only; anything else would be a corrupt event: not a score.
        if LOWEST_SCORE <= score <= HIGHEST_SCORE:
            inc[score_field(round_, item, score)] = 1
    return [_survey(data, {}, inc)]


def _survey_closed(data: MissionSurveyClosed, at: datetime) -> list[ViewUpdate]:
    fields = {
        "status": "closed",
        "closed_on": _day(local_date(at)),
        "links_sent": data.links_sent,
        "personal_responses": data.personal_responses,
    }
    return [_survey(data, fields)]


_Reducer = Callable[[Any, datetime], list[ViewUpdate]]

_REDUCERS: dict[type[BaseModel], _Reducer] = {
    ConsultationOpened: _opened,
    ConsultationClosed: _closed,
    ConsultationConcluded: _concluded,
    OpinionReceived: _opinion,
    OutcomeRecorded: _recorded,
    OutcomeUpdated: _updated,
    CommitteeMeetingRecorded: _meeting,
    CommitteeMeetingClosed: _meeting,
    AppointmentOrderAttached: _order,
    ReviewPlanned: _review_planned,
    ReviewHeld: _review_held,
    ReviewReported: _review_reported,
    MissionSurveyOpened: _survey_opened,
    MissionSurveyAnswered: _survey_answered,
    MissionSurveyClosed: _survey_closed,
}


def reduces(event: CloudEvent[Any]) -> bool:
    """True for a participation event this module turns into view updates."""
    return type(event.data) in _REDUCERS


def participation_updates(event: CloudEvent[Any]) -> tuple[ViewUpdate, ...]:
    """The view updates of one participation event; none for a type not reduced here
    (see the module's note on extending it). Pure and deterministic."""
    reducer = _REDUCERS.get(type(event.data))
    return () if reducer is None else tuple(reducer(event.data, event.time))
