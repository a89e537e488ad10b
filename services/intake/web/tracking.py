"""What the tracking page shows of a case, in the reader's language: the same fields as
`/v1/track` (status, unit, category, dates, the answer deadline, how it was closed, the
public answer and the public timeline), turned into words and Thai or English dates (B.E.
in Thai), and which of the complainant's own changes the case takes now."""

from __future__ import annotations

from dataclasses import dataclass

from services.intake.domain.progress import PublicStep
from services.intake.handlers.track import TrackingView
from services.intake.web.texts import Texts
from shared.contract.catalogue import Catalogue, UnknownCategory
from shared.contract.events import CaseStatus, Language
from shared.contract.vocabulary import ACTIVE_STATUSES
from shared.thai.dates import format_date, format_datetime


@dataclass(frozen=True, slots=True)
class PageStep:
    at: str
    what: str
    message: str | None
    # The complainant's own words (their added information, their reason to withdraw).
    theirs: bool = False


@dataclass(frozen=True, slots=True)
class TrackingPage:
    tracking_code: str
    status: str
    category: str
    unit: str | None
    received_at: str
    updated_at: str
    answer_due_on: str | None
    closed: bool
    close_reason: str | None
    public_answer: str | None
    timeline: tuple[PageStep, ...]
    # The complainant withdrew it; the workflow is closing it.
    withdrawn: bool = False
    may_add: bool = False
    may_withdraw: bool = False


def _category(catalogue: Catalogue, code: str, language: Language) -> str:
    try:
        category = catalogue.category(code)
    except UnknownCategory:
        return code
    return category.name_th if language == Language.th else category.name_en


def _unit(catalogue: Catalogue, code: str, language: Language) -> str:
    try:
        unit = catalogue.unit(code)
    except KeyError:
        return code
    return unit.name_th if language == Language.th else unit.name_en


def _step(step: PublicStep, t: Texts, language: Language) -> PageStep:
    # A change of status reads as the status it reached; a public message as "a message".
    # Their own added information reads as theirs, even when it also moved the case on.
    by_event = step.event == "add_info" or not step.status
    what = t[f"event.{step.event}"] if by_event else t[f"status.{step.status}"]
    return PageStep(
        at=format_datetime(step.at, language.value),
        what=what,
        message=step.message,
        theirs=step.event in ("add_info", "withdraw"),
    )


def tracking_page(view: TrackingView, catalogue: Catalogue, language: Language) -> TrackingPage:
    t = Texts(language)
    record, case = view.record, view.case
    lang = language.value
    withdrawn = record.withdrawn_at is not None
    status = view.status
    return TrackingPage(
        tracking_code=record.tracking_code,
        status=t[f"status.{view.status}"],
        category=_category(catalogue, case.category if case else record.category, language),
        unit=_unit(catalogue, case.unit, language) if case else None,
        received_at=format_datetime(record.received_at, lang),
        updated_at=format_datetime(view.updated_at, lang),
        answer_due_on=(
            format_date(case.answer_due_at, lang) if case and case.answer_due_at else None
        ),
        closed=view.status == "closed",
        close_reason=(
            t[f"close_reason.{case.close_reason}"] if case and case.close_reason else None
        ),
        public_answer=case.public_answer if case else None,
        timeline=tuple(_step(s, t, language) for s in case.timeline) if case else (),
        withdrawn=withdrawn and status != "closed",
        may_add=status != "closed" and not withdrawn,
        may_withdraw=CaseStatus(status) in ACTIVE_STATUSES and not withdrawn,
    )
