"""A busy office's cases, written straight into the workflow's database as the workflow
itself writes them: for the console's browser test (2,000 cases) and its benchmark
(10,000), where posting each one through intake would take longer than the test.

Each case is opened by the workflow's own opening (`domain.opening.open_cases`: routed,
triaged, assigned, clocks started, contact keys made with the workflow's secret), then
lives on through the lifecycle's own commands (`domain.lifecycle.decide`, clocks moved
by `domain.sla.apply_transition`) at plausible times after it arrived: started, waiting
for information, resolved, closed, withdrawn, rejected. The deadline scanner's marks are
replayed at each step (`due_thresholds`, `mark_emitted`, an `escalate` line on the
timeline at a breach), so the overdue and escalated queues hold what they would. The
documents are `case_store.new_case`'s with the later commands' changes applied, as
`handlers.commands.apply_decision` applies them; the senders' contacts go to the
personal-data store as intake writes them. No events are written: nothing downstream
(notifications, reporting) hears of these cases.

The same `seed` gives the same office, so a test can count what a filter should find.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from services.workflow.adapters.case_store import clocks_doc, new_case
from services.workflow.adapters.policy_files import load_routing_config, load_sla_config
from services.workflow.domain.assignment import StaffMember
from services.workflow.domain.lifecycle import (
    Actor,
    CaseState,
    Command,
    CommandPayload,
    LifecyclePolicy,
    Role,
    decide,
    is_office_answer,
)
from services.workflow.domain.opening import DirectorySnapshot, OpeningRules, open_cases
from services.workflow.domain.sla import ClockState, apply_transition, due_thresholds, mark_emitted
from services.workflow.domain.sla_schedule import next_check_at
from services.workflow.handlers.submissions import case_id_for
from shared.contract.catalogue import Catalogue, load_catalogue
from shared.contract.events import (
    CaseStatus,
    Channel,
    Clock,
    ComplaintType,
    Consent,
    Contact,
    Kind,
    SubmissionReceived,
)
from shared.infra.personal_data import PersonalData, person_id_for
from shared.thai.calendar import ThaiCalendar

CONFIG = Path(__file__).resolve().parents[1] / "config"
# The workflow's default secret for contact keys (WorkflowSettings.contact_key).
CONTACT_KEY = b"siang-local-contact-key"
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

# What people write about, by category: a subject and a sentence of description.
TOPICS: dict[str, tuple[tuple[str, str], ...]] = {
    "service-quality": (
        ("เจ้าหน้าที่ให้บริการล่าช้า", "รอรับบริการที่เคาน์เตอร์นานกว่าสองชั่วโมง"),
        ("ขอบคุณเจ้าหน้าที่ที่ช่วยเหลือ", "เจ้าหน้าที่อธิบายขั้นตอนอย่างละเอียดและสุภาพ"),
    ),
    "documents": (
        ("ขอหนังสือรับรองล่าช้า", "ยื่นคำขอหนังสือรับรองการทำงานมาสามสัปดาห์แล้วยังไม่ได้รับ"),
        ("สอบถามการขอสำเนาทะเบียนประวัติ", "ต้องใช้เอกสารใดบ้างในการขอสำเนา"),
    ),
    "school-admission": (
        ("ย้ายโรงเรียนแล้วยังไม่ได้รับเอกสาร", "ยื่นคำร้องขอย้ายโรงเรียนตั้งแต่ต้นเดือน"),
        ("สอบถามเกณฑ์การรับนักเรียน", "อยากทราบเกณฑ์การรับนักเรียนชั้นประถมศึกษาปีที่ 1"),
    ),
    "student-welfare": (
        ("รถรับส่งนักเรียนขับเร็ว", "รถตู้รับส่งนักเรียนขับเร็วในเขตชุมชนทุกเช้า"),
        ("ห้องน้ำโรงเรียนไม่สะอาด", "ห้องน้ำนักเรียนชำรุดและไม่มีน้ำใช้หลายวัน"),
    ),
    "school-lunch": (
        ("อาหารกลางวันไม่เพียงพอ", "นักเรียนได้รับอาหารกลางวันปริมาณน้อย"),
        ("นมโรงเรียนหมดอายุ", "นมที่แจกให้นักเรียนบางกล่องมีกลิ่นเปรี้ยว"),
    ),
    "teaching-quality": (
        ("ครูขาดสอนบ่อย", "วิชาคณิตศาสตร์ไม่มีครูเข้าสอนหลายสัปดาห์"),
        ("เสนอให้เพิ่มชั่วโมงภาษาอังกฤษ", "อยากให้โรงเรียนจัดกิจกรรมภาษาอังกฤษหลังเลิกเรียน"),
    ),
    "teacher-conduct": (("ครูใช้ถ้อยคำไม่เหมาะสม", "ครูตำหนินักเรียนด้วยถ้อยคำรุนแรงหน้าชั้น"),),
    "personnel-matters": (
        ("สอบถามเรื่องการย้ายครู", "อยากทราบกำหนดการยื่นคำร้องขอย้ายประจำปี"),
        ("เงินเดือนเลื่อนขั้นยังไม่ได้รับ", "ได้รับแจ้งเลื่อนขั้นแต่ยังไม่ได้รับเงินตกเบิก"),
    ),
    "procurement": (
        ("สอบถามผลการจัดซื้อครุภัณฑ์", "อยากทราบผลการประกวดราคาครุภัณฑ์คอมพิวเตอร์"),
        ("ประกาศจัดซื้อจัดจ้างไม่ชัดเจน", "ประกาศไม่ระบุคุณลักษณะของพัสดุที่ต้องการ"),
    ),
    "corruption": (("เรียกเก็บเงินแป๊ะเจี๊ยะ", "โรงเรียนเรียกเก็บเงินบริจาคก่อนรับนักเรียนเข้าเรียน"),),
    "budget-planning": (
        ("เสนอแผนปรับปรุงสนามกีฬา", "สนามกีฬาของโรงเรียนชำรุด ควรอยู่ในแผนปีหน้า"),
        ("สอบถามงบประมาณโครงการ", "อยากทราบงบประมาณโครงการพัฒนาห้องสมุด"),
    ),
    "facilities": (
        ("หลังคาอาคารเรียนรั่ว", "ฝนตกแล้วน้ำรั่วเข้าห้องเรียนชั้นสอง"),
        ("ไฟฟ้าหน้าโรงเรียนดับ", "ไฟส่องสว่างหน้าโรงเรียนดับมาหนึ่งเดือน"),
    ),
    "ict-services": (
        ("อินเทอร์เน็ตโรงเรียนใช้งานไม่ได้", "สัญญาณอินเทอร์เน็ตขาดหายเกือบทุกวัน"),
        ("ระบบลงทะเบียนออนไลน์ขัดข้อง", "เข้าระบบลงทะเบียนนักเรียนไม่ได้"),
    ),
    "other": (("เรื่องทั่วไป", "ขอแจ้งเรื่องทั่วไปให้สำนักงานทราบ"),),
}
SCHOOLS = (
    "โรงเรียนบ้านหนองบัว",
    "โรงเรียนวัดใหม่",
    "โรงเรียนบ้านดอนแดง",
    "โรงเรียนชุมชนบ้านนา",
    "โรงเรียนบ้านโคกสูง",
    "โรงเรียนวัดป่า",
)
# How cases arrive: most on the web and LINE, a few by letter or at the counter.
CHANNELS: tuple[tuple[Channel, int], ...] = (
    (Channel.web, 40),
    (Channel.line, 25),
    (Channel.email, 10),
    (Channel.phone, 10),
    (Channel.walk_in, 5),
    (Channel.letter, 4),
    (Channel.facebook, 4),
    (Channel.open311, 1),
    (Channel.api, 1),
)


@dataclass
class BusyOffice:
    """The documents to write: `cases` into `cases`, `people` into `personal_data`."""

    cases: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)


def tracking_code(rng: random.Random) -> str:
    """A code of intake's shape (three groups of four symbols from its alphabet; the
    check symbol is not checked by the console, so a random last symbol does)."""
    symbols = "".join(rng.choice(ALPHABET) for _ in range(12))
    return f"SG-{symbols[0:4]}-{symbols[4:8]}-{symbols[8:12]}"


def staff_of(path: Path = CONFIG / "staff.yaml") -> dict[str, list[StaffMember]]:
    """The demo directory (`deploy/config/staff.yaml`) by unit: who the cases go to."""
    by_unit: dict[str, list[StaffMember]] = {}
    for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["staff"]:
        if entry.get("role") in {"staff", "supervisor"} and entry.get("unit"):
            member = StaffMember(
                id=entry["id"], unit=entry["unit"], role=entry["role"], name=entry.get("name")
            )
            by_unit.setdefault(member.unit, []).append(member)
    return by_unit


def office(count: int, now: datetime, *, seed: int = 2569, days: int = 365) -> BusyOffice:
    """`count` cases received over the `days` before `now`, oldest first, in the states
    their ages make likely; the same `seed` gives the same office."""
    rng = random.Random(seed)
    catalogue = load_catalogue(CONFIG / "catalogue.yaml")
    calendar = ThaiCalendar()
    rules = OpeningRules(
        catalogue=catalogue,
        routing=load_routing_config(CONFIG / "routing.yaml"),
        sla=load_sla_config(CONFIG / "sla.yaml"),
        lifecycle=LifecyclePolicy(),
        calendar=calendar,
        contact_key=CONTACT_KEY,
    )
    staff = staff_of()
    open_counts: dict[str, int] = {}
    cursors: dict[str, str] = {}
    # A little more lately than long ago (an office whose channels draw more each month):
    # an eighth of a year's cases arrived in its last 25 days.
    ages = sorted((rng.random() ** 1.3 * days for _ in range(count)), reverse=True)
    result = BusyOffice()
    for i, age in enumerate(ages):
        received = now - timedelta(days=age, seconds=rng.randrange(3600))
        sub, contact = _submission(rng, catalogue, i, received)
        directory = DirectorySnapshot(staff=staff, open_cases=open_counts, cursors=cursors)
        case_id = case_id_for(sub.submission_id)
        contacts = {sub.person_id: contact} if contact and sub.person_id else {}
        opened_at = received + timedelta(seconds=rng.randrange(2, 30))
        opening = open_cases([(case_id, sub)], directory, rules, opened_at, contacts)
        for person, added in opening.queues.added.items():
            open_counts[person] = open_counts.get(person, 0) + added
        cursors.update(opening.queues.moved)
        doc = new_case(opening.cases[0], []).case
        _live_on(doc, rng, now, rules, staff)
        result.cases.append(doc)
        if contact and sub.person_id:
            result.people.append(
                PersonalData.document(sub.person_id, contact, source=sub.channel, at=received)
            )
    return result


def _submission(
    rng: random.Random, catalogue: Catalogue, i: int, received: datetime
) -> tuple[SubmissionReceived, Contact | None]:
    category = rng.choice([c for c in catalogue.categories if c.code in TOPICS])
    kind = rng.choice(category.kinds)
    subject, description = rng.choice(TOPICS[category.code])
    channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
    submission_id = f"busy-{i:06d}-{rng.getrandbits(32):08x}"
    contact = None
    if rng.random() < 0.75:
        contact = Contact(
            name=f"ผู้ร้อง {i}",
            phone=f"08{rng.randrange(10**8):08d}" if rng.random() < 0.7 else None,
            email=f"person{i}@example.com",
        )
    misconduct = kind is Kind.complaint and category.code in {"teacher-conduct", "corruption"}
    sub = SubmissionReceived(
        submission_id=submission_id,
        tracking_code=tracking_code(rng),
        channel=channel,
        kind=kind,
        complaint_type=(
            (ComplaintType.misconduct if misconduct else ComplaintType.service)
            if kind is Kind.complaint
            else None
        ),
        category=category.code,
        subject=f"{subject} {rng.choice(SCHOOLS)}",
        description=f"{description} (เรื่องที่ {i + 1})",
        person_id=person_id_for(submission_id) if contact else None,
        consent=Consent(contact_me=contact is not None),
        received_at=received,
    )
    return sub, contact


def _story(rng: random.Random, age_days: float) -> Sequence[Command]:
    """What happened to a case after it was assigned, by how long ago it arrived."""
    if age_days < 2 and rng.random() < 0.7:
        return ()
    draw = rng.random()
    if age_days < 25:
        if draw < 0.25:
            return ()
        if draw < 0.6:
            return (Command.start,)
        if draw < 0.72:
            return (Command.start, Command.request_info)
        if draw < 0.9:
            return (Command.start, Command.resolve)
        return (Command.start, Command.resolve, Command.close)
    if draw < 0.04:
        return (Command.withdraw,)
    if draw < 0.07:
        return (Command.reject,)
    if draw < 0.1:
        return (Command.start,)  # forgotten: overdue, escalated
    if draw < 0.13:
        return (Command.start, Command.request_info, Command.info_received, Command.resolve)
    return (Command.start, Command.resolve, Command.close)


_PAYLOADS: dict[Command, CommandPayload] = {
    Command.start: CommandPayload(),
    Command.request_info: CommandPayload(public_reason="ขอเอกสารเพิ่มเติม"),
    Command.info_received: CommandPayload(),
    Command.resolve: CommandPayload(public_answer="ดำเนินการแก้ไขเรียบร้อยแล้ว"),
    Command.close: CommandPayload(),
    Command.withdraw: CommandPayload(reason="ผู้ร้องแจ้งขอถอนเรื่อง"),
    Command.reject: CommandPayload(public_reason="ไม่อยู่ในอำนาจหน้าที่ของสำนักงาน"),
}


def _live_on(
    doc: dict[str, Any],
    rng: random.Random,
    now: datetime,
    rules: OpeningRules,
    staff: dict[str, list[StaffMember]],
) -> None:
    """Take the case's later commands and the deadline scanner's marks, in time order."""
    state = CaseState(
        case_id=doc["_id"],
        status=doc["status"],
        unit=doc["unit"],
        category=doc["category"],
        priority=doc["priority"],
        assignee=doc.get("assignee"),
        excluded_assignees=frozenset(doc.get("excluded_assignees", [])),
    )
    clocks = {Clock(k): ClockState.model_validate(v) for k, v in doc["clocks"].items()}
    at: datetime = doc["opened_at"]
    age = (now - doc["received_at"]).total_seconds() / 86400
    for command in _story(rng, age) if state.assignee else ():
        at = at + timedelta(hours=rng.uniform(2, 24 * min(6, max(age / 4, 0.2))))
        if at >= now:
            break
        clocks = _scan(doc, clocks, at, rules.calendar)
        supervisor = next((m.id for m in staff.get(state.unit, ()) if m.role == "supervisor"), None)
        actor = (
            Actor(id=supervisor or "admin", role=Role.supervisor)
            if command is Command.reject
            else Actor(id=state.assignee or "system", role=Role.staff)
        )
        decision = decide(state, command, actor, _PAYLOADS[command], at, rules.lifecycle)
        entry = decision.timeline
        clocks = apply_transition(
            clocks,
            command=command,
            from_status=entry.from_status,
            to_status=entry.to_status,
            at=at,
            calendar=rules.calendar,
            public_comment=is_office_answer(entry),
        )
        if decision.case.status is CaseStatus.resolved:
            doc["resolved_at"] = at
        state = decision.case
        doc["timeline"].append(entry.model_dump(mode="python"))
        doc["version"] += 1
        doc["updated_at"] = at
    clocks = _scan(doc, clocks, now, rules.calendar)
    doc.update(state.model_dump(mode="python", exclude={"case_id", "excluded_assignees"}))
    doc["clocks"] = clocks_doc(clocks)
    doc["next_check_at"] = next_check_at(clocks, now, rules.calendar)


def _scan(
    doc: dict[str, Any], clocks: dict[Clock, ClockState], at: datetime, calendar: ThaiCalendar
) -> dict[Clock, ClockState]:
    """What the deadline scanner would have marked by `at` (see `scheduled._check`)."""
    breached = False
    for clock, clock_state in list(clocks.items()):
        crossed = due_thresholds(clock_state, at, calendar)
        if crossed:
            breached = breached or 100 in crossed
            clocks[clock] = mark_emitted(clock_state, crossed)
    if breached:
        doc["timeline"].append(
            {
                "at": at,
                "actor": "system",
                "role": "system",
                "command": "escalate",
                "from_status": doc["timeline"][-1]["to_status"],
                "to_status": doc["timeline"][-1]["to_status"],
                "visibility": "internal",
                "reason": "deadline passed; escalated to the unit's supervisor",
                "public_reason": None,
            }
        )
        doc["version"] += 1
    return clocks


async def write(db: Any, busy: BusyOffice, batch: int = 500) -> None:
    """Insert the office's documents (an `AsyncDatabase`) in batches."""
    for start in range(0, len(busy.people), batch):
        await db["personal_data"].insert_many(busy.people[start : start + batch])
    for start in range(0, len(busy.cases), batch):
        await db["cases"].insert_many(busy.cases[start : start + batch])
