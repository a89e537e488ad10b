"""Outcomes: recorded against what the office heard (an opened consultation and some of
its opinions, a committee resolution on file, a category's complaints in a round), moved
along their status table; "not adopted" says why; the public page groups them by mission
item; the people who gave the opinions an outcome answers, with consent, are told once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.participation.domain.errors import (
    ConflictingField,
    IllegalTransition,
    InvalidField,
    MissingField,
)
from services.participation.domain.meetings import Meeting, MeetingStatus, ResolutionDraft
from services.participation.domain.outcomes import (
    MOVES,
    PART_SIZE,
    ComplaintPattern,
    Giver,
    Heard,
    Outcome,
    OutcomeChange,
    OutcomeDraft,
    ResolutionRef,
    announces,
    apply_change,
    basis_of,
    by_mission_item,
    check_new,
    heard_complaints,
    heard_consultation,
    heard_resolution,
    parts,
    recounted,
    who_to_tell,
)
from services.participation.domain.plan import ItemKind, MissionItem, MissionPlan
from shared.contract.events import (
    Channel,
    ConsultationStatus,
    Language,
    OutcomeBasis,
    OutcomeStatus,
    PersonToTell,
)
from tests.unit.participation.sample import TODAY

S = OutcomeStatus
UNITS = frozenset({"promotion", "finance"})
CATEGORIES = frozenset({"school-lunch", "staff-conduct"})
HEARD = Heard(2570, "S2")
PLAN = MissionPlan(
    fiscal_year=2570,
    items=(MissionItem(code="S2", kind=ItemKind.strategy, name_th="คุณภาพ", name_en="Quality"),),
)


def draft(**overrides: Any) -> OutcomeDraft:
    fields: dict[str, Any] = {
        "consultation_id": "cn-1",
        "you_said_th": "อยากให้มีผลไม้ทุกวัน",
        "we_did_th": "จัดสรรงบอาหารกลางวันเพิ่มสำหรับผลไม้",
        "owner_unit": "promotion",
    }
    return OutcomeDraft(**{**fields, **overrides})


def new(d: OutcomeDraft, heard: Heard = HEARD, plan: MissionPlan | None = None) -> Outcome:
    return check_new(d, heard, plan, UNITS, TODAY, "oc-1")


def outcome(**overrides: Any) -> Outcome:
    return new(draft(**overrides))


def meeting(*texts: tuple[str, str | None]) -> Meeting:
    return Meeting(
        meeting_id="mt-1",
        committee_id="cm-1",
        status=MeetingStatus.closed,
        held_on=date(2026, 11, 20),
        resolutions=tuple(ResolutionDraft(text=t, mission_item=i) for t, i in texts),
    )


def test_every_status_is_in_the_table_and_done_is_final() -> None:
    assert set(MOVES) == set(OutcomeStatus)
    assert MOVES[S.done] == frozenset()


def test_an_outcome_needs_an_opened_consultation_and_a_unit_of_the_office() -> None:
    with pytest.raises(IllegalTransition):
        heard_consultation(ConsultationStatus.draft, 2570, "S2")
    heard = heard_consultation(ConsultationStatus.concluded, 2570, "S2")
    with pytest.raises(InvalidField) as refused:
        new(draft(owner_unit="nasa"), heard)
    assert refused.value.field == "owner_unit"
    recorded = new(draft(), heard)
    assert recorded.status is S.planned and recorded.basis is OutcomeBasis.consultation
    assert (recorded.fiscal_year, recorded.mission_item) == (2570, "S2")


def test_an_outcome_answers_exactly_one_thing_and_says_which_field_is_at_fault() -> None:
    ref = {"committee_id": "cm-1", "meeting_id": "mt-1", "number": 1}
    pattern = {"category": "school-lunch", "fiscal_year": 2570, "round": 1}
    with pytest.raises(InvalidField) as none:
        basis_of(draft(consultation_id=None))
    assert none.value.field == "consultation_id"
    with pytest.raises(InvalidField) as two:
        basis_of(draft(resolution=ref))
    assert two.value.field == "resolution"
    with pytest.raises(InvalidField) as opinions:
        basis_of(draft(consultation_id=None, complaints=pattern, opinion_ids=("op-1",)))
    assert opinions.value.field == "opinion_ids"
    assert basis_of(draft(consultation_id=None, resolution=ref)) is OutcomeBasis.resolution
    assert basis_of(draft(consultation_id=None, complaints=pattern)) is OutcomeBasis.complaints


def test_a_resolution_must_be_on_file_and_the_outcome_keeps_its_words() -> None:
    ref = ResolutionRef(committee_id="cm-1", meeting_id="mt-1", number=2)
    taken = meeting(("เห็นชอบแผน", None), ("เพิ่มผลไม้ในมื้อกลางวัน", "S2"))
    with pytest.raises(ConflictingField) as no_committee:
        heard_resolution(ref, False, taken)
    assert no_committee.value.field == "resolution.committee_id"
    with pytest.raises(ConflictingField) as no_meeting:
        heard_resolution(ref, True, None)
    assert no_meeting.value.field == "resolution.meeting_id"
    with pytest.raises(ConflictingField) as no_number:
        heard_resolution(ref.model_copy(update={"number": 3}), True, taken)
    assert no_number.value.field == "resolution.number"
    heard = heard_resolution(ref, True, taken)
    recorded = new(draft(consultation_id=None, resolution=ref.model_dump()), heard)
    assert recorded.basis is OutcomeBasis.resolution
    assert recorded.resolution is not None
    assert recorded.resolution.text == "เพิ่มผลไม้ในมื้อกลางวัน"
    # The meeting of 20 November 2026 is in fiscal year 2570; the item is the resolution's.
    assert (recorded.fiscal_year, recorded.mission_item) == (2570, "S2")


def test_a_resolution_without_an_item_needs_one_of_the_years_plan() -> None:
    ref = ResolutionRef(committee_id="cm-1", meeting_id="mt-1", number=1)
    heard = heard_resolution(ref, True, meeting(("เห็นชอบแผน", None)))
    based = {"consultation_id": None, "resolution": ref.model_dump()}
    with pytest.raises(MissingField) as missing:
        new(draft(**based), heard, PLAN)
    assert missing.value.field == "mission_item"
    with pytest.raises(ConflictingField) as unknown:
        new(draft(**based, mission_item="Z9"), heard, PLAN)
    assert unknown.value.field == "mission_item"
    assert new(draft(**based, mission_item="S2"), heard, PLAN).mission_item == "S2"


def test_a_consultation_keeps_its_own_item() -> None:
    with pytest.raises(InvalidField) as refused:
        new(draft(mission_item="S5"))
    assert refused.value.field == "mission_item"


def test_a_complaint_pattern_names_a_category_and_unit_of_the_catalogue_and_its_count() -> None:
    pattern = ComplaintPattern(category="school-lunch", fiscal_year=2570, round=1)
    with pytest.raises(InvalidField) as category:
        heard_complaints(pattern.model_copy(update={"category": "ufo"}), CATEGORIES, UNITS, None)
    assert category.value.field == "complaints.category"
    with pytest.raises(InvalidField) as unit:
        heard_complaints(pattern.model_copy(update={"unit": "nasa"}), CATEGORIES, UNITS, 3)
    assert unit.value.field == "complaints.unit"
    heard = heard_complaints(pattern, CATEGORIES, UNITS, 12)
    based = {"consultation_id": None, "complaints": pattern.model_dump(), "mission_item": "S2"}
    recorded = new(draft(**based), heard, PLAN)
    assert recorded.basis is OutcomeBasis.complaints and recorded.fiscal_year == 2570
    assert recorded.complaints is not None and recorded.complaints.count == 12
    # A change recounts; an unreadable count keeps the last one.
    assert recounted(recorded, 15).complaints.count == 15  # type: ignore[union-attr]
    assert recounted(recorded, None).complaints.count == 12  # type: ignore[union-attr]
    with pytest.raises(MissingField):
        new(draft(**{**based, "mission_item": None}), heard, PLAN)


def test_done_is_dated_today_unless_said_and_never_in_the_future() -> None:
    done = new(draft(status=S.done))
    assert done.done_on == TODAY
    with pytest.raises(InvalidField) as refused:
        new(draft(status=S.done, done_on=date(2027, 1, 1)))
    assert refused.value.field == "done_on"


def test_not_adopted_says_why() -> None:
    with pytest.raises(MissingField) as refused:
        new(draft(status=S.not_adopted))
    assert refused.value.field == "reason"
    with pytest.raises(MissingField):
        apply_change(outcome(), OutcomeChange(status=S.not_adopted), TODAY)
    why = "งบประมาณปี 2570 ไม่เพียงพอ"
    changed = apply_change(outcome(), OutcomeChange(status=S.not_adopted, reason=why), TODAY)
    assert changed.status is S.not_adopted and changed.reason == why


def test_only_those_who_consented_are_told_once_each() -> None:
    def giver(pid: str, consented: bool | None, submitted: bool = False) -> Giver:
        return Giver(pid, Language.en, Channel.line, consented, submitted)

    told = who_to_tell(
        [
            giver("p1", True),
            giver("p2", False, submitted=True),
            giver("p1", True),
            # Recorded before consent was kept: the page kept a person only with consent,
            # a submission's consent is unknown.
            giver("p3", None),
            giver("p4", None, submitted=True),
        ]
    )
    assert told == [
        PersonToTell(person_id="p1", language=Language.en, channel=Channel.line),
        PersonToTell(person_id="p3", language=Language.en, channel=Channel.line),
    ]


def test_publishing_announces_once_in_parts() -> None:
    assert announces(outcome(published=True), announced=False)
    assert not announces(outcome(published=True), announced=True)
    assert not announces(outcome(), announced=False)
    people = [PersonToTell(person_id=f"p{i}") for i in range(PART_SIZE + 1)]
    assert [len(p) for p in parts(people)] == [PART_SIZE, 1]
    assert parts([]) == [[]]


def test_status_moves_follow_the_table() -> None:
    started = apply_change(outcome(), OutcomeChange(status=S.in_progress), TODAY)
    done = apply_change(started, OutcomeChange(status=S.done), TODAY)
    assert done.done_on == TODAY
    with pytest.raises(IllegalTransition):
        apply_change(done, OutcomeChange(status=S.planned), TODAY)
    published = apply_change(done, OutcomeChange(published=True), TODAY)
    assert published.published and published.status is S.done


def test_the_public_page_groups_outcomes_by_mission_item_in_the_plans_order() -> None:
    a = outcome().model_copy(update={"outcome_id": "a", "mission_item": "S5"})
    b = outcome().model_copy(update={"outcome_id": "b", "mission_item": "S2"})
    c = outcome().model_copy(update={"outcome_id": "c", "mission_item": "S5"})
    d = outcome().model_copy(update={"outcome_id": "d", "mission_item": "X1"})
    grouped = by_mission_item(["S2", "S5"], [a, b, c, d])
    assert [(code, [o.outcome_id for o in group]) for code, group in grouped] == [
        ("S2", ["b"]),
        ("S5", ["a", "c"]),
        ("X1", ["d"]),
    ]
