"""The pure parts of the privacy commands: which closed cases are due for retention, and
what an erasure request erases (the survey comment too, not its score)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.workflow.domain.erasure import check_basis, decide_erasure, free_text_erasure
from services.workflow.domain.errors import MissingField
from services.workflow.domain.retention import RetentionSettings, due_for_retention
from services.workflow.handlers.surveys import NOT_SOLVED
from services.workflow.settings import WorkflowSettings
from shared.contract.events import Kind, LegalBasis

NOW = datetime(2569 - 543, 6, 1, tzinfo=UTC)


def case(
    case_id: str, kind: str, closed_days_ago: int | None, **extra: object
) -> dict[str, object]:
    closed = closed_days_ago is not None
    return {
        "_id": case_id,
        "kind": kind,
        "status": "closed" if closed else "in_progress",
        "closed_at": NOW - timedelta(days=closed_days_ago) if closed_days_ago is not None else None,
        "person_id": f"p-{case_id}",
        **extra,
    }


def test_complaints_keep_ten_years_the_others_two() -> None:
    settings = RetentionSettings()
    assert settings.keep(Kind.complaint) >= timedelta(days=3652)
    for kind in (Kind.feedback, Kind.suggestion, Kind.compliment, Kind.question):
        assert timedelta(days=730) <= settings.keep(kind) < settings.keep(Kind.complaint)


def test_only_closed_cases_past_their_kind_s_retention_with_a_person_are_due() -> None:
    cases = [
        case("old-complaint", "complaint", 3700),
        case("young-complaint", "complaint", 2000),
        case("old-question", "question", 800),
        case("young-feedback", "feedback", 100),
        case("open", "complaint", None),
        case("anonymous", "complaint", 4000, person_id=None),
        case("erased", "question", 900, personal_data_erased_at=NOW),
    ]
    due = due_for_retention(cases, NOW, RetentionSettings())
    assert [d.case_id for d in due] == ["old-complaint", "old-question"]
    assert due[0].person_id == "p-old-complaint"


def test_retention_per_kind_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIANG_WORKFLOW_RETENTION__QUESTION_DAYS", "30")
    settings = WorkflowSettings().retention
    assert settings.keep(Kind.question) == timedelta(days=30)
    assert [d.case_id for d in due_for_retention([case("q", "question", 31)], NOW, settings)]


def test_an_erasure_marks_the_cases_not_marked_yet() -> None:
    cases = [case("a", "complaint", None), case("b", "complaint", 1, personal_data_erased_at=NOW)]
    decided = decide_erasure("p-1", cases, on_file=True)
    assert decided.case_ids == ("a",) and not decided.repeated


def test_asking_again_when_nothing_is_left_is_a_repeat() -> None:
    cases = [case("a", "complaint", 1, personal_data_erased_at=NOW)]
    assert decide_erasure("p-1", cases, on_file=False).repeated
    # A person still on file (say, from a consultation) is erased even without cases.
    assert not decide_erasure("p-1", [], on_file=True).repeated


def test_other_needs_a_note() -> None:
    with pytest.raises(MissingField):
        check_basis(LegalBasis.other, "  ")
    assert check_basis(LegalBasis.other, " court order ") == "court order"
    assert check_basis(LegalBasis.retention, "") is None


def test_an_erasure_blanks_the_survey_comment_and_keeps_the_score() -> None:
    reopened = f"{NOT_SOLVED}: คุณสมชายที่ห้องธุรการไม่ยอมรับเรื่อง"
    surveyed = case(
        "a",
        "complaint",
        1,
        survey={"rating": 1, "solved": False, "comment": "คุณสมชายไม่ยอมรับเรื่อง"},
        timeline=[
            {"actor": "personnel.a", "command": "resolve", "reason": None},
            {"actor": "survey", "command": "reopen", "reason": reopened},
            {"actor": "survey", "command": "reopen", "reason": NOT_SOLVED},
        ],
    )
    assert free_text_erasure(surveyed, NOT_SOLVED) == {
        "survey.comment": None,
        "survey.comment_erased": True,
        "timeline.1.reason": NOT_SOLVED,
    }
    no_comment = case("b", "complaint", 1, survey={"rating": 5, "solved": True, "comment": None})
    assert free_text_erasure(no_comment, NOT_SOLVED) == {}
    assert free_text_erasure(case("c", "question", 1), NOT_SOLVED) == {}
