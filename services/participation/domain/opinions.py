"""An opinion given on a consultation: refused while the consultation does not take
opinions (409), else checked against its groups and questions, naming the field it
refuses (422). Contact details are accepted only with the person's consent; the
domain says whether there are any, the handler writes them to the personal-data store."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from services.participation.domain.consultation import Consultation, QuestionKind
from services.participation.domain.errors import InvalidField, MissingField, Refused
from shared.contract.events import ConsultationStatus, Contact, Language
from shared.thai.dates import local_date

GIVE = "give an opinion"
MAX_ANSWER = 5000
MAX_THEMES = 10
THEME = r"^[^\s$.][^$.]{0,39}$"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OpinionConsent(_Model):
    contact_me: bool = False


class OpinionBody(_Model):
    """What a person sends, through the public page's form or the JSON API."""

    group: str = Field(min_length=1, max_length=32, examples=["parents"])
    # Question id → the text written, or the code of the choice picked.
    answers: dict[str, str] = Field(default_factory=dict, max_length=50)
    contact: Contact | None = None
    consent: OpinionConsent = OpinionConsent()
    language: Language = Language.th
    # Sent again with the same key (a double click, a retry), it is received once.
    submission_key: str | None = Field(default=None, pattern=r"^[A-Za-z0-9-]{8,64}$")


@dataclass(frozen=True, slots=True)
class CheckedOpinion:
    """An opinion the consultation takes: the answers kept (blanks dropped, text trimmed)."""

    group: str
    answers: dict[str, str]
    contact: Contact | None
    # An opinion that came through a channel as a submission: its words, when it answers
    # no question (a letter, an e-mail), and the submission it came as.
    comment: str | None = None
    submission_id: str | None = None


#: The group of an opinion whose sender did not say (a channel that does not ask).
UNSPECIFIED_GROUP = "unspecified"


def takes_opinions(consultation: Consultation, today: date) -> bool:
    return consultation.status is ConsultationStatus.open and today <= consultation.closes_on


def check_opinion(consultation: Consultation, body: OpinionBody, today: date) -> CheckedOpinion:
    """The opinion as it will be kept, or a refusal: `Refused` (409) when the
    consultation takes none now, `InvalidField` or `MissingField` (422) naming the field."""
    if not takes_opinions(consultation, today):
        status = consultation.status
        reason = "closed" if status is not ConsultationStatus.draft else "not_open"
        if status is ConsultationStatus.open:
            reason = "period_ended"
        raise Refused(
            f"consultation {consultation.consultation_id} takes no opinions now "
            f"({status}, last day {consultation.closes_on.isoformat()})",
            reason,
            status=status.value,
            closes_on=consultation.closes_on.isoformat(),
        )
    if body.group not in consultation.groups:
        raise InvalidField(GIVE, "group", "is not a group this consultation asks")
    answers: dict[str, str] = {}
    for question_id, raw in body.answers.items():
        question = consultation.question(question_id)
        field = f"answers.{question_id}"
        if question is None:
            raise InvalidField(GIVE, field, "is not a question of this consultation")
        value = raw.strip()
        if not value:
            continue
        if question.kind is QuestionKind.choice and value not in {c.code for c in question.choices}:
            raise InvalidField(GIVE, field, "is not one of the question's choices")
        if len(value) > MAX_ANSWER:
            raise InvalidField(GIVE, field, f"is longer than {MAX_ANSWER} characters")
        answers[question_id] = value
    for question in consultation.questions:
        if question.required and question.id not in answers:
            raise MissingField(GIVE, f"answers.{question.id}")
    if not answers:
        raise MissingField(GIVE, "answers")
    contact = _contact(body.contact)
    if contact is not None and not body.consent.contact_me:
        raise InvalidField(
            GIVE, "consent.contact_me", "must be ticked to leave contact details, or leave them out"
        )
    return CheckedOpinion(group=body.group, answers=answers, contact=contact)


def _contact(contact: Contact | None) -> Contact | None:
    """The contact with blanks dropped; None when nothing is left."""
    if contact is None:
        return None
    given = {k: v.strip() for k, v in contact.model_dump().items() if v and v.strip()}
    return Contact(**given) if given else None


def check_themes(themes: list[str]) -> list[str]:
    """Themes staff tag an opinion with: trimmed, each once, in the order given."""
    kept: list[str] = []
    for i, raw in enumerate(themes):
        theme = raw.strip()
        if not re.fullmatch(THEME, theme):
            raise InvalidField("tag an opinion", f"themes[{i}]", "is not a short theme")
        if theme not in kept:
            kept.append(theme)
    if len(kept) > MAX_THEMES:
        raise InvalidField("tag an opinion", "themes", f"are more than {MAX_THEMES}")
    return kept


@dataclass(frozen=True, slots=True)
class SubmittedOpinion:
    """What an opinion that came as a submission (any channel, through intake) brings."""

    submission_id: str
    group: str | None
    answers: dict[str, str]
    subject: str
    description: str
    received_at: datetime


def check_submitted(
    consultation: Consultation, sent: SubmittedOpinion, closed_at: datetime | None
) -> CheckedOpinion:
    """A submission intake accepted as an opinion, as it will be counted, or a refusal
    (`Refused`, `InvalidField`) when it cannot be: it is counted if the consultation took
    opinions on the day intake received it (a close that happened while it travelled does
    not lose it), but never once the results are concluded. Intake checked the group and
    the answers against what it knew; they are checked again against the consultation."""
    received_on = local_date(sent.received_at)
    closed_before = (
        consultation.status is ConsultationStatus.closed
        and closed_at is not None
        and closed_at < sent.received_at
    )
    took_it = (
        consultation.status in (ConsultationStatus.open, ConsultationStatus.closed)
        and received_on <= consultation.closes_on
        and not closed_before
    )
    if not took_it:
        raise Refused(
            f"consultation {consultation.consultation_id} took no opinions on "
            f"{received_on.isoformat()} ({consultation.status})",
            "not_taking_opinions",
            status=consultation.status.value,
        )
    group = sent.group or UNSPECIFIED_GROUP
    if sent.group is not None and sent.group not in consultation.groups:
        raise InvalidField(GIVE, "stakeholder_group", "is not a group this consultation asks")
    answers: dict[str, str] = {}
    for question_id, raw in sent.answers.items():
        question = consultation.question(question_id)
        value = raw.strip()
        if question is None:
            raise InvalidField(GIVE, f"answers.{question_id}", "is not a question of it")
        if not value:
            continue
        if question.kind is QuestionKind.choice and value not in {c.code for c in question.choices}:
            raise InvalidField(GIVE, f"answers.{question_id}", "is not one of its choices")
        answers[question_id] = value[:MAX_ANSWER]
    comment = None if answers else f"{sent.subject}\n\n{sent.description}".strip()
    return CheckedOpinion(
        group=group,
        answers=answers,
        contact=None,
        comment=comment,
        submission_id=sent.submission_id,
    )
