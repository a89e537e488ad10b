"""The participation report as a printable A4 PDF in Thai, with B.E. dates: the evidence an
office publishes for the ITA assessment (seed measure 2.6).

The Thai font (Laksaman, TLWG's release of TH Sarabun New, `shared/web/static/fonts/LICENSE`)
ships with the project (the pages use it too) and is embedded, so the file reads the same
on any machine; text shaping (HarfBuzz) places Thai vowels and tone marks as the font
intends.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime

from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos

from services.reporting.adapters.participation_names import ItemName, Name, SurveyNames
from services.reporting.domain.participation_report import (
    ConsultationLine,
    GroupTake,
    MeetingLine,
    OrderLine,
    OutcomeLine,
    ParticipationReport,
    ReviewLine,
    SurveyLine,
)
from services.reporting.web.texts import Texts
from shared.web.assets import FONTS

FAMILY = "Laksaman"
# Thai official documents are set at 16 pt in TH Sarabun; Laksaman is the same design.
BODY, SMALL, HEAD, TITLE = 15, 13, 16, 17
LINE = 7.0
MARGIN = 20.0


class _Pdf(FPDF):
    def __init__(self, footer: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self._footer = footer
        self.set_margins(MARGIN, 18, MARGIN)
        self.set_auto_page_break(True, margin=20)
        self.add_font(FAMILY, "", str(FONTS / "Laksaman.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "Laksaman-Bold.ttf"))
        self.set_text_shaping(True)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FAMILY, "", SMALL - 2)
        self.cell(0, 5, self._footer, align="L")
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="R")

    def line_of(self, text: str, size: float = BODY, bold: bool = False, h: float = LINE) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        self.multi_cell(0, h, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")

    def labelled(self, label: str, text: str) -> None:
        self.set_font(FAMILY, "B", BODY)
        width = self.get_string_width(label + " ") + 1
        self.cell(width, LINE, label)
        self.set_font(FAMILY, "", BODY)
        self.multi_cell(0, LINE, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")


def _count(t: Texts, n: int | None) -> str:
    return t["small"] if n is None else t.n(n)


def _day(t: Texts, value: date | None) -> str:
    return "–" if value is None else t.date(value)


def _name(names: Mapping[str, Name], code: str, t: Texts) -> str:
    found = names.get(code)
    if found is None:
        return code
    return found.th if t.lang == "th" else found.en


_HEADINGS = FontFace(family=FAMILY, emphasis="BOLD", fill_color=(235, 235, 235))


def _groups_table(
    pdf: _Pdf,
    t: Texts,
    counts: Mapping[str, int | None],
    groups: Mapping[str, Name],
    heading: str | None = None,
) -> None:
    pdf.set_font(FAMILY, "", SMALL)
    with pdf.table(
        col_widths=(130, 40),
        text_align=("LEFT", "RIGHT"),
        line_height=6,
        padding=(0.5, 1.5),
        first_row_as_headings=True,
        headings_style=_HEADINGS,
    ) as table:
        head = table.row()
        head.cell(t["group"])
        head.cell(heading or t["opinions"])
        for code, n in counts.items():
            row = table.row()
            row.cell(_name(groups, code, t))
            row.cell(_count(t, n))
    pdf.ln(2)


def _consultation(
    pdf: _Pdf, t: Texts, c: ConsultationLine, groups: Mapping[str, Name], number: str
) -> None:
    pdf.line_of(f"{number} {c.topic}", BODY, bold=True)
    pdf.labelled(t["open_period"], f"{_day(t, c.opens_on)} – {_day(t, c.closes_on)}")
    status = t[f"consultation.{c.status}"] if c.status else "–"
    pdf.labelled(t["status"], status)
    pdf.labelled(t["participants"], _count(t, c.participants))
    if c.by_group:
        _groups_table(pdf, t, c.by_group, groups)
    pdf.labelled(t["results"], c.summary or t["no_summary"])
    pdf.ln(1)


def _taking_part_table(
    pdf: _Pdf, t: Texts, taking_part: Mapping[str, GroupTake], groups: Mapping[str, Name]
) -> None:
    columns = ("opinions", "attendances", "reviews", "survey_answers", "total")
    # Six columns on A4: a size smaller, so the longest configured group's name and each
    # count's head stay on one line (Thai breaks inside a word otherwise).
    size = SMALL - 2
    pdf.set_font(FAMILY, "", size)
    with pdf.table(
        col_widths=(60, 22, 22, 22, 22, 22),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        line_height=5.5,
        padding=(0.5, 1.5),
        first_row_as_headings=True,
        headings_style=replace(_HEADINGS, size_pt=size),
    ) as table:
        head = table.row()
        head.cell(t["group"])
        for c in columns:
            head.cell(t[f"take_short.{c}"])
        for code, take in taking_part.items():
            row = table.row()
            row.cell(_name(groups, code, t))
            for c in columns:
                row.cell(_count(t, getattr(take, c)))
    # What each short head stands for, then what the numbers count.
    heads = " · ".join(f"{t[f'take_short.{c}']} = {t[f'take.{c}']}" for c in columns[:-1])
    pdf.line_of(heads, SMALL, h=6)
    pdf.line_of(t["taking_part_note"], SMALL, h=6)
    pdf.ln(2)


def _review(
    pdf: _Pdf,
    t: Texts,
    r: ReviewLine,
    groups: Mapping[str, Name],
    committees: Mapping[str, Name],
    number: str,
    public: bool,
) -> None:
    pdf.line_of(f"{number} {r.title}", BODY, bold=True)
    kind = t[f"review_kind.{r.kind}"]
    if r.committee_id:
        kind += f" · {_name(committees, r.committee_id, t)}"
    pdf.labelled(t["status"], f"{t[f'review.{r.status}']} ({kind})")
    if r.held_on:
        pdf.labelled(t["held_on"], _day(t, r.held_on))
    else:
        pdf.labelled(t["planned_on"], _day(t, r.planned_on))
    if r.reported_on:
        pdf.labelled(t["reported_on"], _day(t, r.reported_on))
    if r.status != "planned":
        pdf.labelled(t["review_participants"], _count(t, r.participants))
        if r.by_group:
            _groups_table(pdf, t, r.by_group, groups, t["review_participants"])
    if r.findings:
        pdf.line_of(t["findings"], BODY, bold=True)
        for k, finding in enumerate(r.findings, start=1):
            pdf.line_of(t.d(f"{k}. ") + finding, BODY)
    if r.outcomes:
        pdf.line_of(t["led_to"], BODY, bold=True)
        for o in r.outcomes:
            we_did = (o.we_did_en if t.lang == "en" else None) or o.we_did_th or o.outcome_id
            mark = f" ({t['not_published']})" if not public and not o.published else ""
            pdf.line_of(f"– {we_did} ({t[f'outcome.{o.status}']}){mark}", BODY)
    pdf.ln(1)


def _orders(pdf: _Pdf, t: Texts, orders: list[OrderLine], committees: Mapping[str, Name]) -> None:
    pdf.line_of(t["orders"], BODY, bold=True)
    pdf.set_font(FAMILY, "", SMALL)
    with pdf.table(
        col_widths=(90, 35, 45),
        line_height=6,
        padding=(0.5, 1.5),
        first_row_as_headings=True,
        headings_style=_HEADINGS,
    ) as table:
        head = table.row()
        for label in ("committee", "order_number", "signed_on"):
            head.cell(t[label])
        for o in orders:
            row = table.row()
            row.cell(_name(committees, o.committee_id, t))
            row.cell(t.d(o.number))
            row.cell(_day(t, o.signed_on))
    pdf.ln(2)


def _meeting(
    pdf: _Pdf,
    t: Texts,
    m: MeetingLine,
    groups: Mapping[str, Name],
    committees: Mapping[str, Name],
    number: str,
) -> None:
    # "การประชุม" + "คณะกรรมการ...": Thai joins them without a space.
    joiner = "" if t.lang == "th" else " "
    committee = _name(committees, m.committee_id, t)
    pdf.line_of(f"{number} {t['meeting_of']}{joiner}{committee}", BODY, bold=True)
    pdf.labelled(
        t["held_on"],
        f"{_day(t, m.held_on)} ({t['meeting.closed' if m.closed else 'meeting.recorded']})",
    )
    attendance = _count(t, m.present)
    if m.absent is not None:
        attendance += f" · {t['absent']} {t.n(m.absent)}"
    pdf.labelled(t["present"], attendance)
    if m.present_by_group:
        _groups_table(pdf, t, m.present_by_group, groups, t["present"])
    if m.resolutions:
        pdf.line_of(t["resolutions"], BODY, bold=True)
        for res in m.resolutions:
            pdf.line_of(t.d(f"{res.number}. ") + res.text, BODY)
    else:
        pdf.line_of(t["no_resolution"], SMALL, h=6)
    pdf.ln(1)


def _survey(
    pdf: _Pdf,
    t: Texts,
    v: SurveyLine,
    groups: Mapping[str, Name],
    names: SurveyNames | None,
    number: str,
) -> None:
    title = (names.title.en if names and names.title and t.lang == "en" else None) or v.title
    pdf.line_of(f"{number} {title or v.survey_id}", BODY, bold=True)
    pdf.labelled(t["group"], _name(groups, v.group, t))
    period = f"{_day(t, v.opens_on)} – {_day(t, v.closes_on)}"
    if v.status:
        period += f" ({t[f'survey.{v.status}']})"
    pdf.labelled(t["open_period"], period)
    responses = _count(t, v.responses)
    if v.links_sent:
        responses += f" · {t['links']} {t.n(v.links_sent)} / {t.n(v.personal_responses)}"
    pdf.labelled(t["respondents"], responses)
    if v.items:
        pdf.set_font(FAMILY, "", SMALL)
        with pdf.table(
            col_widths=(56, 24, 30, 12, 12, 12, 12, 12),
            text_align=("LEFT", *("RIGHT",) * 7),
            line_height=6,
            padding=(0.5, 1.5),
            first_row_as_headings=True,
            headings_style=_HEADINGS,
        ) as table:
            head = table.row()
            for label in (t["likert_item"], t["answers"], t["mean"], *"12345"):
                head.cell(t.d(label))
            for item in v.items:
                row = table.row()
                found = names.items.get(item.item_id) if names else None
                text = (found.en if t.lang == "en" else found.th) if found else item.item_id
                row.cell(text)
                row.cell(_count(t, item.answers))
                row.cell(t.n(item.mean, 2))
                for n in item.distribution:
                    row.cell(_count(t, n))
        pdf.line_of(t["scores_note"], SMALL, h=6)
    pdf.ln(1)


def _outcome(pdf: _Pdf, t: Texts, o: OutcomeLine, number: str) -> None:
    you_said = (o.you_said_en if t.lang == "en" else None) or o.you_said_th
    we_did = (o.we_did_en if t.lang == "en" else None) or o.we_did_th
    pdf.line_of(f"{number} {o.topic or ''}".rstrip(), BODY, bold=True)
    if you_said:
        pdf.labelled(t["you_said"], you_said)
    if we_did:
        pdf.labelled(t["we_did"], we_did)
    status = t[f"outcome.{o.status}"]
    if o.done_on:
        status += f" ({t['done_on']} {t.date(o.done_on)})"
    elif o.due_on:
        status += f" ({t['due_on']} {t.date(o.due_on)})"
    pdf.labelled(t["status"], status)
    if o.reason and o.status == "not_adopted":
        pdf.labelled(t["why_not"], o.reason)
    if o.owner_unit:
        pdf.labelled(t["owner_unit"], t.unit(o.owner_unit))
    pdf.ln(1)


def _how(pdf: _Pdf, t: Texts, how: ItemName, groups: Mapping[str, Name]) -> None:
    """How stakeholders take part in the item, as the office's plan says (measure 2.2)."""

    def listed(words: list[str]) -> str:
        return ", ".join(words) or "–"

    pdf.line_of(t["how_take_part"], BODY, bold=True)
    pdf.labelled(t["how_groups"], listed([_name(groups, g, t) for g in how.groups]))
    pdf.labelled(t["how_practices"], listed([t[f"practice.{p}"] for p in how.practices]))
    pdf.labelled(t["how_channels"], listed([t[f"channel.{c}"] for c in how.channels]))
    process = (how.process_en if t.lang == "en" else None) or how.process_th or how.process_en
    if process:
        pdf.labelled(t["how_process"], process)
    pdf.ln(1)


def participation_pdf(
    report: ParticipationReport,
    t: Texts,
    office: str,
    items: Mapping[str, Name],
    groups: Mapping[str, Name],
    generated: datetime,
    committees: Mapping[str, Name] | None = None,
    surveys: Mapping[str, SurveyNames] | None = None,
) -> bytes:
    """The report as PDF bytes (A4, Thai font embedded)."""
    committees = committees or {}
    surveys = surveys or {}
    pdf = _Pdf(f"{t['as_of']} {t.date(generated)}")
    pdf.alias_nb_pages()
    pdf.add_page()
    year = f"พ.ศ. {t.year(report.fiscal_year)}" if t.lang == "th" else t.year(report.fiscal_year)
    # Thai has no spaces between words: the title's two parts get a line each, so neither
    # is broken inside a word.
    pdf.line_of(t["participation"], TITLE, bold=True, h=9)
    pdf.line_of(f"{t['fiscal_year']} {year} · {t[f'months.{report.months}']}", HEAD, bold=True, h=8)
    pdf.line_of(office, BODY)
    pdf.line_of(
        f"{t['period']} {t.date(report.first_day)} {t['to']} {t.date(report.last_day)}", BODY
    )
    if report.public:
        pdf.line_of(t["participation_public_intro"], SMALL, h=6)
    pdf.ln(3)

    pdf.line_of(t.d("1. ") + t["overview"], HEAD, bold=True, h=8)
    pdf.labelled(t["consultation_count"], t.n(report.consultations))
    pdf.labelled(t["participants"], _count(t, report.participants))
    pdf.labelled(t["meeting_count"], t.n(report.meetings))
    pdf.labelled(t["review_count"], t.n(report.reviews))
    pdf.labelled(t["survey_responses"], _count(t, report.survey_responses))
    outcomes = sum(n or 0 for n in report.outcomes_by_status.values())
    pdf.labelled(t["outcome_count"], t.n(outcomes))
    if report.taking_part:
        pdf.line_of(t["taking_part"], BODY, bold=True)
        _taking_part_table(pdf, t, report.taking_part, groups)
    if not report.sections:
        pdf.line_of(t["no_participation"], BODY)

    for i, section in enumerate(report.sections, start=2):
        pdf.ln(2)
        code = section.mission_item
        heading = f"{code} {_name(items, code, t)}" if code else t["no_item"]
        pdf.line_of(t.d(f"{i}. ") + heading, HEAD, bold=True, h=8)
        how = items.get(code) if code else None
        if isinstance(how, ItemName) and how.says_how():
            _how(pdf, t, how, groups)
        # One numbering through the section's parts: 2.1, 2.2, ...
        numbers = (t.d(f"{i}.{j}") for j in itertools.count(1))

        if section.consultations:
            pdf.line_of(t["consultations"], BODY, bold=True)
            for c in section.consultations:
                _consultation(pdf, t, c, groups, next(numbers))
        if section.reviews:
            pdf.line_of(t["reviews"], BODY, bold=True)
            for r in section.reviews:
                _review(pdf, t, r, groups, committees, next(numbers), report.public)
        if section.orders or section.meetings:
            pdf.line_of(t["committees"], BODY, bold=True)
            if section.orders:
                _orders(pdf, t, section.orders, committees)
            for m in section.meetings:
                _meeting(pdf, t, m, groups, committees, next(numbers))
        if section.surveys:
            pdf.line_of(t["surveys"], BODY, bold=True)
            for v in section.surveys:
                _survey(pdf, t, v, groups, surveys.get(v.survey_id), next(numbers))
        if section.outcomes:
            pdf.line_of(t["outcomes"], BODY, bold=True)
            for o in section.outcomes:
                _outcome(pdf, t, o, next(numbers))
    return bytes(pdf.output())
