"""The rules table: every case event → exactly the expected notices, and nothing leaks."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest

from services.notifications.domain.case_facts import CaseFacts, evolve
from services.notifications.domain.notice import (
    DeliveryChannel,
    Notice,
    RecipientRole,
    TemplateName,
)
from services.notifications.domain.office import WebhookSubscriber
from shared.contract.events import (
    CaseAssigned,
    CaseClosed,
    CaseCommented,
    CaseMerged,
    CaseReopened,
    CaseSlaBreached,
    CaseSlaWarning,
    CaseStatus,
    CaseStatusChanged,
    CaseTriaged,
    Clock,
    CloseReason,
    ComplaintType,
    Consent,
    Contact,
    Language,
    Priority,
    Visibility,
)
from shared.contract.survey_token import verify_survey_token

from .sample import (
    CASE_ID,
    EMAIL,
    LINE_USER,
    NAME,
    PERSON,
    PHONE,
    SURVEY_SECRET,
    TRACKING,
    event,
    opened_data,
    plan,
)

R, T, C = RecipientRole, TemplateName, DeliveryChannel
DUE = datetime(2026, 12, 17, 10, 0, tzinfo=UTC)
INTERNAL_NOTE = "ผู้ร้องเคยร้องเรียนเรื่องนี้มาแล้วสามครั้ง ภายในเท่านั้น"


def changed(frm: CaseStatus, to: CaseStatus, public_reason: str | None = None, **kw):
    return CaseStatusChanged.model_validate(
        {
            "case_id": CASE_ID,
            "from": frm,
            "to": to,
            "command": kw.pop("command", "x"),
            "reason": kw.pop("reason", None),
            "public_reason": public_reason,
            "actor": kw.pop("actor", "somchai.r"),
        }
    )


def summary(
    notices: list[Notice],
) -> list[tuple[RecipientRole, str, DeliveryChannel, TemplateName]]:
    return [(n.recipient_role, n.recipient, n.channel, n.template) for n in notices]


def dumped(notices: list[Notice]) -> str:
    return orjson.dumps([n.model_dump(mode="json") for n in notices]).decode()


# ------------------------------------------------------------------ the table

TABLE = [
    pytest.param(
        opened_data(), {}, [(R.complainant, EMAIL, C.email, T.case_received)], id="opened"
    ),
    pytest.param(
        CaseAssigned(case_id=CASE_ID, unit="promotion", assignee="somchai.r", actor="sup.malee"),
        {},
        [(R.assignee, "somchai.r", C.email, T.case_assigned)],
        id="assigned",
    ),
    pytest.param(
        changed(CaseStatus.in_progress, CaseStatus.awaiting_info, "ขอทราบชื่อโรงเรียน"),
        {"status": CaseStatus.in_progress},
        [(R.complainant, EMAIL, C.email, T.status_update)],
        id="status-with-public-reason",
    ),
    pytest.param(
        changed(CaseStatus.assigned, CaseStatus.in_progress),
        {"status": CaseStatus.assigned},
        [],
        id="status-without-public-reason",
    ),
    pytest.param(
        changed(CaseStatus.in_progress, CaseStatus.resolved, "โรงเรียนได้ปรับปรุงแล้ว"),
        {"status": CaseStatus.in_progress},
        [(R.complainant, EMAIL, C.email, T.case_resolved)],
        id="resolved-with-answer",
    ),
    pytest.param(
        changed(CaseStatus.in_progress, CaseStatus.closed, "ไม่อยู่ในอำนาจหน้าที่"),
        {},
        [],
        id="status-to-closed-left-to-case.closed",
    ),
    pytest.param(
        CaseCommented(
            case_id=CASE_ID,
            comment_id="k1",
            visibility=Visibility.public,
            text="ได้ประสานโรงเรียนแล้ว",
            author="somchai.r",
        ),
        {},
        [(R.complainant, EMAIL, C.email, T.public_comment)],
        id="public-comment",
    ),
    pytest.param(
        CaseCommented(
            case_id=CASE_ID,
            comment_id="k2",
            visibility=Visibility.internal,
            text=INTERNAL_NOTE,
            author="somchai.r",
        ),
        {},
        [],
        id="internal-comment",
    ),
    pytest.param(
        CaseReopened(case_id=CASE_ID, reason="ผู้ร้องแจ้งว่ายังไม่แก้ไข", actor="system", reopen_count=1),
        {"status": CaseStatus.resolved, "answer_sent": True},
        [(R.complainant, EMAIL, C.email, T.status_update)],
        id="reopened",
    ),
    pytest.param(
        CaseSlaWarning(
            case_id=CASE_ID,
            clock=Clock.first_response,
            threshold_percent=75,
            due_at=DUE,
            unit="promotion",
            assignee="somchai.r",
        ),
        {},
        [(R.assignee, "somchai.r", C.email, T.sla_warning)],
        id="sla-warning",
    ),
    pytest.param(
        CaseSlaBreached(
            case_id=CASE_ID,
            clock=Clock.first_response,
            due_at=DUE,
            unit="promotion",
            assignee="somchai.r",
            escalated_to="sup.malee",
        ),
        {},
        [(R.supervisor, "sup.malee", C.email, T.sla_breached)],
        id="sla-breached",
    ),
    pytest.param(
        CaseClosed(case_id=CASE_ID, reason=CloseReason.resolved, actor="system", public_answer="x"),
        {"status": CaseStatus.resolved, "answer_sent": True},
        [],
        id="closed-resolved-after-answer",
    ),
    pytest.param(
        CaseClosed(
            case_id=CASE_ID, reason=CloseReason.resolved, actor="system", public_answer="ok"
        ),
        {"status": CaseStatus.resolved, "answer_sent": False},
        [(R.complainant, EMAIL, C.email, T.case_resolved)],
        id="closed-resolved-no-answer-yet",
    ),
    *[
        pytest.param(
            CaseClosed(case_id=CASE_ID, reason=reason, actor="sup.malee", public_answer="เหตุผล"),
            {},
            [(R.complainant, EMAIL, C.email, T.case_closed)],
            id=f"closed-{reason.value}",
        )
        for reason in CloseReason
        if reason is not CloseReason.resolved
    ],
    pytest.param(
        CaseTriaged(
            case_id=CASE_ID, unit="promotion", priority=Priority.high, category="x", actor="a"
        ),
        {},
        [],
        id="triaged",
    ),
    pytest.param(CaseMerged(case_id=CASE_ID, into_case_id="other", actor="a"), {}, [], id="merged"),
]


@pytest.mark.parametrize(("data", "facts_changes", "expected"), TABLE)
def test_rules_table(data, facts_changes, expected, facts, office, survey_links):
    notices = plan(event(data), facts(**facts_changes), office, survey_links)
    assert summary(notices) == expected


def test_every_notice_carries_the_event_and_case(facts, office, survey_links):
    [notice] = plan(event(opened_data(), event_id="evt-42"), facts(), office, survey_links)
    assert notice.source_event_id == "evt-42"
    assert notice.case_id == CASE_ID
    assert notice.correlation_id == "corr-1"
    assert notice.language is Language.th


def test_plan_is_deterministic(facts, office, survey_links):
    data = changed(CaseStatus.in_progress, CaseStatus.resolved, "แก้ไขแล้ว")
    first = plan(event(data), facts(), office, survey_links)
    again = plan(event(data), facts(), office, survey_links)
    assert first == again
    assert [n.ledger_key for n in first] == [n.ledger_key for n in again]


# ------------------------------------------------------------------- content


def test_case_received_has_tracking_code_and_deadlines(facts, office, survey_links):
    [n] = plan(event(opened_data()), facts(), office, survey_links)
    assert n.context["tracking_code"] == TRACKING
    assert n.context["respond_by"] == "2026-12-17T10:00:00+00:00"
    assert n.context["resolve_by"] == "2027-01-15T10:00:00+00:00"
    assert n.context["tracking_url"] == f"https://siang.example.go.th/track/{TRACKING}"
    assert n.context["name"] == NAME
    assert n.context["unit_name"] == "กลุ่มส่งเสริมการจัดการศึกษา"


def test_english_case_gets_english_notices(facts, office, survey_links):
    [n] = plan(event(opened_data()), facts(language=Language.en), office, survey_links)
    assert n.language is Language.en
    assert n.context["unit_name"] == "Educational Promotion Division"
    assert n.context["office"]["name"] == office.name_en


def test_resolved_notice_carries_answer_and_verifiable_survey_link(facts, office, survey_links):
    data = changed(CaseStatus.in_progress, CaseStatus.resolved, "โรงเรียนเพิ่มอาหารแล้ว")
    when = datetime(2026, 12, 20, 5, 0, tzinfo=UTC)
    [n] = plan(event(data, time=when), facts(), office, survey_links)
    assert n.context["answer"] == "โรงเรียนเพิ่มอาหารแล้ว"
    url = n.context["survey_url"]
    assert isinstance(url, str) and url.startswith("https://siang.example.go.th/survey/v1.")
    claims = verify_survey_token(url.rsplit("/", 1)[1], secret=SURVEY_SECRET, now=when)
    assert claims.case_id == CASE_ID
    assert claims.language is Language.th
    assert claims.expires_at == when + survey_links.ttl
    assert n.context["survey_expires_at"] == (when + survey_links.ttl).isoformat()


def test_closed_for_other_reasons_has_reason_and_no_survey(facts, office, survey_links):
    data = CaseClosed(
        case_id=CASE_ID,
        reason=CloseReason.referred,
        actor="sup.malee",
        referred_to="สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
        public_answer="ส่งเรื่องให้ สพฐ. พิจารณาตามอำนาจหน้าที่",
    )
    [n] = plan(event(data), facts(), office, survey_links)
    assert n.context["close_reason"] == "referred"
    assert n.context["referred_to"] == "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน"
    assert "survey_url" not in n.context


def test_reopened_tells_the_complainant_but_not_staffs_reason(facts, office, survey_links):
    data = CaseReopened(case_id=CASE_ID, reason="หัวหน้าสั่งให้ทบทวน", actor="sup", reopen_count=1)
    [n] = plan(event(data), facts(status=CaseStatus.resolved), office, survey_links)
    assert n.context["reopened"] is True
    assert "หัวหน้าสั่งให้ทบทวน" not in dumped([n])


def test_status_update_never_carries_the_internal_reason(facts, office, survey_links):
    data = changed(
        CaseStatus.in_progress,
        CaseStatus.awaiting_info,
        "ขอทราบวันที่เกิดเหตุ",
        reason=INTERNAL_NOTE,
    )
    notices = plan(event(data), facts(), office, survey_links)
    assert notices and INTERNAL_NOTE not in dumped(notices)


def test_internal_comment_reaches_nobody_not_even_subscribers(facts, office, survey_links):
    data = CaseCommented(
        case_id=CASE_ID,
        comment_id="k",
        visibility=Visibility.internal,
        text=INTERNAL_NOTE,
        author="a",
    )
    subs = [WebhookSubscriber(id="partner")]
    assert plan(event(data), facts(), office, survey_links, subs) == []


# ------------------------------------------------------------------- consent


def test_no_consent_no_message_to_the_complainant(facts, office, survey_links):
    case = facts(consent=Consent(contact_me=False))
    assert plan(event(opened_data()), case, office, survey_links) == []


def test_anonymous_complainant_gets_nothing_but_staff_still_do(facts, office, survey_links):
    case = facts(person_id=None, consent=Consent())
    assert plan(event(opened_data()), case, office, survey_links) == []
    assigned = CaseAssigned(case_id=CASE_ID, unit="promotion", assignee="somchai.r", actor="sup")
    assert len(plan(event(assigned), case, office, survey_links)) == 1


@pytest.mark.parametrize(
    ("channel", "contact", "expected"),
    [
        ("line", Contact(line_user_id=LINE_USER, email=EMAIL), (C.line, LINE_USER)),
        ("email", Contact(email=EMAIL, phone=PHONE), (C.email, EMAIL)),
        ("web", Contact(email=EMAIL, phone=PHONE), (C.email, EMAIL)),
        ("web", Contact(phone=PHONE), (C.sms, PHONE)),
        ("phone", Contact(email=EMAIL, phone=PHONE), (C.sms, PHONE)),
    ],
)
def test_complainant_is_reached_on_the_channel_they_came_by(
    channel, contact, expected, facts, office, survey_links
):
    case = facts(channel=channel)
    [n] = plan(event(opened_data()), case, office, survey_links, people={PERSON: contact})
    assert (n.channel, n.recipient) == expected


# --------------------------------------------------------------------- staff


def test_staff_notices_never_carry_the_complainants_contact(facts, office, survey_links):
    case = facts(assignee="somchai.r", supervisor="sup.malee")
    notices = []
    for data in (
        CaseAssigned(case_id=CASE_ID, unit="promotion", assignee="somchai.r", actor="sup"),
        CaseSlaWarning(
            case_id=CASE_ID,
            clock=Clock.resolution,
            threshold_percent=50,
            due_at=DUE,
            unit="promotion",
        ),
        CaseSlaBreached(case_id=CASE_ID, clock=Clock.resolution, due_at=DUE, unit="promotion"),
    ):
        notices += plan(event(data), case, office, survey_links)
    assert {n.recipient_role for n in notices} == {R.assignee, R.supervisor}
    text = dumped(notices)
    for personal in (NAME, EMAIL, PHONE):
        assert personal not in text


def test_self_assignment_sends_nothing(facts, office, survey_links):
    data = CaseAssigned(case_id=CASE_ID, unit="promotion", assignee="somchai.r", actor="somchai.r")
    assert plan(event(data), facts(), office, survey_links) == []


def test_reassignment_is_flagged(facts, office, survey_links):
    data = CaseAssigned(
        case_id=CASE_ID,
        unit="promotion",
        assignee="wipa.k",
        previous_assignee="somchai.r",
        actor="sup.malee",
        reason="ภาระงานของผู้รับผิดชอบเดิมมาก",
    )
    [n] = plan(event(data), facts(assignee="somchai.r"), office, survey_links)
    assert n.recipient == "wipa.k"
    assert n.context["reassigned"] is True
    assert n.context["assigned_by"] == "sup.malee"


def test_sla_warning_falls_back_to_the_case_assignee(facts, office, survey_links):
    data = CaseSlaWarning(
        case_id=CASE_ID,
        clock=Clock.first_response,
        threshold_percent=50,
        due_at=DUE,
        unit="promotion",
    )
    [n] = plan(event(data), facts(assignee="somchai.r"), office, survey_links)
    assert (n.recipient_role, n.recipient) == (R.assignee, "somchai.r")
    assert n.context["unassigned"] is False
    assert n.context["threshold_percent"] == 50


def test_sla_warning_on_an_unassigned_case_goes_to_the_unit_supervisors(
    facts, office, survey_links
):
    data = CaseSlaWarning(
        case_id=CASE_ID, clock=Clock.acknowledge, threshold_percent=75, due_at=DUE, unit="promotion"
    )
    [n] = plan(event(data), facts(), office, survey_links)
    assert (n.recipient_role, n.recipient) == (R.supervisor, "@unit:promotion")
    assert n.context["unassigned"] is True


@pytest.mark.parametrize(
    ("escalated_to", "supervisor", "expected"),
    [
        ("sup.malee", "sup.other", "sup.malee"),
        (None, "sup.other", "sup.other"),
        (None, None, "@unit:promotion"),
    ],
)
def test_sla_breach_escalates_to_the_supervisor(
    escalated_to, supervisor, expected, facts, office, survey_links
):
    data = CaseSlaBreached(
        case_id=CASE_ID,
        clock=Clock.first_response,
        due_at=DUE,
        unit="promotion",
        escalated_to=escalated_to,
    )
    [n] = plan(event(data), facts(supervisor=supervisor), office, survey_links)
    assert (n.recipient_role, n.recipient) == (R.supervisor, expected)


# ----------------------------------------------------------------- misconduct


@pytest.fixture
def misconduct(facts):
    return facts(
        complaint_type=ComplaintType.misconduct,
        subject="เจ้าหน้าที่การเงินเรียกรับเงินเพื่อเร่งเบิกจ่าย",
        named_person="finance.sompong",
        supervisor="sup.finance",
    )


def test_misconduct_subject_never_in_staff_mail(misconduct, office, survey_links):
    data = CaseAssigned(case_id=CASE_ID, unit="legal", assignee="legal.wanida", actor="sup")
    [n] = plan(event(data), misconduct, office, survey_links)
    assert n.context["confidential"] is True
    assert n.context["subject"] is None
    assert "เรียกรับเงิน" not in dumped([n])


def test_misconduct_named_person_is_never_told(misconduct, office, survey_links):
    data = CaseAssigned(case_id=CASE_ID, unit="finance", assignee="finance.sompong", actor="sup")
    assert plan(event(data), misconduct, office, survey_links) == []
    warning = CaseSlaWarning(
        case_id=CASE_ID,
        clock=Clock.resolution,
        threshold_percent=50,
        due_at=DUE,
        unit="finance",
        assignee="finance.sompong",
    )
    assert plan(event(warning), misconduct, office, survey_links) == []


def test_misconduct_breach_naming_the_supervisor_goes_to_the_director(
    misconduct, office, survey_links
):
    case = misconduct.model_copy(update={"named_person": "sup.finance"})
    data = CaseSlaBreached(case_id=CASE_ID, clock=Clock.resolution, due_at=DUE, unit="finance")
    [n] = plan(event(data), case, office, survey_links)
    assert n.recipient == "director.chaiwat"
    no_director = office.model_copy(update={"director": None})
    assert plan(event(data), case, no_director, survey_links) == []


def test_misconduct_complainant_still_hears_about_their_own_case(misconduct, office, survey_links):
    [n] = plan(event(opened_data()), misconduct, office, survey_links)
    assert n.recipient_role is R.complainant


# ---------------------------------------------------------------- subscribers


def test_subscribers_get_public_updates_without_personal_data(facts, office, survey_links):
    subs = [WebhookSubscriber(id="open311-gateway", channels=frozenset({"open311"}))]
    case = facts(channel="open311")
    data = changed(CaseStatus.in_progress, CaseStatus.resolved, "แก้ไขแล้ว")
    notices = plan(event(data), case, office, survey_links, subs)
    assert summary(notices) == [
        (R.complainant, EMAIL, C.email, T.case_resolved),
        (R.subscriber, "open311-gateway", C.webhook, T.case_resolved),
    ]
    hook = notices[1]
    assert hook.context["tracking_code"] == TRACKING
    assert hook.context["answer"] == "แก้ไขแล้ว"
    assert hook.context["event_type"] == "case.status_changed"
    text = dumped([hook])
    for private in (NAME, EMAIL, PHONE, "survey", case.subject):
        assert private not in text


def test_subscribers_filter_by_event_and_channel(facts, office, survey_links):
    subs = [
        WebhookSubscriber(id="only-closed", events=frozenset({"case.closed"})),
        WebhookSubscriber(id="only-api", channels=frozenset({"api"})),
    ]
    notices = plan(event(opened_data()), facts(), office, survey_links, subs)
    assert [n.recipient for n in notices] == [EMAIL]


def test_subscribers_never_get_staff_events(facts, office, survey_links):
    subs = [WebhookSubscriber(id="everything")]
    data = CaseSlaBreached(case_id=CASE_ID, clock=Clock.resolution, due_at=DUE, unit="promotion")
    notices = plan(event(data), facts(), office, survey_links, subs)
    assert all(n.recipient_role is not R.subscriber for n in notices)


def test_subscribers_hear_even_when_the_complainant_did_not_consent(facts, office, survey_links):
    case = facts(consent=Consent(contact_me=False))
    notices = plan(event(opened_data()), case, office, survey_links, [WebhookSubscriber(id="p")])
    assert summary(notices) == [(R.subscriber, "p", C.webhook, T.case_received)]


# ----------------------------------------------------------------- lifecycle


def test_a_whole_lifecycle_answers_once(office, survey_links):
    """opened → assigned → started → resolved → closed: the answer is sent exactly once."""
    case = CaseFacts.from_opened(opened_data(), supervisor="sup.malee")
    steps = [
        opened_data(),
        CaseAssigned(case_id=CASE_ID, unit="promotion", assignee="somchai.r", actor="sup.malee"),
        changed(CaseStatus.assigned, CaseStatus.in_progress),
        changed(CaseStatus.in_progress, CaseStatus.resolved, "โรงเรียนเพิ่มอาหารแล้ว"),
        changed(CaseStatus.resolved, CaseStatus.closed),
        CaseClosed(case_id=CASE_ID, reason=CloseReason.resolved, actor="system", public_answer="x"),
    ]
    sent = []
    for i, data in enumerate(steps):
        ev = event(data, event_id=f"evt-{i}")
        sent += plan(ev, case, office, survey_links)
        case = evolve(case, ev)
    assert [n.template for n in sent] == [T.case_received, T.case_assigned, T.case_resolved]
    assert len({n.ledger_key for n in sent}) == len(sent)
