"""Dates and numbers follow the reader's language on every service's pages and notices:
Thai reads B.E. years and Thai month names, English C.E. years and English months,
never the other's; counts are grouped by thousands. One representative page or notice
of each service, rendered in both languages from the service's own templates."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from services.intake.domain.progress import CaseProgress, PublicStep
from services.intake.domain.tracking import TrackingRecord
from services.intake.handlers.track import TrackingView
from services.intake.web.pages import _ENV as INTAKE_PAGES
from services.intake.web.texts import Texts as IntakeTexts
from services.intake.web.tracking import tracking_page
from services.notifications.domain.notice import TemplateName
from services.notifications.domain.template_samples import sample
from services.notifications.domain.templates import render
from services.notifications.settings import NotificationsSettings
from services.participation.web.pages import _ENV as PARTICIPATION_PAGES
from services.participation.web.texts import Texts as ParticipationTexts
from services.reporting.web.pages import _ENV as REPORTING_PAGES
from services.reporting.web.texts import Texts as ReportingTexts
from shared.contract.catalogue import load_catalogue
from shared.contract.events import Language
from shared.thai.dates import format_date

# 20 November 2026 in Bangkok: B.E. 2569, fiscal year 2570 (2026–27).
RECEIVED = datetime(2026, 11, 20, 3, 30, tzinfo=UTC)
DUE = datetime(2026, 12, 11, 16, 59, tzinfo=UTC)
CATALOGUE = load_catalogue()


def visible(html: str) -> str:
    """The words a reader sees: no tags, no attributes (links keep their B.E. years)."""
    html = re.sub(r"(?s)<(style|script)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"(?s)<[^>]+>", " ", html))


def assert_in_calendar(text: str, language: str) -> None:
    """B.E. and Thai months in Thai, C.E. and English months in English, no ISO dates."""
    assert not re.search(r"\b\d{4}-\d\d-\d\d\b", text), "an ISO date shown"
    if language == "th":
        assert "2569" in text and ("พฤศจิกายน" in text or "พ.ย." in text)
        assert not re.search(r"\b20[0-4]\d\b", text), "a C.E. year in Thai"
    else:
        assert "2026" in text and ("November" in text or "Nov" in text)
        assert not re.search(r"\b25[5-9]\d\b", text), "a B.E. year in English"


@pytest.mark.parametrize("language", list(Language))
def test_the_tracking_page_dates_the_case_in_the_readers_calendar(language: Language) -> None:
    record = TrackingRecord(
        submission_id="s-1",
        tracking_code="SG-7K2P-9QXM",
        pin_hash="-",
        channel="web",
        kind="complaint",
        category="school-lunch",
        language=language.value,
        received_at=RECEIVED,
    )
    step = PublicStep(at=RECEIVED, status="triaged", event="triage", message=None)
    case = CaseProgress(
        status="in_progress",
        kind="complaint",
        category="school-lunch",
        unit="promotion",
        updated_at=RECEIVED,
        answer_due_at=DUE,
        close_reason=None,
        public_answer=None,
        timeline=(step,),
    )
    found = tracking_page(TrackingView(record, case), CATALOGUE, language)
    html = INTAKE_PAGES.get_template("track.html").render(
        lang=language.value,
        t=IntakeTexts(language),
        switch_url="/track/SG-7K2P-9QXM",
        code="SG-7K2P-9QXM",
        found=found,
        values={},
    )
    text = visible(html)
    assert_in_calendar(text, language.value)
    # The answer is due 11 December, in words.
    assert ("11 ธันวาคม 2569" if language is Language.th else "11 December 2026") in text


@pytest.mark.parametrize("language", list(Language))
def test_a_notice_dates_the_case_in_the_readers_calendar(language: Language) -> None:
    settings = NotificationsSettings()
    found = sample(
        TemplateName.case_received,
        language,
        settings.office_with_catalogue(),
        settings.survey_links(),
        RECEIVED,
    )
    message = render(found.notice)
    for text in (message.text, visible(message.html)):
        assert_in_calendar(text, language.value)


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_transparency_page_names_the_year_and_groups_figures(language: str) -> None:
    t = ReportingTexts(language, CATALOGUE)
    report = SimpleNamespace(
        fiscal_year=2570,
        received=12345,
        completed=9876,
        answered_in_15_days=0.912,
        satisfaction_mean=4.25,
        satisfaction_responses=1500,
    )
    html = REPORTING_PAGES.get_template("transparency.html").render(
        t=t,
        lang=language,
        switch_url="/transparency",
        office="Siang",
        r=report,
        years=[2569, 2570],
        category_items=[],
        channel_items=[],
        kind_items=[],
    )
    text = visible(html)
    assert "12,345" in text and "9,876" in text and "1,500" in text
    if language == "th":
        assert "2570" in text and "2026" not in text
    else:
        assert "2026–27" in text and "2025–26" in text and not re.search(r"\b25[5-9]\d\b", text)


@pytest.mark.parametrize("language", list(Language))
def test_you_said_we_did_names_the_year_and_dates_the_outcome(language: Language) -> None:
    t = ParticipationTexts(language)
    outcome = SimpleNamespace(
        consultation_id="cn-1",
        basis=SimpleNamespace(value="consultation"),
        you_said_th="อยากได้ผลไม้",
        you_said_en="More fruit",
        we_did_th="เพิ่มผลไม้",
        we_did_en="Fruit three days a week",
        status=SimpleNamespace(value="done"),
        owner_unit="promotion",
        done_on=date(2026, 11, 20),
        due_on=None,
        reason=None,
    )
    published = SimpleNamespace(outcome=outcome, topic_th="อาหารกลางวัน", topic_en="Lunch")
    group = SimpleNamespace(
        item=SimpleNamespace(name_th="คุณภาพผู้เรียน", name_en="Learners"), outcomes=[published]
    )
    html = PARTICIPATION_PAGES.get_template("you_said_we_did.html").render(
        lang=language.value,
        t=t,
        day=lambda d: format_date(d, language.value),
        office="Siang",
        switch_url="/you-said-we-did",
        fiscal_year=2570,
        items=[group],
        heard=lambda p: "",
        unit_names={},
    )
    text = visible(html)
    assert_in_calendar(text, language.value)
    if language is Language.en:
        assert "2026–27" in text and "2025–26" in text  # this year and the one before
    else:
        assert "2570" in text and "2569" in text
