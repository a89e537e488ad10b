"""The participation views and report: what a consultation's and an outcome's events make
of them, the 6- and 12-month rounds, the public version's hidden small counts, the CSV
and the printable PDF (rendered by poppler, as a reader's viewer would)."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from services.reporting.adapters.participation_names import Name, load_group_names
from services.reporting.api.csv_export import to_csv
from services.reporting.domain import views as v
from services.reporting.domain.batch import Applier
from services.reporting.domain.participation import participation_updates, round_in
from services.reporting.domain.participation_report import (
    ParticipationReport,
    UnknownRound,
    for_public,
    participation_report,
    participation_table,
)
from services.reporting.read_cache.cells import flat_cell
from services.reporting.read_cache.memory_views import MemoryViews
from services.reporting.settings import ReportingSettings
from services.reporting.web.pdf import participation_pdf
from services.reporting.web.texts import Texts
from shared.contract.catalogue import load_catalogue
from shared.contract.events import CloudEvent, OutcomeStatus

from .participation_histories import T0, Consultation


def report_of(events: list[CloudEvent[Any]], months: int = 12) -> ParticipationReport:
    views = MemoryViews()
    views.apply(Applier().feed_all(events).outcome().updates)
    return participation_report(
        [flat_cell(d, v.CONSULTATION_KEY) for d in views.documents(v.CONSULTATIONS)],
        [flat_cell(d, v.OUTCOME_KEY) for d in views.documents(v.OUTCOMES)],
        2570,
        months,
        item_order=["M2", "M1"],
        group_order=["teachers", "parents"],
    )


def lunch_year() -> list[CloudEvent[Any]]:
    """A consultation on school lunches in FY 2570: opinions in March and in April (either
    side of the rounds' boundary), concluded, with two outcomes."""
    c = Consultation("cn-lunch", "M1", datetime(2027, 3, 1, 9, tzinfo=T0.tzinfo))
    events = [c.opened(("parents", "teachers"))]
    events += [c.opinion("parents", timedelta(hours=1)) for _ in range(6)]
    events += [c.opinion("teachers", timedelta(hours=1)) for _ in range(2)]
    events += [c.opinion("parents", timedelta(days=40))]  # 10 April: round 2
    events += [c.closed(timedelta(days=5)), c.concluded("ผู้ปกครองอยากให้มีผลไม้ทุกวัน")]
    events += [
        c.outcome("oc-1", OutcomeStatus.planned, published=True, due_on=date(2027, 6, 1)),
        c.outcome_moved("oc-1", OutcomeStatus.planned, OutcomeStatus.done, True, "มีผลไม้ทุกวันแล้ว"),
        c.outcome("oc-2", OutcomeStatus.planned, published=False, we_did="ยังไม่เผยแพร่"),
    ]
    return events


def test_a_consultation_is_reported_with_its_topic_groups_results_and_outcomes() -> None:
    report = report_of(lunch_year())
    (section,) = report.sections
    assert section.mission_item == "M1"
    (line,) = section.consultations
    assert line.topic == "ประเด็น cn-lunch"
    assert line.status == "concluded"
    assert line.summary == "ผู้ปกครองอยากให้มีผลไม้ทุกวัน"
    assert line.by_group == {"teachers": 2, "parents": 7}  # the configured order
    assert line.participants == 9
    done, hidden = section.outcomes
    assert (done.status, done.we_did_th, done.done_on) == (
        "done",
        "มีผลไม้ทุกวันแล้ว",
        date(2027, 4, 15),
    )
    assert done.topic == line.topic and done.you_said_th == "อยากให้มีผลไม้ทุกวัน"
    assert not hidden.published
    assert report.outcomes_by_status["done"] == 1


def test_the_six_month_round_counts_october_to_march_only() -> None:
    six = report_of(lunch_year(), months=6)
    assert (six.first_day, six.last_day) == (date(2026, 10, 1), date(2027, 3, 31))
    assert six.sections[0].consultations[0].by_group == {"teachers": 2, "parents": 6}
    # Both outcomes were recorded in April, after the round.
    assert six.sections[0].outcomes == []
    twelve = report_of(lunch_year(), months=12)
    assert twelve.last_day == date(2027, 9, 30)
    with pytest.raises(UnknownRound):
        report_of(lunch_year(), months=3)


def test_a_reopened_consultation_stays_in_the_round_it_opened_in() -> None:
    c = Consultation("cn-r", "M2", datetime(2026, 11, 2, 9, tzinfo=T0.tzinfo))
    events = [c.opened(), c.closed(timedelta(days=200)), c.opened(reopened=True)]
    six = report_of(events, months=6)
    (line,) = six.sections[0].consultations
    assert line.status == "open" and line.opens_on == date(2026, 11, 2)
    assert line.by_group == {"teachers": 0, "parents": 0}  # asked, nobody answered yet


def test_the_public_version_hides_small_counts_and_unpublished_outcomes() -> None:
    public = for_public(report_of(lunch_year()))
    (line,) = public.sections[0].consultations
    # 2 teachers is small; 7 parents would give it away from the total, so it goes too.
    assert line.by_group == {"teachers": None, "parents": None}
    assert line.participants == 9
    assert [o.outcome_id for o in public.sections[0].outcomes] == ["oc-1"]
    csv = to_csv(participation_table(public))
    # Both hidden counts are marked alike: "*", never "<5", which would be untrue of
    # the 7 parents hidden only to protect the 2 teachers.
    assert ",*," in csv and "<5" not in csv and "ยังไม่เผยแพร่" not in csv
    assert "มีผลไม้ทุกวันแล้ว" in to_csv(participation_table(report_of(lunch_year())))


def test_an_event_type_no_reducer_knows_changes_nothing() -> None:
    class CommitteeMeetingHeld(BaseModel):  # as a newer participation service may publish
        committee_id: str
        fiscal_year: int

    event = CloudEvent[CommitteeMeetingHeld](
        source="test",
        type="th.go.siang.participation.committee_meeting_held.v1",
        subject="cm-1",
        data=CommitteeMeetingHeld(committee_id="cm-1", fiscal_year=2570),
    )
    assert participation_updates(event) == ()
    out = Applier().feed_all([*lunch_year(), event]).outcome()
    assert event in out.applied  # in the ledger and the journal: a later rebuild sees it
    assert report_of([*lunch_year(), event]) == report_of(lunch_year())


def test_rounds_are_the_halves_of_the_consultations_own_fiscal_year() -> None:
    assert round_in(2570, date(2026, 10, 1)) == 1
    assert round_in(2570, date(2027, 3, 31)) == 1
    assert round_in(2570, date(2027, 4, 1)) == 2
    assert round_in(2570, date(2027, 10, 3)) == 2  # after the year: still its year's


def test_the_pdf_is_a4_thai_with_buddhist_era_dates(tmp_path: Path) -> None:
    settings = ReportingSettings()
    t = Texts("th", load_catalogue(settings.catalogue_path))
    groups = load_group_names(settings.stakeholder_groups_path)
    items = {"M1": Name("จัดการศึกษาขั้นพื้นฐานให้มีคุณภาพ", "Quality basic education")}
    report = for_public(report_of(lunch_year()))
    pdf = participation_pdf(
        report, t, "สำนักงานทดสอบ", items, groups, datetime(2027, 5, 1, tzinfo=UTC)
    )
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf  # the font travels inside

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "595.28 x 841.89 pts (A4)" in info.stdout
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    squeezed = "".join(text.split())
    for words in (
        "รายงานผลการมีส่วนร่วม",
        "ปีงบประมาณพ.ศ.2570",  # the B.E. year
        "1ตุลาคม2569",  # the round's first day, B.E.
        "ผู้ปกครองนักเรียน",  # a group by its name
        "ประเด็นcn-lunch",
        "ผู้ปกครองอยากให้มีผลไม้ทุกวัน",
        "มีผลไม้ทุกวันแล้ว",
        "*",  # a hidden count's mark,
        "แสดง",  # explained (pdftotext moves the tone mark of ไม่)
    ):
        assert words in squeezed, words
    assert "ยังไม่เผยแพร่" not in squeezed
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    assert png.stat().st_size > 5_000  # a page with text on it, not a blank one
