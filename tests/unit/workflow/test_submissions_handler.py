"""The submission handler with a fake MongoDB: what it stores, once, in one transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from services.workflow.domain.assignment import StaffMember, StaffRole
from services.workflow.handlers.submissions import case_id_for, open_case, open_cases
from shared.contract.events import (
    Channel,
    ComplaintType,
    Consent,
    Contact,
    Kind,
    SubmissionReceived,
    make_event,
)

from .fakes import FakeContext

RECEIVED = datetime(2025, 6, 13, 2, 55, tzinfo=UTC)
STAFF = [
    StaffMember(id="admin.head", unit="admin", role=StaffRole.supervisor, name="ประเสริฐ"),
    StaffMember(id="admin.a", unit="admin"),
    StaffMember(id="admin.b", unit="admin"),
    StaffMember(id="promotion.a", unit="promotion"),
]


def received(n: int, **overrides: Any):
    fields: dict[str, Any] = {
        "submission_id": f"sub-{n}",
        "tracking_code": f"SG-TEST-{n:04d}",
        "channel": Channel.web,
        "kind": Kind.complaint,
        "complaint_type": ComplaintType.service,
        "category": "documents",
        "subject": "ขอหนังสือรับรองล่าช้า",
        "description": "ยื่นคำขอมาสามสัปดาห์แล้วยังไม่ได้รับ",
        "person_id": f"p-{n}",
        "consent": Consent(contact_me=True),
        "received_at": RECEIVED,
    }
    fields.update(overrides)
    sub = SubmissionReceived(**fields)
    return make_event(sub, source="/siang/intake", subject=sub.submission_id)


def context(**people: Contact) -> FakeContext:
    """A fake workflow whose personal-data store holds the sender of every `received(n)`
    (as intake wrote them), or the contacts given by person id."""
    ctx = FakeContext(STAFF)
    ctx.store.people.update(
        people
        or {
            f"p-{n}": Contact(name="มาลี ใจงาม", email=f"malee{n}@example.com") for n in range(1, 30)
        }
    )
    return ctx


async def test_a_submission_opens_its_case_with_events_and_personal_data_apart() -> None:
    ctx = context()
    assert await open_case(ctx, received(1))

    case_id = case_id_for("sub-1")
    case = ctx.store.cases[case_id]
    assert (case["unit"], case["status"], case["assignee"]) == ("admin", "assigned", "admin.a")
    assert case["tracking_code"] == "SG-TEST-0001"
    assert "malee1@example.com" not in repr(case) and "มาลี" not in repr(case)
    assert case["person_id"] == "p-1"  # the contact stays in the personal-data store
    assert "malee1@example.com" not in repr(ctx.store.outbox)
    types = [e.type.split(".")[-2] for e in ctx.store.outbox]
    assert types[0] == "opened" and "triaged" in types and types[-1] == "assigned"
    assert {e.subject for e in ctx.store.outbox} == {case_id}
    assert case["event_count"] == len(ctx.store.outbox)
    assert ctx.directory.open_cases == {"admin.a": 1}
    assert ctx.directory.cursors == {"admin": "admin.a"}
    assert ctx.client.transactions == 1 and ctx.relay.woken == 1


async def test_a_redelivered_or_republished_submission_opens_nothing() -> None:
    ctx = context()
    event = received(1)
    assert await open_case(ctx, event)
    assert not await open_case(ctx, event)  # the same event again
    assert not await open_case(ctx, received(1))  # the same submission, published anew
    assert len(ctx.store.cases) == 1
    assert ctx.directory.open_cases == {"admin.a": 1}


async def test_a_batch_opens_each_case_once_and_shares_the_unit_queue() -> None:
    ctx = context()
    first = received(1)
    batch = [
        first,
        first,  # delivered twice within the batch
        received(2),
        received(3, category="school-admission"),
        received(4, complaint_type=ComplaintType.misconduct, named_person="admin.a"),
    ]
    assert await open_cases(ctx, batch) == 4

    assignees = [ctx.store.cases[case_id_for(f"sub-{n}")]["assignee"] for n in (1, 2, 3, 4)]
    assert assignees == [
        "admin.a",
        "admin.b",  # not admin.a again
        "promotion.a",
        "admin.head",  # misconduct goes to a supervisor, not to the person it names
    ]
    assert ctx.directory.open_cases == {
        "admin.a": 1,
        "admin.b": 1,
        "promotion.a": 1,
        "admin.head": 1,
    }
    assert ctx.client.transactions == 1


async def test_a_batch_costs_the_same_statements_whatever_its_size() -> None:
    one, many = context(), context()
    await open_cases(one, [received(1)])
    await open_cases(many, [received(n) for n in range(1, 30)])
    assert many.client.statements == one.client.statements


async def test_the_same_phone_in_a_later_batch_is_hinted_as_a_duplicate() -> None:
    ctx = context(**{"p-1": Contact(phone="081-234-5678"), "p-2": Contact(phone="+66812345678")})
    assert await open_cases(ctx, [received(1)]) == 1
    # Sent after the first case was opened (the hint looks only at earlier cases).
    assert await open_cases(ctx, [received(2, received_at=ctx.now + timedelta(hours=1))]) == 1
    later = ctx.store.cases[case_id_for("sub-2")]
    assert later["duplicate_hint"] == case_id_for("sub-1")
    # The contacts were read once per batch, from the personal-data store.
    assert ctx.client.statements.count("personal_data.contacts") == 2


async def test_an_opinion_on_a_consultation_opens_no_case() -> None:
    ctx = context()
    opinion = received(
        1,
        kind=Kind.feedback,
        complaint_type=None,
        category="public-consultation",
        consultation_id="cn-lunches",
        stakeholder_group="parents",
        answers={"lunch": "good"},
    )
    assert await open_cases(ctx, [opinion, received(2)]) == 1

    assert case_id_for("sub-1") not in ctx.store.cases  # counted by participation instead
    assert case_id_for("sub-2") in ctx.store.cases
    assert not await open_case(ctx, opinion)  # nor on redelivery
    assert ctx.directory.open_cases == {"admin.a": 1}
