"""What an outcome answers, said in words for the public and staff pages: the committee
and the text of a resolution, or a category's complaints in a round with their count.
(A consultation is shown by its topic, linked to its page, in the templates.)"""

from __future__ import annotations

from services.participation.handlers.published import PublishedOutcome
from shared.thai.dates import format_date

_HALF = {
    ("th", 1): "รอบ 6 เดือนแรก",
    ("th", 2): "รอบ 6 เดือนหลัง",
    ("en", 1): "the first half",
    ("en", 2): "the second half",
}


def heard_words(p: PublishedOutcome, lang: str) -> str | None:
    """The sentence for a resolution or a complaint pattern; None for a consultation."""
    en = lang == "en"
    r = p.outcome.resolution
    if r is not None:
        committee = (p.committee_en if en and p.committee_en else p.committee_th) or r.committee_id
        held = format_date(r.held_on, lang, "short")
        if en:
            return f"Resolution {r.number} of {committee} (meeting of {held}): {r.text}"
        return f"มติ{committee} ข้อ {r.number} (ประชุมวันที่ {held}): {r.text}"
    c = p.outcome.complaints
    if c is not None:
        category = (p.category_en if en else p.category_th) or c.category
        unit = (p.unit_en if en else p.unit_th) or c.unit
        half = _HALF[(lang if en else "th", c.round)]
        if en:
            many = f"{c.count} complaints" if c.count is not None else "Complaints"
            where = f" to {unit}" if unit else ""
            return f"{many} about {category}{where} in {half} of fiscal year {c.fiscal_year}"
        many = f" จำนวน {c.count} เรื่อง" if c.count is not None else " "
        where = f" ถึง{unit}" if unit else ""
        return f"ข้อร้องเรียนเรื่อง {category}{where}{many}ใน{half} ปีงบประมาณ {c.fiscal_year}"
    return None
