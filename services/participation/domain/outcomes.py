"""Outcomes, "you said, we did" (measures 1.4 and 2.6): an action or decision recorded
against what the office heard, owned by a unit, with a status and dates, and published on
the public page once staff say so. What it answers, its basis, is one of three:

- a consultation, and if staff choose, the opinions of it it answers in particular;
- a committee resolution: a committee, one of its meetings and the resolution's number,
  all on file (else 409 naming the field);
- a pattern of complaints: a category of the catalogue, a fiscal year, a round (1 or 2)
  and optionally a unit, counted from the reporting views when recorded and changed.

Its status moves along a small table; "not adopted" needs the reason, which the public
page shows: an office that heard an idea and decided against it says why. The people who
gave the opinions it answers, and consented to be contacted, are told once, when it is
first published (`who_to_tell`, `parts`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.participation.domain.errors import (
    ConflictingField,
    IllegalTransition,
    InvalidField,
    MissingField,
)
from services.participation.domain.meetings import Meeting
from services.participation.domain.plan import MissionPlan
from shared.contract.events import (
    Channel,
    ConsultationStatus,
    HeardComplaints,
    HeardResolution,
    Language,
    OutcomeBasis,
    OutcomeStatus,
    PersonToTell,
)

S = OutcomeStatus
RECORD = "record an outcome"
#: The people one `participation.outcome_published` event names at most.
PART_SIZE = 500

MOVES: dict[OutcomeStatus, frozenset[OutcomeStatus]] = {
    S.planned: frozenset({S.in_progress, S.done, S.not_adopted}),
    S.in_progress: frozenset({S.done, S.not_adopted, S.planned}),
    S.done: frozenset(),
    # Reconsidered: planned again.
    S.not_adopted: frozenset({S.planned}),
}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ResolutionRef(_Model):
    """A committee resolution as staff name it: the committee, the meeting, the number."""

    committee_id: str = Field(min_length=1, max_length=64)
    meeting_id: str = Field(min_length=1, max_length=64)
    number: int = Field(ge=1, le=50)


class ComplaintPattern(_Model):
    """A category's complaints received in one round of a fiscal year (B.E.), in one
    unit or, without `unit`, in all."""

    category: str = Field(min_length=1, max_length=64)
    fiscal_year: int = Field(ge=2400, le=2800)
    round: Literal[1, 2]
    unit: str | None = Field(default=None, min_length=1, max_length=64)


class _Decided(_Model):
    """What staff write of any outcome, whatever it answers."""

    you_said_th: str = Field(min_length=1, max_length=2000)
    you_said_en: str | None = Field(default=None, max_length=2000)
    we_did_th: str = Field(min_length=1, max_length=2000)
    we_did_en: str | None = Field(default=None, max_length=2000)
    owner_unit: str = Field(min_length=1, max_length=64)
    status: OutcomeStatus = S.planned
    reason: str | None = Field(default=None, max_length=2000)
    due_on: date | None = None
    done_on: date | None = None
    published: bool = False


class OutcomeDraft(_Decided):
    """An outcome as staff record it: exactly one basis (`consultation_id`, `resolution`
    or `complaints`)."""

    consultation_id: str | None = Field(default=None, min_length=1, max_length=64)
    # Opinions of that consultation it answers in particular (none: the whole of it).
    opinion_ids: tuple[str, ...] = Field(default=(), max_length=500)
    resolution: ResolutionRef | None = None
    complaints: ComplaintPattern | None = None
    # The plan's item it counts for, when its basis has none of its own (a consultation
    # has one; a resolution may).
    mission_item: str | None = Field(default=None, min_length=1, max_length=32)


class OutcomeChange(_Model):
    """What staff may change later; absent fields stay as they are."""

    status: OutcomeStatus | None = None
    reason: str | None = Field(default=None, max_length=2000)
    we_did_th: str | None = Field(default=None, min_length=1, max_length=2000)
    we_did_en: str | None = Field(default=None, max_length=2000)
    due_on: date | None = None
    done_on: date | None = None
    published: bool | None = None


class Outcome(_Decided):
    outcome_id: str
    # Outcomes recorded before other bases existed answer a consultation.
    basis: OutcomeBasis = OutcomeBasis.consultation
    consultation_id: str | None = None
    opinion_ids: tuple[str, ...] = ()
    resolution: HeardResolution | None = None
    complaints: HeardComplaints | None = None
    fiscal_year: int
    mission_item: str


@dataclass(frozen=True, slots=True)
class Heard:
    """What the basis is, as found on file: the fiscal year it falls in, its own mission
    item (None: staff name one), and the resolution or the counted complaints."""

    fiscal_year: int
    mission_item: str | None = None
    resolution: HeardResolution | None = None
    complaints: HeardComplaints | None = None


def basis_of(draft: OutcomeDraft) -> OutcomeBasis:
    """The one basis the draft names, or a 422 naming the field at fault."""
    given = [
        name
        for name, value in (
            ("consultation_id", draft.consultation_id),
            ("resolution", draft.resolution),
            ("complaints", draft.complaints),
        )
        if value is not None
    ]
    if not given:
        raise InvalidField(
            RECORD,
            "consultation_id",
            "is missing: an outcome answers a consultation (consultation_id), a committee "
            "resolution (resolution) or a pattern of complaints (complaints)",
        )
    if len(given) > 1:
        raise InvalidField(RECORD, given[1], f"cannot be given with {given[0]}: one basis")
    if draft.opinion_ids and draft.consultation_id is None:
        raise InvalidField(RECORD, "opinion_ids", "are a consultation's: give consultation_id")
    return OutcomeBasis(given[0].removesuffix("_id"))


def heard_consultation(status: ConsultationStatus, fiscal_year: int, mission_item: str) -> Heard:
    if status is ConsultationStatus.draft:
        raise IllegalTransition(status, RECORD, "the consultation has not opened")
    return Heard(fiscal_year, mission_item)


def heard_resolution(ref: ResolutionRef, committee_on_file: bool, meeting: Meeting | None) -> Heard:
    """The resolution `ref` names, from its meeting on file (None: no such meeting of
    that committee); 409 naming the field that does not match the records."""
    if not committee_on_file:
        raise ConflictingField(RECORD, "resolution.committee_id", "is not a committee on file")
    if meeting is None or meeting.committee_id != ref.committee_id:
        raise ConflictingField(
            RECORD, "resolution.meeting_id", "is not a meeting of that committee on file"
        )
    taken = meeting.resolutions
    if ref.number > len(taken):
        raise ConflictingField(
            RECORD,
            "resolution.number",
            f"is not a resolution of that meeting (it has {len(taken)})",
        )
    resolution = taken[ref.number - 1]
    heard = HeardResolution(
        committee_id=ref.committee_id,
        meeting_id=ref.meeting_id,
        number=ref.number,
        text=resolution.text,
        held_on=meeting.held_on,
    )
    return Heard(meeting.fiscal_year, resolution.mission_item, resolution=heard)


def heard_complaints(
    pattern: ComplaintPattern, categories: frozenset[str], units: frozenset[str], count: int | None
) -> Heard:
    """The pattern with its count (None: not countable now); 422 for a category or unit
    the catalogue does not list."""
    if pattern.category not in categories:
        raise InvalidField(RECORD, "complaints.category", "is not a category of the catalogue")
    if pattern.unit is not None and pattern.unit not in units:
        raise InvalidField(RECORD, "complaints.unit", "is not a unit of the office")
    heard = HeardComplaints(**pattern.model_dump(), count=count)
    return Heard(pattern.fiscal_year, complaints=heard)


def check_new(
    draft: OutcomeDraft,
    heard: Heard,
    plan: MissionPlan | None,
    units: frozenset[str],
    today: date,
    outcome_id: str,
) -> Outcome:
    """The outcome as it will be recorded (a done one dated today unless said), or a
    refusal naming the field."""
    basis = basis_of(draft)
    if draft.owner_unit not in units:
        raise InvalidField(RECORD, "owner_unit", "is not a unit of the office")
    item = heard.mission_item
    if item is None:
        if draft.mission_item is None:
            raise MissingField(RECORD, "mission_item")
        if plan is None or plan.item(draft.mission_item) is None:
            raise ConflictingField(
                RECORD, "mission_item", f"is not an item of the plan of {heard.fiscal_year}"
            )
        item = draft.mission_item
    elif draft.mission_item is not None and draft.mission_item != item:
        raise InvalidField(RECORD, "mission_item", f"is the {basis.value}'s own: {item}")
    _check_status_fields(RECORD, draft.status, draft.reason, draft.done_on, today)
    done_on = draft.done_on
    if draft.status is S.done and done_on is None:
        done_on = today
    return Outcome(
        **draft.model_dump(include=set(_Decided.model_fields)),
        outcome_id=outcome_id,
        basis=basis,
        consultation_id=draft.consultation_id,
        opinion_ids=draft.opinion_ids,
        resolution=heard.resolution,
        complaints=heard.complaints,
        fiscal_year=heard.fiscal_year,
        mission_item=item,
    ).model_copy(update={"done_on": done_on})


def apply_change(outcome: Outcome, change: OutcomeChange, today: date) -> Outcome:
    """The outcome after `change`, or a refusal: `IllegalTransition` for a status the
    table does not allow from the current one."""
    action = "update an outcome"
    to = change.status or outcome.status
    if to is not outcome.status and to not in MOVES[outcome.status]:
        raise IllegalTransition(outcome.status, f"move an outcome to {to}")
    updates = {k: v for k, v in change.model_dump(exclude_unset=True).items() if v is not None}
    reason = change.reason if change.reason is not None else outcome.reason
    done_on = change.done_on or outcome.done_on
    _check_status_fields(action, to, reason, done_on, today)
    if to is S.done and done_on is None:
        updates["done_on"] = today
    if to is not S.done and to is not outcome.status:
        updates["done_on"] = None  # done again later gets its own date
    return outcome.model_copy(update=updates)


def recounted(outcome: Outcome, count: int | None) -> Outcome:
    """A complaint pattern's outcome with the count as it stands now (kept when the
    views cannot be read: an old number beats none)."""
    if outcome.complaints is None or count is None:
        return outcome
    return outcome.model_copy(
        update={"complaints": outcome.complaints.model_copy(update={"count": count})}
    )


def _check_status_fields(
    action: str, status: OutcomeStatus, reason: str | None, done_on: date | None, today: date
) -> None:
    if status is S.not_adopted and not (reason and reason.strip()):
        raise MissingField(action, "reason")
    if done_on is not None and done_on > today:
        raise InvalidField(action, "done_on", "is in the future")


# ----------------------------------------------------------------- who is told


@dataclass(frozen=True, slots=True)
class Giver:
    """Someone who gave an opinion, as the opinion records them. `consented` is None
    for opinions recorded before consent was kept on them."""

    person_id: str
    language: Language
    channel: Channel
    consented: bool | None
    through_submission: bool


def who_to_tell(givers: Iterable[Giver]) -> list[PersonToTell]:
    """The people to tell of an outcome, once each, in the order given: those who left
    contact details and consented to be contacted. An opinion on the public page keeps
    a person only with consent; one recorded from a submission before consent was kept
    on it is left out, as its consent cannot be told."""
    out: dict[str, PersonToTell] = {}
    for g in givers:
        consented = g.consented if g.consented is not None else not g.through_submission
        if consented and g.person_id not in out:
            out[g.person_id] = PersonToTell(
                person_id=g.person_id, language=g.language, channel=g.channel
            )
    return list(out.values())


def announces(outcome: Outcome, announced: bool) -> bool:
    """Whether this write publishes the outcome for the first time."""
    return outcome.published and not announced


def parts(people: list[PersonToTell]) -> list[list[PersonToTell]]:
    """The people in parts of at most `PART_SIZE`; one (empty) part when nobody."""
    return [people[i : i + PART_SIZE] for i in range(0, len(people), PART_SIZE)] or [[]]


def by_mission_item(
    item_order: list[str], outcomes: list[Outcome]
) -> list[tuple[str, list[Outcome]]]:
    """Outcomes grouped by mission item, in the plan's order (items the plan does not
    list last), each group in the order given; items without outcomes are left out."""
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.mission_item, []).append(outcome)
    rank = {code: i for i, code in enumerate(item_order)}
    ordered = sorted(groups, key=lambda code: (rank.get(code, len(rank)), code))
    return [(code, groups[code]) for code in ordered]
