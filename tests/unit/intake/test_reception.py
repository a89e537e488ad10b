"""The receiving handler with fake MongoDB and Kafka: durable paths, replays, refusals."""

from __future__ import annotations

import pytest

from services.intake.domain.idempotency import IdempotencyKeyReused
from services.intake.domain.submission import parse_submission
from services.intake.domain.tracking import normalise_tracking_code
from services.intake.errors import Unavailable
from services.intake.handlers.backlog import Backlog
from services.intake.handlers.receive import Receive, Reception
from shared.contract.catalogue import load_catalogue
from shared.contract.events import Channel
from shared.contract.tracking_pin import pin_matches
from shared.infra.personal_data import person_id_for

from .fakes import FakePublisher, FakeStore

CATALOGUE = load_catalogue()
PEPPER = b"pepper"


PHONE = {"phone": "0812345678"}


def body(subject: str = "เอกสารล่าช้า", contact: dict[str, str] | None = PHONE):
    raw: dict[str, object] = {
        "kind": "complaint",
        "complaint_type": "service",
        "category": "documents",
        "subject": subject,
        "description": "ยังไม่ได้รับ",
    }
    if contact is not None:
        raw["contact"] = contact
    return parse_submission(raw, CATALOGUE)


ANONYMOUS = None  # no contact details: the only kind that may go straight to Kafka


@pytest.fixture
def parts():
    store, publisher = FakeStore(), FakePublisher()
    backlog = Backlog(store, limit=2)
    woken: list[int] = []
    reception = Reception(
        store,
        publisher,
        backlog,
        pepper=PEPPER,
        tracking_url=lambda code: f"https://siang.example/track/{code}",
        commit_timeout=1.0,
        publish_timeout=1.0,
        retry_after=7,
        on_committed=lambda: woken.append(1),
    )
    return reception, store, publisher, backlog, woken


async def test_accepted_through_the_outbox(parts) -> None:
    reception, store, publisher, _, woken = parts
    receipt = await reception.receive(Receive(body(), Channel.line, correlation_id="c-12345678"))
    assert receipt.durable_via == "mongodb" and not receipt.replayed
    assert normalise_tracking_code(receipt.tracking_code) == receipt.tracking_code
    assert receipt.tracking_url.endswith(receipt.tracking_code)
    [event] = store.outbox
    assert event.subject == receipt.submission_id == event.data.submission_id
    assert event.type == "th.go.siang.submission.received.v1"
    assert event.correlationid == "c-12345678"
    assert event.data.channel == Channel.line
    record = store.records[receipt.submission_id]
    assert receipt.tracking_pin not in record.pin_hash
    assert pin_matches(
        receipt.tracking_pin,
        tracking_code=receipt.tracking_code,
        pepper=PEPPER,
        stored_hash=record.pin_hash,
    )
    assert event.data.tracking_pin_hash == record.pin_hash
    assert publisher.published == []  # the relay publishes, woken right away
    assert woken == [1]


async def test_retry_with_the_same_key_replays_the_first_answer(parts) -> None:
    reception, store, _, _, _ = parts
    first = await reception.receive(Receive(body(), Channel.line, idempotency_key="k-1"))
    again = await reception.receive(Receive(body(), Channel.line, idempotency_key="k-1"))
    assert again.replayed
    assert again.body() == first.body()  # the PIN too
    assert store.commits == 1 and len(store.outbox) == 1


async def test_same_key_on_another_channel_is_another_submission(parts) -> None:
    reception, store, _, _, _ = parts
    await reception.receive(Receive(body(), Channel.line, idempotency_key="k-1"))
    other = await reception.receive(Receive(body(), Channel.email, idempotency_key="k-1"))
    assert not other.replayed and store.commits == 2


async def test_same_key_with_another_body_is_refused(parts) -> None:
    reception, store, _, _, _ = parts
    await reception.receive(Receive(body(), Channel.line, idempotency_key="k-1"))
    with pytest.raises(IdempotencyKeyReused):
        await reception.receive(Receive(body("อื่น"), Channel.line, idempotency_key="k-1"))
    assert store.commits == 1


async def test_a_concurrent_twin_gets_the_winners_answer(parts) -> None:
    reception, store, _, _, _ = parts
    first = await reception.receive(Receive(body(), Channel.line, idempotency_key="k-1"))
    real_get = store.stored_answer
    calls = 0

    async def blind_first(record_id):  # the twin read before the winner committed
        nonlocal calls
        calls += 1
        return None if calls == 1 else await real_get(record_id)

    store.stored_answer = blind_first
    twin = await reception.receive(Receive(body(), Channel.line, idempotency_key="k-1"))
    assert twin.replayed and twin.body() == first.body()
    assert store.commits == 1


async def test_mongodb_down_goes_straight_to_kafka(parts) -> None:
    reception, store, publisher, backlog, woken = parts
    store.down = True
    anonymous = body(contact=ANONYMOUS)
    receipt = await reception.receive(Receive(anonymous, Channel.line, idempotency_key="k-1"))
    assert receipt.durable_via == "kafka"
    assert [e.subject for e in publisher.published] == [receipt.submission_id]
    assert len(backlog) == 1 and woken == []
    # A retry while MongoDB is still down is recognised from the backlog.
    again = await reception.receive(Receive(anonymous, Channel.line, idempotency_key="k-1"))
    assert again.replayed and again.body() == receipt.body()
    assert len(publisher.published) == 1
    store.down = False
    assert await backlog.flush() == 1
    assert receipt.submission_id in store.records and len(backlog) == 0


async def test_neither_answers_is_503_and_nothing_stored(parts) -> None:
    reception, store, publisher, backlog, _ = parts
    store.down = publisher.down = True
    with pytest.raises(Unavailable) as info:
        await reception.receive(Receive(body(contact=ANONYMOUS), Channel.line))
    assert info.value.retry_after == 7
    assert not store.records and not publisher.published and len(backlog) == 0


async def test_full_backlog_refuses_before_publishing(parts) -> None:
    reception, store, publisher, _, _ = parts
    store.down = True
    for _ in range(2):
        await reception.receive(Receive(body(contact=ANONYMOUS), Channel.line))
    with pytest.raises(Unavailable):
        await reception.receive(Receive(body(contact=ANONYMOUS), Channel.line))
    assert len(publisher.published) == 2


async def test_staff_keyed_submission_records_who(parts) -> None:
    reception, store, _, _, _ = parts
    receipt = await reception.receive(Receive(body(), Channel.phone, keyed_by="somsri"))
    assert store.outbox[0].data.keyed_by == "somsri"
    assert store.records[receipt.submission_id].keyed_by == "somsri"


async def test_contact_details_go_to_the_personal_data_store_and_the_event_names_a_reference(
    parts,
) -> None:
    reception, store, _, _, _ = parts
    given = {"name": "สมชาย ใจดี", "phone": "081-234-5678", "email": "somchai@example.org"}
    receipt = await reception.receive(Receive(body(contact=given), Channel.web))
    [event] = store.outbox
    person_id = person_id_for(receipt.submission_id)
    assert event.data.person_id == person_id
    assert store.people[person_id].email == "somchai@example.org"
    wire = event.to_json().decode()
    for secret in ("สมชาย ใจดี", "0812345678", "812345678", "somchai@example.org"):
        assert secret not in wire
    assert "contact" not in repr(store.records[receipt.submission_id])


async def test_an_anonymous_submission_names_nobody(parts) -> None:
    reception, store, _, _, _ = parts
    await reception.receive(Receive(body(contact=ANONYMOUS), Channel.web))
    assert store.outbox[0].data.person_id is None and store.people == {}


async def test_with_contact_details_and_mongodb_down_it_is_refused_not_sent_to_kafka(
    parts,
) -> None:
    reception, store, publisher, backlog, _ = parts
    store.down = True
    with pytest.raises(Unavailable) as info:
        await reception.receive(Receive(body(contact=PHONE), Channel.line, idempotency_key="k"))
    assert info.value.retry_after == 7
    assert publisher.published == [] and len(backlog) == 0 and not store.people
