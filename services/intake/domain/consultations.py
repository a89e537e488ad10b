"""Whether a submission carrying `consultation_id` may be received: the consultation must
be published and taking opinions, the group one it asks, the answers its questions'.

Pure. Intake learns consultations from the participation service's events
(`participation.consultation_opened`, `_closed`, `_concluded`), folded here by `apply`
into the little it needs; `adapters/consultation_book.py` keeps the result. A draft
publishes nothing, so to a channel it is as unknown as an id never used (the public
consultation page answers 404 for it too).
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from services.intake.domain.submission import SubmissionRequest
from shared.contract.events import (
    ConsultationClosed,
    ConsultationConcluded,
    ConsultationOpened,
    ConsultationStatus,
    QuestionAsked,
)

# Thai words for a consultation's status, for the 409's message.
STATUS_TH = {
    ConsultationStatus.draft: "ยังไม่เปิด",
    ConsultationStatus.open: "หมดระยะเวลารับฟังแล้ว",
    ConsultationStatus.closed: "ปิดรับความคิดเห็นแล้ว",
    ConsultationStatus.concluded: "สรุปผลแล้ว",
}


class ConsultationState(BaseModel):
    """What intake knows of a published consultation."""

    model_config = ConfigDict(frozen=True)

    consultation_id: str
    status: ConsultationStatus
    opens_on: date
    closes_on: date
    groups: tuple[str, ...]
    asked: tuple[QuestionAsked, ...] = ()
    # The time of the last event applied: an older one redelivered changes nothing.
    as_of: datetime


ConsultationEvent = ConsultationOpened | ConsultationClosed | ConsultationConcluded


def apply(
    state: ConsultationState | None, event: ConsultationEvent, at: datetime
) -> ConsultationState | None:
    """The state after `event` (published at `at`); None when it tells nothing (a close
    of a consultation never seen open). Events older than the state are ignored, so a
    redelivery in any order leaves the latest."""
    if state is not None and at < state.as_of:
        return state
    if isinstance(event, ConsultationOpened):
        return ConsultationState(
            consultation_id=event.consultation_id,
            status=ConsultationStatus.open,
            opens_on=event.opens_on,
            closes_on=event.closes_on,
            groups=tuple(event.groups),
            asked=tuple(event.asked),
            as_of=at,
        )
    if state is None:
        return None
    status = (
        ConsultationStatus.closed
        if isinstance(event, ConsultationClosed)
        else ConsultationStatus.concluded
    )
    return state.model_copy(update={"status": status, "as_of": at})


class UnknownConsultation(Exception):
    """No published consultation has this id (422, naming `consultation_id`)."""

    def __init__(self, consultation_id: str) -> None:
        super().__init__(f"no published consultation {consultation_id}")
        self.consultation_id = consultation_id


class ConsultationNotOpen(Exception):
    """The consultation takes no opinions now: closed, concluded, or past its last day (409)."""

    def __init__(self, consultation_id: str, status: ConsultationStatus, closes_on: date) -> None:
        super().__init__(f"consultation {consultation_id} takes no opinions now ({status})")
        self.consultation_id = consultation_id
        self.status = status
        self.closes_on = closes_on


class InvalidOpinion(Exception):
    """The group or an answer is not one the consultation takes (422, naming the field)."""

    def __init__(self, field: str, code: str, **values: str) -> None:
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code
        self.values = values


def check_opinion(body: SubmissionRequest, state: ConsultationState | None, today: date) -> None:
    """Refuse an opinion the consultation cannot take now (`UnknownConsultation`,
    `ConsultationNotOpen`, `InvalidOpinion`); a submission without `consultation_id`
    passes. Answers, when given, are checked as the consultation's page checks them;
    without answers (a letter, an e-mail) the description is the opinion."""
    if body.consultation_id is None:
        return
    if state is None:
        raise UnknownConsultation(body.consultation_id)
    # As the participation service decides (`takes_opinions`): open, and not past its
    # last day (the system closes it within a minute or so after).
    if state.status is not ConsultationStatus.open or today > state.closes_on:
        raise ConsultationNotOpen(body.consultation_id, state.status, state.closes_on)
    if body.stakeholder_group is not None and body.stakeholder_group not in state.groups:
        raise InvalidOpinion("stakeholder_group", "group_not_asked", group=body.stakeholder_group)
    answers = body.opinion_answers()
    if not answers or not state.asked:
        return
    asked = {q.id: q for q in state.asked}
    for question_id, value in answers.items():
        question = asked.get(question_id)
        field = f"answers.{question_id}"
        if question is None:
            raise InvalidOpinion(field, "unknown_question")
        if question.kind == "choice" and value.strip() not in question.choices:
            raise InvalidOpinion(field, "not_a_choice", expected=", ".join(question.choices))
    for question in state.asked:
        if question.required and question.id not in answers:
            raise InvalidOpinion(f"answers.{question.id}", "answer_required")
