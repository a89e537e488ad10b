"""The participation report's committees, reviews and mission surveys: what their events
make of the views and the report per mission item (meetings with attendance by group and
resolutions, appointment orders, reviews with participants, findings and the outcomes
they led to, survey results per Likert item), taking part per group in the overview, the
6- and 12-month rounds, the public version's hidden small counts, the CSV and the PDF."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from services.reporting.adapters.participation_names import Name, SurveyNames, load_group_names
from services.reporting.api.csv_export import to_csv
from services.reporting.domain import views as v
from services.reporting.domain.batch import Applier
from services.reporting.domain.participation_report import (
    GroupTake,
    ParticipationReport,
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
from shared.contract.events import CloudEvent

from .participation_histories import T0, Committee, MissionSurvey, Review
from .test_participation import lunch_year

BKK = T0.tzinfo
COMMITTEE = "คณะกรรมการอาหารกลางวัน"
LUNCH_ITEM = "อาหารกลางวันมีคุณภาพและเพียงพอ"


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, tzinfo=BKK)


def committee_year() -> list[CloudEvent[Any]]:
    """FY 2570 of a committee on school lunches (item M1): appointed by an order signed
    in FY 2569 and a second one in November; a meeting in November recorded twice and
    closed (one more parent came), one in May; a review with stakeholders in January that
    led to outcome oc-1; a survey of parents answered six times before April and once
    after."""
    c = Committee("cm-lunch", ("M1",), at(2026, 9, 20))
    events = [c.order("or-1", "12/2569")]
    c.at = at(2026, 11, 1)
    events.append(c.order("or-2", "5/2570"))
    resolutions = (
        ("เพิ่มผลไม้ในอาหารกลางวันสัปดาห์ละสามวัน", "M1"),
        ("นัดประชุมครั้งต่อไปเดือนพฤษภาคม", None),
        ("ขอให้ปรับปรุงรถรับส่งนักเรียน", "M2"),
    )
    first = {"parents": 3, "teachers": 2}
    day = date(2026, 11, 10)
    events.append(c.meeting("mt-1", first, {"community": 1}, resolutions, day))
    events.append(c.meeting("mt-1", {"parents": 4, "teachers": 2}, {}, resolutions, day))
    events.append(c.meeting("mt-1", {"parents": 4, "teachers": 2}, {}, resolutions, day, True))
    events.append(c.meeting("mt-2", {"parents": 5, "teachers": 1}, held_on=date(2027, 5, 3)))

    r = Review("rv-1", "M1", at(2027, 1, 10), committee_id="cm-lunch")
    heard = {"parents": 6, "teachers": 3, "students": 2}
    events += [
        r.planned(),
        r.held(heard, timedelta(days=5)),
        r.reported(heard, ["อาหารกลางวันไม่พอในวันพุธ", "ผลไม้น้อย"], ["oc-1"], timedelta(days=5)),
    ]

    s = MissionSurvey("sv-1", "M1", "parents", at(2027, 2, 1))
    events.append(s.opened(days=90))
    events += [s.answered({"teaching": 5, "lunch": 4}, timedelta(hours=1)) for _ in range(4)]
    events += [s.answered({"teaching": 5, "lunch": 2}, timedelta(hours=1))]
    events += [s.answered({"teaching": 5}, timedelta(hours=1))]
    events += [s.answered({"teaching": 3, "lunch": 1}, timedelta(days=60))]  # April: round 2
    events.append(s.closed(timedelta(days=10)))
    return lunch_year() + events


def views_of(events: list[CloudEvent[Any]]) -> dict[str, list[dict[str, Any]]]:
    views = MemoryViews()
    views.apply(Applier().feed_all(events).outcome().updates)
    return {n: [flat_cell(d, v.VIEW_KEYS[n]) for d in views.documents(n)] for n in v.VIEW_KEYS}


def report_of(events: list[CloudEvent[Any]], months: int = 12) -> ParticipationReport:
    cells = views_of(events)
    return participation_report(
        cells[v.CONSULTATIONS],
        cells[v.OUTCOMES],
        2570,
        months,
        item_order=["M1", "M2"],
        group_order=["parents", "teachers", "students", "community"],
        meetings=cells[v.MEETINGS],
        orders=cells[v.ORDERS],
        reviews=cells[v.REVIEWS],
        surveys=cells[v.SURVEYS],
    )


def test_a_meeting_is_reported_as_its_latest_record_with_counts_never_member_ids() -> None:
    cells = views_of(committee_year())
    (meeting,) = [m for m in cells[v.MEETINGS] if m["meeting_id"] == "mt-1"]
    assert meeting["version"] == 3 and meeting["closed"] is True
    assert (meeting["present"], meeting["absent"]) == (6, 0)
    assert meeting["present_by_group.parents"] == 4
    assert not any(k.startswith("absent_by_group.") for k in meeting)  # v1's absentee gone
    assert "mt-1-parents-0" not in repr(cells[v.MEETINGS])

    m1, m2 = report_of(committee_year()).sections
    first, may = m1.meetings
    assert (first.held_on, first.present, first.closed) == (date(2026, 11, 10), 6, True)
    assert first.present_by_group == {"parents": 4, "teachers": 2}
    # Under M1 its resolutions about M1 and about no item; the one about M2 under M2.
    assert [r.number for r in first.resolutions] == [1, 2]
    assert [m.meeting_id for m in m2.meetings] == ["mt-1"]
    assert [r.number for r in m2.meetings[0].resolutions] == [2, 3]
    assert may.held_on == date(2027, 5, 3) and may.resolutions == ()


def test_the_committees_orders_are_shown_with_the_items_it_met_about() -> None:
    m1, m2 = report_of(committee_year()).sections
    # The order signed in FY 2569 still counts: the committee met this year.
    assert [(o.number, o.signed_on) for o in m1.orders] == [
        ("12/2569", date(2026, 9, 20)),
        ("5/2570", date(2026, 11, 1)),
    ]
    assert [o.order_id for o in m2.orders] == ["or-1", "or-2"]  # it met about M2 too


def test_a_review_shows_participants_findings_and_the_outcomes_it_led_to() -> None:
    (review,) = report_of(committee_year()).sections[0].reviews
    assert (review.status, review.held_on, review.reported_on) == (
        "reported",
        date(2027, 1, 15),
        date(2027, 1, 20),
    )
    assert review.by_group == {"parents": 6, "teachers": 3, "students": 2}
    assert review.participants == 11
    assert review.findings == ("อาหารกลางวันไม่พอในวันพุธ", "ผลไม้น้อย")
    assert [(o.outcome_id, o.we_did_th) for o in review.outcomes] == [("oc-1", "มีผลไม้ทุกวันแล้ว")]


def test_survey_results_per_item_follow_the_round() -> None:
    (twelve,) = report_of(committee_year()).sections[0].surveys
    assert twelve.responses == 7 and twelve.group == "parents"
    teaching, lunch = twelve.items
    assert teaching.distribution == (0, 0, 1, 0, 6) and teaching.answers == 7
    assert teaching.mean is not None and round(teaching.mean, 2) == 4.71
    assert lunch.distribution == (1, 1, 0, 4, 0) and lunch.mean == 19 / 6
    assert (twelve.status, twelve.links_sent, twelve.personal_responses) == ("closed", 10, 7)

    (six,) = report_of(committee_year(), months=6).sections[0].surveys
    assert six.responses == 6
    assert six.items[0].distribution == (0, 0, 0, 0, 6) and six.items[0].mean == 5.0


def test_taking_part_per_group_counts_each_way_in_its_own_column() -> None:
    report = report_of(committee_year())
    assert report.taking_part["parents"] == GroupTake(
        opinions=7, attendances=9, reviews=6, survey_answers=7, total=29
    )
    assert report.taking_part["students"] == GroupTake(0, 0, 2, 0, 2)
    assert (report.meetings, report.reviews, report.survey_responses) == (2, 1, 7)
    # A meeting shown under two items counts once.
    assert report.taking_part["teachers"].attendances == 3

    six = report_of(committee_year(), months=6)
    assert six.meetings == 1 and six.taking_part["parents"].attendances == 4
    assert [m.meeting_id for m in six.sections[0].meetings] == ["mt-1"]


def test_the_public_version_hides_small_counts_but_keeps_the_offices_words() -> None:
    public = for_public(report_of(committee_year()))
    m1 = public.sections[0]
    first = m1.meetings[0]
    # 2 teachers is small; 4 parents would give it away from the total of 6.
    assert first.present_by_group == {"parents": None, "teachers": None}
    assert first.present == 6 and first.absent is None
    assert first.resolutions[0].text == "เพิ่มผลไม้ในอาหารกลางวันสัปดาห์ละสามวัน"
    (review,) = m1.reviews
    assert review.by_group == {"parents": 6, "teachers": None, "students": None}
    assert review.findings[0] == "อาหารกลางวันไม่พอในวันพุธ"
    (survey,) = m1.surveys
    teaching, lunch = survey.items
    assert teaching.distribution == (0, 0, None, 0, None) and teaching.mean is not None
    assert lunch.answers == 6 and lunch.mean == 19 / 6  # from 5 answers up
    assert survey.links_sent is None and survey.personal_responses is None
    # The students took part only in the review (2): that cell and its total are hidden,
    # and another total with it, so the hidden one cannot be recovered by subtraction.
    students = public.taking_part["students"]
    assert students.reviews is None and students.total is None
    assert sum(1 for t in public.taking_part.values() if t.total is None) >= 2

    six = for_public(report_of(committee_year(), months=6))
    (survey,) = six.sections[0].surveys
    assert survey.responses == 6


def test_the_csv_has_a_row_per_meeting_group_resolution_order_review_and_survey_item() -> None:
    csv = to_csv(participation_table(report_of(committee_year())))
    for words in (
        "M1,appointment_order,or-1,",
        "cm-lunch,12/2569,2026-09-20",
        "M1,meeting,mt-1,,closed,",
        "parents,,,,,,,,,cm-lunch,,2026-11-10,4",
        "M1,resolution,mt-1,",
        "cm-lunch,1,2026-11-10,,เพิ่มผลไม้ในอาหารกลางวันสัปดาห์ละสามวัน",
        "M1,finding,rv-1,ทบทวนผล rv-1",
        "oc-1",
        "M1,survey_item,sv-1,แบบสำรวจ sv-1,closed",
        "teaching,4.71,0,0,1,0,6",
    ):
        assert words in csv, words
    assert "mt-1-parents" not in csv
    public = to_csv(participation_table(for_public(report_of(committee_year()))))
    assert "teaching,4.71,0,0,*,0,*" in public


def test_the_pdf_shows_committees_reviews_and_surveys_in_thai(tmp_path: Path) -> None:
    settings = ReportingSettings()
    t = Texts("th", load_catalogue(settings.catalogue_path))
    groups = load_group_names(settings.stakeholder_groups_path)
    items = {"M1": Name(LUNCH_ITEM, "Good school lunches")}
    surveys = {
        "sv-1": SurveyNames(
            Name("ความพึงพอใจของผู้ปกครอง", "Parents' satisfaction"),
            {"teaching": Name("การจัดการเรียนการสอน", "Teaching"), "lunch": Name("อาหาร", "Food")},
        )
    }
    pdf = participation_pdf(
        for_public(report_of(committee_year())),
        t,
        "สำนักงานทดสอบ",
        items,
        groups,
        datetime(2027, 6, 1, tzinfo=UTC),
        committees={"cm-lunch": Name(COMMITTEE, "School lunch committee")},
        surveys=surveys,
    )
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    squeezed = "".join(text.split())
    for words in (
        # (pdftotext moves some marks above a vowel after the next letter, as in "ครั้ง"
        # or "เพิ่ม": words with them are searched in part)
        "การมีส่วนร่วมจำแนกตามกลุ่มผู้มีส่วนได้ส่วนเสีย",
        "ไม่ใช่จำนวนคน",  # taking part counts occasions, and says so
        "คำสั่งที่",  # the orders table's head
        COMMITTEE,
        "12/2569",
        "20กันยายน2569",  # the order's day, B.E.
        "10พฤศจิกายน2569",  # the meeting's day
        "รับรองรายงานการประชุมแล้ว",
        "ในอาหารกลางวันสัปดาห์ละสามวัน",  # resolution 1
        "ทบทวนผลrv-1",
        "อาหารกลางวันไม่พอในวันพุธ",
        "มีผลไม้ทุกวันแล้ว",  # the outcome the review led to
        "แบบสำรวจsv-1",  # the survey's title, as its events name it
        "การจัดการเรียนการสอน",
        "4.71",
    ):
        assert words in squeezed, words
    assert "mt-1-parents" not in squeezed
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page*.png"))) >= 2  # the new parts take pages
