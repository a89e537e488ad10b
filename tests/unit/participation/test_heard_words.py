"""What "you said, we did" says was heard, in Thai and English: a category's complaints in
a round with their count, a committee resolution with its words."""

from __future__ import annotations

from datetime import date

from services.participation.domain.outcomes import Outcome
from services.participation.handlers.published import PublishedOutcome
from services.participation.web.heard import heard_words
from shared.contract.events import HeardComplaints, HeardResolution, OutcomeBasis

BASE = {
    "outcome_id": "oc-1",
    "you_said_th": "x",
    "we_did_th": "y",
    "owner_unit": "promotion",
    "fiscal_year": 2569,
    "mission_item": "S2",
}


def test_complaints_in_a_round_with_their_count() -> None:
    o = Outcome(
        **BASE,
        basis=OutcomeBasis.complaints,
        complaints=HeardComplaints(category="school-lunch", fiscal_year=2569, round=1, count=12),
    )
    p = PublishedOutcome(o, None, None, category_th="อาหารกลางวัน", category_en="School lunch")
    assert heard_words(p, "th") == (
        "ข้อร้องเรียนเรื่อง อาหารกลางวัน จำนวน 12 เรื่องในรอบ 6 เดือนแรก ปีงบประมาณ 2569"
    )
    assert heard_words(p, "en") == (
        "12 complaints about School lunch in the first half of fiscal year 2569"
    )
    uncounted = o.model_copy(
        update={"complaints": o.complaints.model_copy(update={"count": None, "round": 2})}  # type: ignore[union-attr]
    )
    words = heard_words(PublishedOutcome(uncounted, None, None, category_th="อาหารกลางวัน"), "th")
    assert words == "ข้อร้องเรียนเรื่อง อาหารกลางวัน ในรอบ 6 เดือนหลัง ปีงบประมาณ 2569"


def test_a_resolution_with_its_committee_and_words() -> None:
    o = Outcome(
        **BASE,
        basis=OutcomeBasis.resolution,
        resolution=HeardResolution(
            committee_id="cm-1",
            meeting_id="mt-1",
            number=2,
            text="ให้เพิ่มผลไม้ในมื้อกลางวัน",
            held_on=date(2026, 1, 15),
        ),
    )
    p = PublishedOutcome(o, None, None, committee_th="คณะกรรมการผู้ปกครอง")
    words = heard_words(p, "th")
    assert words is not None
    assert words.startswith("มติคณะกรรมการผู้ปกครอง ข้อ 2")
    assert "2569" in words and words.endswith("ให้เพิ่มผลไม้ในมื้อกลางวัน")


def test_a_consultation_is_shown_by_its_linked_topic_not_words() -> None:
    o = Outcome(**BASE, consultation_id="cn-1")
    assert heard_words(PublishedOutcome(o, "อาหารกลางวัน", None), "th") is None
