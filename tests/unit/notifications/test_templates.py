"""Every template in both languages, rendered from notices the rules really produce."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from services.notifications.domain.case_facts import CaseFacts
from services.notifications.domain.digest import UnitCounts, plan_digest
from services.notifications.domain.notice import (
    DeliveryChannel,
    Notice,
    RecipientRole,
    TemplateName,
)
from services.notifications.domain.office import Office, SurveyLinks, WebhookSubscriber
from services.notifications.domain.outcome_notice import outcome_notices
from services.notifications.domain.templates import (
    TEMPLATE_DIR,
    Renderer,
    TemplateProblem,
    default_renderer,
    render,
)
from shared.contract.events import (
    CaseAssigned,
    CaseClosed,
    CaseCommented,
    CaseInfoAdded,
    CaseSlaBreached,
    CaseSlaWarning,
    CaseStatus,
    CaseStatusChanged,
    Channel,
    Clock,
    CloseReason,
    ComplaintType,
    Contact,
    Language,
    OutcomePublished,
    OutcomeStatus,
    PersonToTell,
    Priority,
    Visibility,
)

from .sample import CASE_ID, NAME, PEOPLE, PERSON, TRACKING, event, opened_data, plan

INTERNAL_NOTE = "บันทึกภายใน: ผู้ร้องมีข้อพิพาทส่วนตัวกับครูใหญ่"
ANSWER = "สำนักงานได้ตรวจสอบและสั่งการให้โรงเรียนจัดอาหารกลางวันให้ครบตามจำนวนนักเรียนแล้ว"
DUE = datetime(2026, 12, 17, 10, 0, tzinfo=UTC)

# Dates the realistic data produces, as each language writes them.
RECEIVED = {Language.th: "26 พฤศจิกายน 2569", Language.en: "26 November 2026"}
DUE_DAY = {Language.th: "17 ธันวาคม 2569", Language.en: "17 December 2026"}
DIGEST_DAY = date(2026, 11, 30)
DIGEST_DATE = {Language.th: "30 พฤศจิกายน 2569", Language.en: "30 November 2026"}


def _status(frm: CaseStatus, to: CaseStatus, public_reason: str | None) -> CaseStatusChanged:
    return CaseStatusChanged.model_validate(
        {
            "case_id": CASE_ID,
            "from": frm,
            "to": to,
            "command": "x",
            "reason": INTERNAL_NOTE,
            "public_reason": public_reason,
            "actor": "somchai.r",
        }
    )


def notice_for(
    template: TemplateName,
    language: Language,
    office: Office,
    links: SurveyLinks,
    case: CaseFacts | None = None,
    people: Mapping[str, Contact] = PEOPLE,
) -> Notice:
    """The first notice the rules produce for `template`, the way production builds it."""
    staff_office = office.model_copy(update={"staff_language": language})
    if case is None:
        case = CaseFacts.from_opened(
            opened_data(language=language, priority=Priority.high), assignee="somchai.r"
        )
    data: object
    if template is TemplateName.outcome_published:
        [told] = outcome_notices(
            event(
                OutcomePublished(
                    outcome_id="oc-1",
                    consultation_id="cn-1",
                    fiscal_year=2570,
                    mission_item="S2",
                    topic_th="อาหารกลางวัน",
                    you_said_th="อยากให้มีผลไม้",
                    we_did_th="เพิ่มผลไม้ในมื้อกลางวัน",
                    status=OutcomeStatus.done,
                    people=[PersonToTell(person_id=PERSON, language=language)],
                    actor="coord.anong",
                )
            ),
            people,
            office,
        )
        return told
    if template is TemplateName.daily_digest:
        counts = UnitCounts(open=12, overdue=3, new=4, due_soon=2)
        return plan_digest("promotion", counts, DIGEST_DAY, staff_office)[0]
    match template:
        case TemplateName.case_received:
            data = opened_data(language=language)
        case TemplateName.case_assigned:
            data = CaseAssigned(
                case_id=CASE_ID,
                unit="promotion",
                assignee="somchai.r",
                actor="sup.malee",
                reason="มีประสบการณ์เรื่องอาหารกลางวัน",
            )
        case TemplateName.status_update:
            data = _status(CaseStatus.in_progress, CaseStatus.awaiting_info, "ขอทราบชื่อโรงเรียน")
        case TemplateName.public_comment:
            data = CaseCommented(
                case_id=CASE_ID,
                comment_id="k1",
                visibility=Visibility.public,
                text="ได้ประสานโรงเรียนบ้านหนองบัวแล้ว <จะแจ้งผลภายในสัปดาห์นี้>",
                author="somchai.r",
            )
        case TemplateName.sla_warning:
            data = CaseSlaWarning(
                case_id=CASE_ID,
                clock=Clock.first_response,
                threshold_percent=75,
                due_at=DUE,
                unit="promotion",
            )
        case TemplateName.sla_breached:
            data = CaseSlaBreached(
                case_id=CASE_ID,
                clock=Clock.first_response,
                due_at=DUE,
                unit="promotion",
                assignee="somchai.r",
                escalated_to="sup.malee",
            )
        case TemplateName.case_resolved:
            data = _status(CaseStatus.in_progress, CaseStatus.resolved, ANSWER)
        case TemplateName.case_closed:
            data = CaseClosed(
                case_id=CASE_ID,
                reason=CloseReason.referred,
                actor="sup.malee",
                referred_to="สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
                public_answer="เรื่องนี้อยู่ในอำนาจหน้าที่ของ สพฐ. โดยตรง",
            )
        case TemplateName.complainant_added_info:
            data = CaseInfoAdded(
                case_id=CASE_ID,
                follow_up_id="f1",
                text="โรงเรียนบ้านหนองบัว ชั้น ป.3",
                attachments=["65f0a1"],
                channel=Channel.web,
                resumed=True,
                assignee="somchai.r",
            )
        case TemplateName.complainant_withdrew:
            data = CaseClosed(case_id=CASE_ID, reason=CloseReason.withdrawn, actor="complainant")
    notices = plan(event(data), case, staff_office, links, people=people)  # type: ignore[arg-type]
    [notice] = [n for n in notices if n.template is template]
    return notice


ALL = [(t, lang) for t in TemplateName for lang in Language]
COMPLAINANT_TEMPLATES = {
    TemplateName.case_received,
    TemplateName.status_update,
    TemplateName.public_comment,
    TemplateName.case_resolved,
    TemplateName.case_closed,
}


def test_every_template_exists_in_every_language():
    for template, language in ALL:
        assert (TEMPLATE_DIR / language.value / f"{template.value}.j2").is_file()


@pytest.mark.parametrize(("template", "language"), ALL, ids=[f"{t}-{lang}" for t, lang in ALL])
def test_every_template_renders_key_lines(template, language, office, survey_links):
    notice = notice_for(template, language, office, survey_links)
    message = render(notice)
    assert message.subject and "\n" not in message.subject
    assert message.text and message.html and message.short
    assert message.html.startswith("<!DOCTYPE html>")
    assert f'<html lang="{language.value}">' in message.html
    assert office.name(language) in message.text
    if template is TemplateName.daily_digest:
        assert DIGEST_DATE[language] in message.subject
        assert "12" in message.text and "25" in message.text
        return
    if template is TemplateName.outcome_published:
        # Not about a case: no tracking code; their name and the office's page instead.
        assert NAME in message.text and "you-said-we-did" in message.short
        return
    for part in (message.subject, message.text, message.html, message.short):
        assert TRACKING in part
    assert INTERNAL_NOTE not in message.text + message.html + message.short
    if template in COMPLAINANT_TEMPLATES:
        assert NAME in message.text
        assert office.short_name(language) in message.short
    else:
        assert RECEIVED[language] in message.text  # staff see when it came in


@pytest.mark.parametrize(("template", "language"), ALL, ids=[f"{t}-{lang}" for t, lang in ALL])
def test_each_channel_gets_the_same_words_rendering_only_its_parts(
    template, language, office, survey_links
):
    # An e-mail renders subject, text and HTML; LINE and Messenger only the text; an SMS
    # only the short form. Each must read exactly as the full message (the preview) does.
    notice = notice_for(template, language, office, survey_links)
    whole = render(notice)
    renderer = default_renderer()
    email = renderer.render_email(notice)
    assert (email.subject, email.text, email.html) == (whole.subject, whole.text, whole.html)
    assert renderer.render_part(notice, "text") == whole.text
    assert renderer.render_part(notice, "short") == whole.short


@pytest.mark.parametrize("language", list(Language))
def test_thai_is_buddhist_era_and_english_is_common_era(language, office, survey_links):
    message = render(notice_for(TemplateName.case_received, language, office, survey_links))
    assert DUE_DAY[language] in message.text
    assert DUE_DAY[language] in message.html
    if language is Language.th:
        assert "2569" in message.text and "2026" not in message.text
        assert "เวลา 10.15 น." in message.text
    else:
        assert "2026" in message.text and "2569" not in message.text
        assert "10:15 (Bangkok time)" in message.text


def test_thai_case_received_reads_like_an_office_letter(office, survey_links):
    message = render(notice_for(TemplateName.case_received, Language.th, office, survey_links))
    lines = message.text.splitlines()
    assert lines[0] == f"เรียน {NAME}"
    assert f"รหัสติดตามเรื่อง: {TRACKING}" in lines
    assert "หน่วยงานที่รับผิดชอบ: กลุ่มส่งเสริมการจัดการศึกษา" in lines
    assert "สำนักงานจะแจ้งผลการพิจารณาเบื้องต้นให้ท่านทราบภายในวันที่ 17 ธันวาคม 2569" in lines
    assert "จึงเรียนมาเพื่อโปรดทราบ" in lines
    assert "ขอแสดงความนับถือ" in lines
    assert message.subject == (
        f"[สพป.เชียงใหม่ เขต 1] ได้รับเรื่องร้องเรียนของท่านแล้ว รหัสติดตามเรื่อง {TRACKING}"
    )


def test_anonymous_addressee_when_no_name(office, survey_links):
    case = CaseFacts.from_opened(opened_data(person_id="p-nameless"))
    nameless = {"p-nameless": Contact(email="a@example.com")}
    notice = notice_for(
        TemplateName.case_received, Language.th, office, survey_links, case, people=nameless
    )
    assert render(notice).text.splitlines()[0] == "เรียน ผู้ร้องเรียน"
    english = case.model_copy(update={"language": Language.en})
    notice = notice_for(
        TemplateName.case_received, Language.en, office, survey_links, english, people=nameless
    )
    assert render(notice).text.splitlines()[0] == "Dear Sir or Madam,"


def test_resolved_carries_answer_and_survey_link(office, survey_links):
    notice = notice_for(TemplateName.case_resolved, Language.th, office, survey_links)
    message = render(notice)
    url = notice.context["survey_url"]
    assert isinstance(url, str)
    assert ANSWER in message.text and ANSWER in message.html
    assert url in message.text and url in message.short
    assert f'href="{url}"' in message.html
    assert "แบบประเมินความพึงพอใจ" in message.text
    assert "แบบประเมินนี้ตอบได้ถึงวันที่ 31 ธันวาคม 2569" in message.text


def test_closed_explains_the_reason(office, survey_links):
    th = render(notice_for(TemplateName.case_closed, Language.th, office, survey_links))
    assert "เนื่องจากส่งต่อให้หน่วยงานที่มีอำนาจหน้าที่โดยตรง คือ สำนักงานคณะกรรมการ" in th.text
    en = render(notice_for(TemplateName.case_closed, Language.en, office, survey_links))
    assert "Reason: Referred to the agency responsible" in en.text


def test_html_escapes_what_people_wrote_and_text_keeps_it(office, survey_links):
    notice = notice_for(TemplateName.public_comment, Language.th, office, survey_links)
    message = render(notice)
    assert "<จะแจ้งผลภายในสัปดาห์นี้>" in message.text
    assert "&lt;จะแจ้งผลภายในสัปดาห์นี้&gt;" in message.html
    assert "<จะแจ้ง" not in message.html


def test_script_in_a_subject_is_inert_in_html(office, survey_links):
    case = CaseFacts.from_opened(opened_data(subject='<script>alert("x")</script> & co'))
    message = render(
        notice_for(TemplateName.case_received, Language.en, office, survey_links, case)
    )
    assert "<script>" not in message.html
    assert "&lt;script&gt;" in message.html
    assert '<script>alert("x")</script> & co' in message.text


def test_multiline_reason_becomes_line_breaks_in_html(office, survey_links):
    notice = notice_for(TemplateName.status_update, Language.th, office, survey_links)
    notice = notice.model_copy(
        update={"context": {**notice.context, "public_reason": "ข้อ 1\nข้อ <2>"}}
    )
    message = render(notice)
    assert "ข้อ 1<br>\nข้อ &lt;2&gt;" in message.html
    assert "ข้อ 1\nข้อ <2>" in message.text


def test_awaiting_info_explains_the_paused_clock(office, survey_links):
    message = render(notice_for(TemplateName.status_update, Language.th, office, survey_links))
    assert 'ขณะนี้เรื่องของท่านอยู่ในสถานะ "รอข้อมูลเพิ่มเติม"' in message.text
    assert "ระยะเวลาดำเนินการจะหยุดนับไว้" in message.text


def test_staff_mail_of_a_misconduct_case_hides_the_subject(office, survey_links):
    case = CaseFacts.from_opened(
        opened_data(
            complaint_type=ComplaintType.misconduct,
            subject="ครูประจำชั้นเรียกเก็บเงินนอกระบบ",
        ),
        assignee="legal.wanida",
    )
    for language in Language:
        notice = notice_for(TemplateName.case_assigned, language, office, survey_links, case)
        message = render(notice)
        for part in (message.subject, message.text, message.html, message.short):
            assert "เรียกเก็บเงิน" not in part
    th = render(notice_for(TemplateName.case_assigned, Language.th, office, survey_links, case))
    assert "ชั้นความลับ" in th.text


def test_breach_cites_the_royal_decree(office, survey_links):
    th = render(notice_for(TemplateName.sla_breached, Language.th, office, survey_links))
    assert "พ.ศ. 2546 มาตรา 38" in th.text
    assert "เรียน ผู้อำนวยการกลุ่มส่งเสริมการจัดการศึกษา" in th.text
    en = render(notice_for(TemplateName.sla_breached, Language.en, office, survey_links))
    assert "Royal Decree on Good Governance B.E. 2546" in en.text


def test_digest_counts(office, survey_links):
    message = render(notice_for(TemplateName.daily_digest, Language.th, office, survey_links))
    assert "เรื่องใหม่นับจากสรุปครั้งก่อน: 4 เรื่อง" in message.text
    assert "เรื่องที่ยังไม่แล้วเสร็จ: 12 เรื่อง" in message.text
    assert "เรื่องที่เกินกำหนด: 3 เรื่อง (ร้อยละ 25 ของเรื่องที่ยังไม่แล้วเสร็จ)" in message.text
    assert "(เกินกำหนด 3 เรื่อง)" in message.subject


def test_thai_digits_and_short_style_when_configured(office, survey_links):
    notice = notice_for(TemplateName.case_received, Language.th, office, survey_links)
    message = Renderer(date_style="short", thai_digits=True).render(notice)
    assert "ภายในวันที่ ๑๗ ธ.ค. ๒๕๖๙" in message.text
    assert TRACKING in message.text  # codes are typed back by people: never Thai digits
    english = notice_for(TemplateName.case_received, Language.en, office, survey_links)
    assert "17 Dec 2026" in Renderer(date_style="short", thai_digits=True).render(english).text


def test_a_stored_notice_renders_the_same(office, survey_links):
    """Notices go to MongoDB as JSON and are rendered again on retry."""
    for template, language in ALL:
        notice = notice_for(template, language, office, survey_links)
        again = Notice.model_validate_json(notice.model_dump_json())
        assert render(again) == render(notice)


def test_webhook_notices_are_not_rendered(office, survey_links):
    case = CaseFacts.from_opened(opened_data())
    notices = plan(event(opened_data()), case, office, survey_links, [WebhookSubscriber(id="p")])
    hook = next(n for n in notices if n.channel is DeliveryChannel.webhook)
    with pytest.raises(ValueError, match="webhook"):
        render(hook)


def test_missing_context_is_an_error_not_a_blank(office, survey_links):
    notice = notice_for(TemplateName.case_received, Language.th, office, survey_links)
    context = dict(notice.context)
    del context["tracking_code"]
    with pytest.raises(UndefinedError):
        render(notice.model_copy(update={"context": context}))


def _notice(template: TemplateName = TemplateName.case_received) -> Notice:
    return Notice(
        source_event_id="e",
        recipient_role=RecipientRole.complainant,
        recipient="a@example.com",
        channel=DeliveryChannel.email,
        template=template,
        language=Language.th,
        context={},
    )


def test_a_template_without_all_parts_is_refused(tmp_path: Path):
    (tmp_path / "th").mkdir()
    (tmp_path / "th" / "case_received.j2").write_text(
        "{% block subject %}s{% endblock %}{% block text %}t{% endblock %}", encoding="utf-8"
    )
    with pytest.raises(TemplateProblem, match="html, short"):
        Renderer(template_dir=tmp_path).render(_notice())


def test_a_part_is_rendered_only_for_the_channels_that_send_it(tmp_path: Path):
    # The HTML reads a variable this notice lacks: the e-mail fails, as it must, while a
    # chat message and an SMS, which never carry the HTML, are unaffected.
    (tmp_path / "th").mkdir()
    (tmp_path / "th" / "case_received.j2").write_text(
        "{% block subject %}s{% endblock %}{% block text %}the text{% endblock %}"
        "{% block html %}{{ only_in_html }}{% endblock %}{% block short %}short{% endblock %}",
        encoding="utf-8",
    )
    renderer = Renderer(template_dir=tmp_path)
    assert renderer.render_part(_notice(), "text") == "the text"
    assert renderer.render_part(_notice(), "short") == "short"
    with pytest.raises(UndefinedError):
        renderer.render_email(_notice())
    # Yet a template lacking a part is refused for every channel, not only for e-mail.
    (tmp_path / "th" / "case_received.j2").write_text(
        "{% block subject %}s{% endblock %}{% block text %}t{% endblock %}", encoding="utf-8"
    )
    with pytest.raises(TemplateProblem, match="html, short"):
        Renderer(template_dir=tmp_path).render_part(_notice(), "text")


def test_a_missing_template_is_refused(tmp_path: Path):
    with pytest.raises(TemplateProblem, match="no template"):
        Renderer(template_dir=tmp_path).render(_notice())
