"""Reporting holds no personal data: an erasure changes no figure, and a survey answer's
comment (free text that may name people) is not kept in its journal."""

from __future__ import annotations

from datetime import UTC, datetime

from services.reporting.adapters.event_docs import event_doc
from services.reporting.domain.minimise import minimised
from services.reporting.domain.reducers import case_id_of, reduce
from shared.contract.events import (
    CasePersonalDataErased,
    CloudEvent,
    LegalBasis,
    SurveyAnswered,
    make_event,
)


def test_an_erasure_changes_no_aggregate() -> None:
    event = _erased()
    assert case_id_of(event) is None
    reduction = reduce(event, None)
    assert reduction.new_facts is None and list(reduction.updates) == []


def test_a_survey_comment_is_never_kept_its_score_is() -> None:
    answer = SurveyAnswered(
        case_id="c-1",
        rating=2,
        solved=False,
        comment="คุณสมชายที่หน้าโรงเรียนพูดไม่สุภาพ",
        answered_at=datetime(2026, 3, 5, tzinfo=UTC),
    )
    event = make_event(answer, source="/siang/intake", subject="c-1")
    kept = minimised(event)
    assert kept.data.comment is None
    assert (kept.id, kept.data.rating, kept.data.solved) == (event.id, 2, False)
    assert "สมชาย" not in str(event_doc(kept, datetime(2026, 3, 5, tzinfo=UTC), 0))
    other = _erased()
    assert minimised(other) is other


def _erased() -> CloudEvent[CasePersonalDataErased]:
    return make_event(
        CasePersonalDataErased(
            case_id="c-1", person_id="p-1", erasure_id="e-1", legal_basis=LegalBasis.retention
        ),
        source="/siang/workflow",
        subject="c-1",
    )
