"""The shared vocabulary: status groups, and a Thai and an English label for every value."""

from __future__ import annotations

from enum import StrEnum

import pytest

from shared.contract.events import (
    CaseStatus,
    Channel,
    Clock,
    CloseReason,
    ComplaintType,
    DeliveryChannel,
    Kind,
    Language,
    LegalBasis,
    Priority,
)
from shared.contract.roles import StaffRole
from shared.contract.vocabulary import (
    ACTIVE_STATUSES,
    ASSIGNMENT_REASON_LABELS,
    CHANNEL_LABELS,
    CLOCK_LABELS,
    CLOSE_REASON_LABELS,
    CLOSED_STATUSES,
    COMPLAINT_TYPE_LABELS,
    DELIVERY_CHANNEL_LABELS,
    KIND_LABELS,
    LEGAL_BASIS_LABELS,
    OPEN_STATUSES,
    PRACTICE_LABELS,
    PRIORITY_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    AssignmentReason,
    Label,
    Practice,
    in_language,
    keyed,
    word_for,
)

TABLES: list[tuple[type[StrEnum], object]] = [
    (CaseStatus, STATUS_LABELS),
    (Kind, KIND_LABELS),
    (Priority, PRIORITY_LABELS),
    (Channel, CHANNEL_LABELS),
    (Practice, PRACTICE_LABELS),
    (ComplaintType, COMPLAINT_TYPE_LABELS),
    (Clock, CLOCK_LABELS),
    (CloseReason, CLOSE_REASON_LABELS),
    (AssignmentReason, ASSIGNMENT_REASON_LABELS),
    (LegalBasis, LEGAL_BASIS_LABELS),
    (DeliveryChannel, DELIVERY_CHANNEL_LABELS),
    (StaffRole, ROLE_LABELS),
]


def test_open_is_every_status_not_closed() -> None:
    assert set(OPEN_STATUSES) | set(CLOSED_STATUSES) == set(CaseStatus)
    assert not set(OPEN_STATUSES) & set(CLOSED_STATUSES)
    assert CaseStatus.closed in CLOSED_STATUSES
    assert CaseStatus.closed not in OPEN_STATUSES


def test_open_is_active_plus_resolved() -> None:
    assert set(OPEN_STATUSES) == {*ACTIVE_STATUSES, CaseStatus.resolved}
    assert CaseStatus.resolved not in ACTIVE_STATUSES
    assert set(ACTIVE_STATUSES) == {
        CaseStatus.received,
        CaseStatus.triaged,
        CaseStatus.assigned,
        CaseStatus.in_progress,
        CaseStatus.awaiting_info,
    }


def test_groups_keep_the_lifecycle_order() -> None:
    order = list(CaseStatus)
    for group in (OPEN_STATUSES, ACTIVE_STATUSES, CLOSED_STATUSES):
        assert list(group) == sorted(group, key=order.index)


@pytest.mark.parametrize(("enum", "labels"), TABLES)
def test_every_value_has_a_thai_and_an_english_label(enum: type[StrEnum], labels: dict) -> None:
    assert set(labels) == set(enum)
    for label in labels.values():
        assert isinstance(label, Label)
        assert label.th.strip() and label.en.strip()


def test_no_two_statuses_share_a_label() -> None:
    assert len({label.th for label in STATUS_LABELS.values()}) == len(CaseStatus)
    assert len({label.en for label in STATUS_LABELS.values()}) == len(CaseStatus)


def test_a_label_in_each_language() -> None:
    label = STATUS_LABELS[CaseStatus.awaiting_info]
    assert label.in_language(Language.th) == label.in_language("th") == label.th
    assert label.in_language(Language.en) == label.in_language("en") == label.en


def test_tables_for_pages_and_templates() -> None:
    assert (
        keyed("status", STATUS_LABELS)["status.in_progress"]
        == STATUS_LABELS[CaseStatus.in_progress]
    )
    assert in_language(STATUS_LABELS, "en")["awaiting_info"] == "Awaiting information"
    assert in_language(KIND_LABELS, "th")["complaint"] == "ร้องเรียน"


def test_a_word_for_a_code_or_the_code_itself() -> None:
    assert word_for(KIND_LABELS, "question", "th") == "สอบถาม"
    assert word_for(KIND_LABELS, Kind.question, "en") == "Question"
    assert word_for(ASSIGNMENT_REASON_LABELS, "fewest open cases", "th").startswith("มอบหมาย")
    # A code no table knows (a newer release's, or a person's own words) shows as it is.
    assert word_for(KIND_LABELS, "petition", "th") == "petition"
    assert word_for(ASSIGNMENT_REASON_LABELS, "ลาคลอด รับแทน", "en") == "ลาคลอด รับแทน"
    assert word_for(KIND_LABELS, None, "th") == ""


def test_the_services_call_a_deadline_and_a_complaint_type_what_the_vocabulary_does() -> None:
    # Imported here: the vocabulary's other tests need no service.
    from services.intake.web.texts import Texts as FormTexts
    from services.notifications.domain.labels import labels_for
    from services.reporting.web.texts import Texts as ReportTexts
    from shared.contract.catalogue import load_catalogue

    for language in Language:
        form, report = FormTexts(language), ReportTexts(language.value, load_catalogue())
        letter = labels_for(language)["clock"]
        for clock, label in CLOCK_LABELS.items():
            words = label.in_language(language)
            assert report[f"deadline.{clock.value}"] == words
            assert letter[clock.value].casefold().endswith(words.casefold())
        for ctype, label in COMPLAINT_TYPE_LABELS.items():
            words = label.in_language(language)
            assert form[f"complaint_type.{ctype.value}"] == words
            assert report[f"complaint_type.{ctype.value}"].casefold().endswith(words.casefold())
