"""The demo script: parsing, and which steps of a story are left to take."""

from __future__ import annotations

from datetime import date

import pytest

from deploy.local.demo_story import (
    DemoFileError,
    Step,
    load_demo,
    parse_demo,
    parse_step,
    steps_to_do,
    supervisor_of,
)
from services.intake.domain.submission import parse_submission
from services.workflow.domain.lifecycle import TRANSITIONS, Command, CommandPayload, Role
from shared.contract.catalogue import DEFAULT_PATH, load_catalogue

TODAY = date(2026, 11, 27)


def test_steps_in_their_three_yaml_shapes() -> None:
    assert parse_step("start", "k") == Step("start")
    assert parse_step({"resolve": " คำตอบ "}, "k") == Step("resolve", {"public_answer": "คำตอบ"})
    assert parse_step({"close": "ไม่อยู่ในอำนาจ"}, "k").payload == {"public_reason": "ไม่อยู่ในอำนาจ"}
    assert parse_step({"refer": "ป.ป.ช."}, "k") == Step("refer", {"referred_to": "ป.ป.ช."})
    assert parse_step({"comment": {"text": "โน้ต"}}, "k").payload == {
        "text": "โน้ต",
        "visibility": "internal",
    }
    assert parse_step({"merge": "other"}, "k") == Step("merge", merge_into="other")


@pytest.mark.parametrize(
    "raw",
    [
        "resolve",  # needs its answer
        {"fly": "x"},
        {"resolve": ""},
        {"comment": {"visibility": "public"}},
        {"comment": {"text": "x", "visibility": "secret"}},
        {"start": None, "close": None},
    ],
)
def test_malformed_steps_are_refused_with_the_key(raw: object) -> None:
    with pytest.raises(DemoFileError, match=r"entry-1|visibility"):
        parse_step(raw, "entry-1")


def test_only_reject_and_refer_need_the_supervisor() -> None:
    assert parse_step({"reject": "x"}, "k").by_supervisor
    assert parse_step({"refer": "x"}, "k").by_supervisor
    assert not parse_step({"resolve": "x"}, "k").by_supervisor
    assert supervisor_of("legal") == "legal.head"


def test_an_entry_becomes_a_body_with_a_relative_date() -> None:
    (entry,) = parse_demo(
        """
submissions:
  - key: a
    kind: question
    category: documents
    subject: s
    description: d
    occurred_days_ago: 3
    story: [start]
""",
        TODAY,
    )
    assert entry.body == {
        "kind": "question",
        "category": "documents",
        "subject": "s",
        "description": "d",
        "occurred_on": "2026-11-24",
        "language": "th",
    }
    assert entry.story == (Step("start"),)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("submissions: [{key: a}, {key: a}]", "duplicate keys"),
        ("submissions: [{key: a, story: [{merge: b}]}]", "unknown key b"),
        ("submissions: [{subject: s}]", "without a key"),
    ],
)
def test_a_broken_demo_file_is_refused(text: str, problem: str) -> None:
    with pytest.raises(DemoFileError, match=problem):
        parse_demo(text, TODAY)


def _entry(command: str, role: str) -> dict[str, str]:
    return {"command": command, "role": role}


def test_steps_already_on_the_timeline_are_not_taken_again() -> None:
    story = (Step("start"), Step("comment", {"text": "x"}), Step("resolve", {"public_answer": "y"}))
    opened = [_entry("open", "system"), _entry("triage", "system"), _entry("assign", "system")]
    assert steps_to_do(story, opened) == story
    assert steps_to_do(story, [*opened, _entry("start", "staff")]) == story[1:]
    taken = [*opened, _entry("start", "staff"), _entry("comment", "staff")]
    assert steps_to_do(story, [*taken, _entry("resolve", "staff")]) == ()
    # The supervisor taking an unassigned case is not a story step.
    assert steps_to_do(story, [*opened, _entry("assign", "supervisor")]) == story


def test_the_shipped_demo_is_valid_for_intake_and_the_lifecycle() -> None:
    catalogue = load_catalogue(DEFAULT_PATH)
    entries = load_demo(TODAY)
    assert len(entries) >= 30
    used = {e.body["category"] for e in entries}
    for wanted in (
        "school-lunch",
        "school-admission",
        "teacher-conduct",
        "documents",
        "procurement",
        "ict-services",
    ):
        assert wanted in used
    assert {"complaint", "compliment", "question", "suggestion"} <= {
        e.body["kind"] for e in entries
    }
    assert {"th", "en"} == {e.body["language"] for e in entries}
    assert any(e.body.get("named_person") for e in entries)
    for entry in entries:
        parse_submission(entry.body, catalogue, today=TODAY)  # raises on any bad field
        for step in entry.story:
            command = Command(step.command)
            CommandPayload.model_validate(step.payload)
            role = Role.supervisor if step.by_supervisor else Role.staff
            assert any(role in rule.roles for rule in TRANSITIONS[command].values()), (
                entry.key,
                command,
            )
