"""Opening cases from submissions, with the office given as plain data: no servers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from services.workflow.adapters.case_store import NewCase, new_case
from services.workflow.domain.assignment import Absence, StaffMember, StaffRole
from services.workflow.domain.lifecycle import LifecyclePolicy
from services.workflow.domain.opening import (
    DirectorySnapshot,
    OpenedCase,
    OpeningRules,
    open_cases,
    recent_lookup,
)
from services.workflow.domain.routing import RecentCase, RoutingConfig, contact_keys
from services.workflow.domain.sla import SlaConfig
from shared.contract.catalogue import load_catalogue
from shared.contract.events import (
    CaseAssigned,
    CaseOpened,
    CaseStatus,
    CaseTriaged,
    Channel,
    Clock,
    ComplaintType,
    Consent,
    Contact,
    Kind,
    Priority,
    SubmissionReceived,
    make_event,
)
from shared.thai.calendar import ThaiCalendar
from shared.thai.dates import to_bangkok

RULES = OpeningRules(
    catalogue=load_catalogue(),
    routing=RoutingConfig(),
    sla=SlaConfig(),  # 1, 5 and 15 business days
    lifecycle=LifecyclePolicy(),
    calendar=ThaiCalendar(),
    contact_key=b"test-contact-key",
)
# Friday 13 June 2025, 10:00 in Bangkok; the next business days are 16-20 June.
RECEIVED = datetime(2025, 6, 13, 3, 0, tzinfo=UTC)
NOW = RECEIVED + timedelta(minutes=2)
ADMIN = "admin"  # the unit of the "documents" and "service-quality" categories
# The sender, as the personal-data store holds them: submissions carry only the reference.
MALEE = "p-malee"
CONTACTS = {MALEE: Contact(name="มาลี ใจงาม", phone="081-234-5678")}


def person(id: str, *, role: StaffRole = StaffRole.staff, **fields: Any) -> StaffMember:
    return StaffMember(id=id, unit=ADMIN, role=role, **fields)


def office(
    *people: StaffMember,
    open_cases: dict[str, int] | None = None,
    cursors: dict[str, str] | None = None,
    recent: list[RecentCase] | None = None,
) -> DirectorySnapshot:
    staff: dict[str, list[StaffMember]] = {}
    for p in people:
        staff.setdefault(p.unit, []).append(p)
    return DirectorySnapshot(
        staff=staff, open_cases=open_cases or {}, cursors=cursors or {}, recent=recent or []
    )


def submission(n: int = 1, **overrides: Any) -> SubmissionReceived:
    fields: dict[str, Any] = {
        "submission_id": f"sub-{n}",
        "tracking_code": f"SG-TEST-000{n}",
        "channel": Channel.web,
        "kind": Kind.complaint,
        "complaint_type": ComplaintType.service,
        "category": "documents",
        "subject": "ขอหนังสือรับรองล่าช้า",
        "description": "ยื่นคำขอมาสามสัปดาห์แล้วยังไม่ได้รับ",
        "person_id": MALEE,
        "consent": Consent(contact_me=True),
        "received_at": RECEIVED,
    }
    fields.update(overrides)
    return SubmissionReceived(**fields)


def open_one(sub: SubmissionReceived, directory: DirectorySnapshot) -> OpenedCase:
    [case] = open_cases([(f"c-{sub.submission_id}", sub)], directory, RULES, NOW, CONTACTS).cases
    return case


def documents(case: OpenedCase) -> NewCase:
    events = [make_event(d, source="/test", subject=case.case_id) for d in case.events]
    return new_case(case, events)


def bangkok_day(moment: datetime | None) -> date:
    assert moment is not None
    return to_bangkok(moment).date()


def test_a_submission_opens_a_case_routed_triaged_and_assigned() -> None:
    directory = office(person("ann"), person("ben"), open_cases={"ann": 2, "ben": 0})
    case = open_one(submission(), directory)

    assert case.state.unit == ADMIN
    assert case.state.status is CaseStatus.assigned
    assert case.state.assignee == "ben"  # the one with the fewest open cases
    assert [type(e) for e in case.events if not type(e).__name__.endswith("StatusChanged")] == [
        CaseOpened,
        CaseTriaged,
        CaseAssigned,
    ]
    opened, assigned = case.events[0], case.events[-1]
    assert isinstance(opened, CaseOpened) and isinstance(assigned, CaseAssigned)
    assert (assigned.assignee, assigned.reason) == ("ben", "fewest open cases")
    # The clocks run from the office's receipt, in business days over the weekend.
    assert {c: bangkok_day(d) for c, d in opened.deadlines.items()} == {
        Clock.acknowledge: date(2025, 6, 16),
        Clock.first_response: date(2025, 6, 20),
        Clock.resolution: date(2025, 7, 4),
    }
    assert case.clocks[Clock.acknowledge].stopped_at == NOW  # triage acknowledges it
    assert case.clocks[Clock.first_response].running
    assert bangkok_day(case.next_check_at) > NOW.date()

    docs = documents(case)
    assert [e["command"] for e in docs.case["timeline"]] == ["open", "triage", "assign"]
    assert docs.case["status"] == "assigned" and docs.case["event_count"] == len(case.events)
    # The person's contact stays in the personal-data store; the case keeps the reference.
    assert "081-234-5678" not in repr(docs.case) and "มาลี" not in repr(docs.case)
    assert docs.case["person_id"] == MALEE
    assert docs.case["contact_keys"] == sorted(
        contact_keys(Contact(phone="0812345678"), RULES.contact_key)
    )


def test_the_opened_event_carries_the_persons_reference_only_with_consent() -> None:
    directory = office(person("ann"))
    with_consent = open_one(submission(1), directory).events[0]
    without = open_one(submission(2, consent=Consent(contact_me=False)), directory).events[0]
    assert isinstance(with_consent, CaseOpened) and isinstance(without, CaseOpened)
    assert with_consent.person_id == MALEE and "081-234-5678" not in repr(with_consent)
    assert without.person_id is None


def test_an_anonymous_submission_has_no_reference_and_no_contact_keys() -> None:
    case = open_one(submission(person_id=None), office(person("ann")))
    docs = documents(case)
    assert docs.case["person_id"] is None and "contact_keys" not in docs.case


def test_with_nobody_to_assign_the_case_waits_in_its_unit_queue() -> None:
    on_leave = Absence(start=date(2025, 6, 9), end=date(2025, 6, 20))
    directory = office(person("ann", absences=(on_leave,)), person("ben", active=False))
    result = open_cases([("c-1", submission())], directory, RULES, NOW, CONTACTS)
    [case] = result.cases

    assert case.state.status is CaseStatus.triaged
    assert case.state.unit == ADMIN and case.state.assignee is None
    assert not any(isinstance(e, CaseAssigned) for e in case.events)
    assert case.clocks[Clock.first_response].running
    assert result.queues.added == {} and result.queues.moved == {}
    assert [e["command"] for e in documents(case).case["timeline"]] == ["open", "triage"]


def test_a_misconduct_complaint_never_goes_to_the_person_it_names() -> None:
    head = person("admin.head", role=StaffRole.supervisor, name="ประเสริฐ บุญเรือง")
    deputy = person("admin.deputy", role=StaffRole.supervisor, name="สุดา ดีงาม")
    directory = office(
        head, deputy, person("admin.a"), open_cases={"admin.head": 0, "admin.deputy": 4}
    )
    sub = submission(complaint_type=ComplaintType.misconduct, named_person=" ประเสริฐ บุญเรือง ")
    case = open_one(sub, directory)

    # Named by name, excluded by id too: no later command may assign it to them.
    assert "admin.head" in case.state.excluded_assignees
    assert case.state.assignee == "admin.deputy"  # a supervisor, though the busier one
    assert case.state.priority is Priority.high
    assigned = case.events[-1]
    assert isinstance(assigned, CaseAssigned) and assigned.reason == "misconduct: supervisor"
    assert "admin.head" in documents(case).case["excluded_assignees"]
    # Who was named is kept with the case (its excluded assignees name them already).
    assert documents(case).case["named_person"] == " ประเสริฐ บุญเรือง "


def test_a_misconduct_complaint_naming_the_only_supervisor_is_left_unassigned() -> None:
    head = person("admin.head", role=StaffRole.supervisor, name="ประเสริฐ บุญเรือง")
    directory = office(head, person("admin.a"))
    case = open_one(
        submission(complaint_type=ComplaintType.misconduct, named_person="admin.head"), directory
    )
    assert case.state.status is CaseStatus.triaged and case.state.assignee is None


def test_two_submissions_to_one_unit_go_round_the_unit() -> None:
    directory = office(
        person("ann"), person("ben"), person("cat"), open_cases={"ann": 0, "ben": 1, "cat": 1}
    )
    subs = [("c-1", submission(1)), ("c-2", submission(2, category="service-quality"))]
    result = open_cases(subs, directory, RULES, NOW, CONTACTS)

    # ann has the fewest; then all three carry one, and the turn passes to the one after ann.
    assert [c.state.assignee for c in result.cases] == ["ann", "ben"]
    assert result.queues.added == {"ann": 1, "ben": 1}
    assert result.queues.moved == {ADMIN: "ben"}
    # The snapshot read from the database is left as it was.
    assert directory.open_cases == {"ann": 0, "ben": 1, "cat": 1} and directory.cursors == {}


def test_the_turn_starts_after_the_last_person_assigned_before_the_batch() -> None:
    directory = office(person("ann"), person("ben"), person("cat"), cursors={ADMIN: "cat"})
    case = open_one(submission(), directory)
    assert case.state.assignee == "ann"  # wrapping round after cat


def test_the_open_cases_of_a_batch_count_towards_a_cap() -> None:
    directory = office(person("ann", cap=1), open_cases={"ann": 0})
    result = open_cases(
        [("c-1", submission(1)), ("c-2", submission(2))], directory, RULES, NOW, CONTACTS
    )
    assert [c.state.assignee for c in result.cases] == ["ann", None]


def test_an_earlier_case_of_the_same_contact_is_hinted_as_a_duplicate() -> None:
    earlier = RecentCase(
        case_id="c-earlier",
        category="documents",
        contact_keys=contact_keys(Contact(phone="+66 81 234 5678"), RULES.contact_key),
        opened_at=RECEIVED - timedelta(days=3),
    )
    lookup = recent_lookup([submission()], RULES, NOW, CONTACTS)
    assert set(earlier.contact_keys) <= set(lookup.contact_keys)
    assert lookup.since <= earlier.opened_at

    case = open_one(submission(), office(person("ann"), recent=[earlier]))
    triaged = next(e for e in case.events if isinstance(e, CaseTriaged))
    assert triaged.duplicate_hint == "c-earlier"
    assert documents(case).case["duplicate_hint"] == "c-earlier"
    # Only a hint: the case is opened and assigned like any other.
    assert case.state.assignee == "ann"
