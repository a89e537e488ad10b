"""The participation report on the real servers: participation events published on
siang.participation.v1 as the participation service's relay publishes them (keyed by
consultation, committee, review or survey, each delivered twice) reach the staff page,
the CSV, the A4 PDF and the public page; a rebuild gives the same report."""

from __future__ import annotations

import asyncio
import re
import subprocess
from pathlib import Path

from services.reporting.adapters.participation_names import COMMITTEES, MISSIONS, SURVEYS
from shared.infra.auth import StaffRole
from tests.integration.reporting.harness import Reporting, bearer
from tests.integration.reporting.test_sign_in import _next_of
from tests.unit.reporting.test_participation import lunch_year
from tests.unit.reporting.test_participation_records import COMMITTEE, committee_year

ITEM_NAME = "จัดการศึกษาขั้นพื้นฐานให้มีคุณภาพตามมาตรฐานการศึกษาของชาติ"
PROCESS = "รับฟังความคิดเห็นทุกภาคเรียน"

#: A table cell the public version hides (under 5, or one that would give such away).
HIDDEN = re.compile(r"<td[^>]*>\s*\*\s*</td>")


async def test_the_participation_report_shows_topic_groups_results_and_outcome(
    reporting: Reporting, tmp_path: Path
) -> None:
    # The plan as the participation service keeps it, for the item's name and how
    # stakeholders take part in it.
    await reporting.ctx.store.db[MISSIONS].insert_one(
        {
            "_id": 2570,
            "items": [
                {
                    "code": "M1",
                    "kind": "mission",
                    "name_th": ITEM_NAME,
                    "name_en": "Quality",
                    "groups": ["parents", "teachers"],
                    "practices": ["consultation", "survey"],
                    "channels": ["web", "line"],
                    "process_th": PROCESS,
                    "process_en": "A consultation each term",
                }
            ],
        }
    )
    events = lunch_year()
    await reporting.publish(events + events)  # at least once: a redelivery counts nothing
    await reporting.wait_applied(len(events))

    staff = bearer(StaffRole.committee)
    page = await reporting.http.get("/reports/participation", params={"fy": 2570}, headers=staff)
    assert page.status_code == 200, page.text
    html = page.text
    for words in (
        "รายงานผลการมีส่วนร่วม",
        "พ.ศ. 2570",
        "1 ตุลาคม 2569",  # the first day of the 12-month round, B.E.
        ITEM_NAME,
        "ประเด็น cn-lunch",  # the topic
        "ผู้ปกครองนักเรียน",  # a group by its name
        "ผู้ปกครองอยากให้มีผลไม้ทุกวัน",  # the results summary
        "มีผลไม้ทุกวันแล้ว",  # what the office did
        "ยังไม่เผยแพร่",  # staff see the unpublished outcome too
        # How stakeholders take part in the item, as the plan says.
        "การมีส่วนร่วมตามแผน",
        "การรับฟังความคิดเห็น, การสำรวจความพึงพอใจ",
        "เว็บไซต์, LINE",
        PROCESS,
    ):
        assert words in html, words
    assert '<td class="n">7</td>' in html and '<td class="n">2</td>' in html
    six = await reporting.http.get(
        "/reports/participation", params={"fy": 2570, "round": 6}, headers=staff
    )
    assert '<td class="n">6</td>' in six.text and "รอบ 6 เดือน" in six.text
    english = await reporting.http.get(
        "/reports/participation", params={"fy": 2570, "lang": "en"}, headers=staff
    )
    assert "Parents and guardians" in english.text and "You said" in english.text
    assert "Consultation, Satisfaction survey" in english.text
    assert "A consultation each term" in english.text

    csv = await reporting.http.get(
        "/reports/participation", params={"fy": 2570, "format": "csv"}, headers=staff
    )
    assert csv.headers["content-type"].startswith("text/csv")
    assert "cn-lunch,ประเด็น cn-lunch,concluded" in csv.text
    assert "parents,7" in csv.text and "มีผลไม้ทุกวันแล้ว" in csv.text

    pdf = await reporting.http.get(
        "/transparency/participation", params={"fy": 2570, "format": "pdf"}
    )
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    path = tmp_path / "participation.pdf"
    path.write_bytes(pdf.content)
    done = await asyncio.to_thread(
        subprocess.run, ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    )
    text = done.stdout
    squeezed = "".join(text.split())
    for words in (
        "ปีงบประมาณพ.ศ.2570",
        "ประเด็นcn-lunch",
        "ผู้ปกครองนักเรียน",
        "มีผลไม้ทุกวันแล้ว",
        "การมีส่วนร่วมตามแผน",
        "".join(PROCESS.split()),
    ):
        assert words in squeezed, words
    assert "ยังไม่เผยแพร่" not in squeezed  # the public PDF: published outcomes only

    public = await reporting.http.get("/transparency/participation", params={"fy": 2570})
    assert public.status_code == 200
    assert HIDDEN.search(public.text) and "ยังไม่เผยแพร่" not in public.text
    assert '<td class="n">7</td>' not in public.text  # 7 of 9 would reveal the 2 teachers

    before = csv.text
    await reporting.ctx.rebuilder.run()
    after = await reporting.http.get(
        "/reports/participation", params={"fy": 2570, "format": "csv"}, headers=staff
    )
    assert after.text == before


def pdf_text(pdf: bytes, path: Path) -> str:
    """The PDF's text as poppler reads it, without white space."""
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return "".join(done.stdout.split())


async def test_committee_meetings_orders_reviews_and_surveys_reach_the_report(
    reporting: Reporting, tmp_path: Path
) -> None:
    db = reporting.ctx.store.db
    # The names the participation service keeps: a committee's (its members are in the
    # same document, and must not be read) and a survey's statements.
    await db[COMMITTEES].insert_one(
        {
            "_id": "cm-lunch",
            "name_th": COMMITTEE,
            "name_en": "School lunch committee",
            "members": [{"member_id": "mb-1", "person_id": "ps-secret", "group": "parents"}],
        }
    )
    await db[SURVEYS].insert_one(
        {
            "_id": "sv-1",
            "fiscal_year": 2570,
            "title_th": "แบบสำรวจ sv-1",
            "title_en": "Parents' satisfaction",
            "items": [
                {"id": "teaching", "text_th": "การจัดการเรียนการสอน", "text_en": "Teaching"},
                {"id": "lunch", "text_th": "อาหารกลางวัน", "text_en": "School lunch"},
            ],
        }
    )
    events = committee_year()
    assert {e.subject for e in events} >= {"cm-lunch", "rv-1", "sv-1", "cn-lunch"}
    await reporting.publish(events + events)  # at least once: a redelivery counts nothing
    await reporting.wait_applied(len(events))

    staff = bearer(StaffRole.staff, "admin")
    page = await reporting.http.get("/reports/participation", params={"fy": 2570}, headers=staff)
    assert page.status_code == 200, page.text
    html = page.text
    for words in (
        "การประชุมคณะกรรมการ",
        COMMITTEE,
        "12/2569",
        "20 กันยายน 2569",  # the order's day, B.E.
        "10 พฤศจิกายน 2569",  # the meeting's
        "เพิ่มผลไม้ในอาหารกลางวันสัปดาห์ละสามวัน",  # a resolution
        "อาหารกลางวันไม่พอในวันพุธ",  # a finding
        "การจัดการเรียนการสอน",  # a survey statement
        "4.71",  # its mean
        "ไม่ใช่จำนวนคน",  # taking part counts occasions, and says so
    ):
        assert words in html, words
    assert "mt-1-parents-0" not in html and "ps-secret" not in html
    # The parents took part 29 times: 7 opinions, 9 attendances, 6 in the review, 7 answers.
    assert '<td class="n"><b>29</b></td>' in html
    english = await reporting.http.get(
        "/reports/participation", params={"fy": 2570, "lang": "en"}, headers=staff
    )
    assert "School lunch committee" in english.text and "Teaching" in english.text

    csv = await reporting.http.get(
        "/reports/participation", params={"fy": 2570, "format": "csv"}, headers=staff
    )
    for words in ("M1,meeting,mt-1", "M1,appointment_order,or-1", "M1,finding,rv-1"):
        assert words in csv.text, words
    assert "teaching,4.71,0,0,1,0,6" in csv.text

    public = await reporting.http.get("/transparency/participation", params={"fy": 2570})
    assert "อาหารกลางวันไม่พอในวันพุธ" in public.text  # the office's own words
    assert HIDDEN.search(public.text)
    pdf = await reporting.http.get(
        "/transparency/participation", params={"fy": 2570, "format": "pdf"}
    )
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = await asyncio.to_thread(pdf_text, pdf.content, tmp_path / "public.pdf")
    for words in ("คณะกรรมการอาหารกลางวัน", "12/2569", "20กันยายน2569", "ในวันพุธ", "4.71"):
        assert words in text, words
    assert "ไม่ได้เข้าประชุม" not in text  # who stayed away is for staff only

    before = csv.text
    await reporting.ctx.rebuilder.run()
    after = await reporting.http.get(
        "/reports/participation", params={"fy": 2570, "format": "csv"}, headers=staff
    )
    assert after.text == before


async def test_the_staff_report_asks_who_you_are_and_says_what_is_wrong(
    reporting: Reporting,
) -> None:
    # Nobody signed in: to the console's sign-in, which is asked to come back here.
    nobody = await reporting.http.get("/reports/participation", params={"fy": 2570})
    assert nobody.status_code == 303
    assert _next_of(nobody.headers["location"]) == "http://reporting/reports/participation?fy=2570"
    staff = bearer(StaffRole.staff, "admin")
    wrong = await reporting.http.get("/reports/participation", params={"round": 7}, headers=staff)
    assert wrong.status_code == 422 and "round" in wrong.text
    wrong = await reporting.http.get("/transparency/participation", params={"fy": 2026})
    assert wrong.status_code == 422 and "fy" in wrong.text
