"""Participation events -> the participation views, pure (seed measure 2.6).

`participation_updates(event)` gives the view updates of one event on
`siang.participation.v1`; `reducers.reduce` calls it, so the live batch consumer and the
rebuild apply these events exactly as they apply the case events (same ledger, journal,
deltas and versioned views).

Two views, one document per thing reported (`views.CONSULTATIONS`, `views.OUTCOMES`):

- a consultation: what it is (mission item, topic, groups asked, period, questions,
  status, results summary) is `$set` from its latest event; the opinions are `$inc`ed per
  half-year round of the consultation's fiscal year and stakeholder group
  (`opinions.r1.parents`), so the 6-month report counts October–March and the 12-month one
  the whole year;
- an outcome ("you said, we did"): what was heard and decided, its owner unit, status,
  dates and whether it is published, `$set` from its latest event.

`$set` is safe here because a consultation's events (its outcomes' included) share one
Kafka key: they are delivered, journaled and replayed in the order they were published,
so the last one applied is the latest one either way. No facts are needed.

Extending it: an event type the table below does not name gives no update. It is still
journaled and in the ledger, so when a reducer for it is added (committee meetings,
reviews, mission surveys), a rebuild counts its history. A new event type takes one
function `(data, event time) -> updates` and one row in `_REDUCERS`; a new kind of
document takes a view in `views.VIEW_KEYS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from services.reporting.domain import views as v
from services.reporting.domain.views import ViewUpdate
from shared.contract.events import (
    CloudEvent,
    ConsultationClosed,
    ConsultationConcluded,
    ConsultationOpened,
    OpinionReceived,
    OutcomeRecorded,
    OutcomeUpdated,
)
from shared.thai.dates import local_date
from shared.thai.fiscal import Round, round_bounds

#: The counter of a round and group: `opinions.r1.parents`.
OPINIONS = "opinions"


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


_Reducer = Callable[[Any, datetime], list[ViewUpdate]]

_REDUCERS: dict[type[BaseModel], _Reducer] = {
    ConsultationOpened: _opened,
    ConsultationClosed: _closed,
    ConsultationConcluded: _concluded,
    OpinionReceived: _opinion,
    OutcomeRecorded: _recorded,
    OutcomeUpdated: _updated,
}


def reduces(event: CloudEvent[Any]) -> bool:
    """True for a participation event this module turns into view updates."""
    return type(event.data) in _REDUCERS


def participation_updates(event: CloudEvent[Any]) -> tuple[ViewUpdate, ...]:
    """The view updates of one participation event; none for a type not reduced here
    (see the module's note on extending it). Pure and deterministic."""
    reducer = _REDUCERS.get(type(event.data))
    return () if reducer is None else tuple(reducer(event.data, event.time))
