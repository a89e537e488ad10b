"""Telling the people who gave an opinion that an outcome answering it was published:
only those the event names, each on the one route their contact allows, in the language
they wrote in; someone erased from the personal-data store hears nothing."""

from __future__ import annotations

from typing import Any

from services.notifications.domain.notice import (
    DeliveryChannel,
    RecipientRole,
    TemplateName,
    kafka_copy,
)
from services.notifications.domain.office import Office
from services.notifications.domain.outcome_notice import outcome_notices, people_of
from services.notifications.domain.templates import render
from shared.contract.events import (
    Channel,
    CloudEvent,
    Contact,
    Language,
    OutcomeBasis,
    OutcomePublished,
    OutcomeStatus,
    PersonToTell,
)

from .sample import event

LINE_ID = "U" + "0123456789abcdef" * 2


def published(*people: PersonToTell, **changes: Any) -> CloudEvent[Any]:
    fields: dict[str, Any] = {
        "outcome_id": "oc-1",
        "basis": OutcomeBasis.consultation,
        "consultation_id": "cn-1",
        "fiscal_year": 2570,
        "mission_item": "S2",
        "topic_th": "อาหารกลางวันในโรงเรียน",
        "topic_en": "School lunches",
        "you_said_th": "อยากให้มีผลไม้ทุกวัน",
        "you_said_en": "Fruit every day",
        "we_did_th": "เพิ่มงบผลไม้ในมื้อกลางวัน",
        "we_did_en": "Added fruit to the lunch budget",
        "status": OutcomeStatus.done,
        "people": list(people),
        "actor": "coord.anong",
    }
    return event(OutcomePublished(**{**fields, **changes}), event_id="evt-oc-1")


def test_each_named_person_is_told_on_their_route_in_their_language(office: Office) -> None:
    contacts = {
        "p-web": Contact(name="สมศรี", email="somsri@example.com", phone="+66812345678"),
        "p-line": Contact(line_user_id=LINE_ID, email="lek@example.com"),
        "p-phone": Contact(phone="+66898765432"),
    }
    told = published(
        PersonToTell(person_id="p-web", channel=Channel.web),
        PersonToTell(person_id="p-line", language=Language.en, channel=Channel.line),
        PersonToTell(person_id="p-phone", channel=Channel.phone),
        # Erased since: not in the store, not told.
        PersonToTell(person_id="p-gone"),
    )
    notices = outcome_notices(told, contacts, office)
    assert [(n.channel, n.recipient, n.language) for n in notices] == [
        (DeliveryChannel.email, "somsri@example.com", Language.th),
        (DeliveryChannel.line, LINE_ID, Language.en),
        (DeliveryChannel.sms, "+66898765432", Language.th),
    ]
    assert {n.template for n in notices} == {TemplateName.outcome_published}
    assert {n.recipient_role for n in notices} == {RecipientRole.participant}
    # Planned again (a redelivery), the same ledger keys: the ledger keeps one of each.
    again = outcome_notices(told, contacts, office)
    assert [n.ledger_key for n in again] == [n.ledger_key for n in notices]
    assert notices[1].context["we_did"] == "Added fruit to the lunch budget"


def test_the_message_says_what_was_heard_and_done_in_thai_and_english(office: Office) -> None:
    contacts = {"p1": Contact(name="สมศรี", email="somsri@example.com")}
    [th] = outcome_notices(published(PersonToTell(person_id="p1")), contacts, office)
    message = render(th)
    assert "อาหารกลางวันในโรงเรียน" in message.text
    assert "เพิ่มงบผลไม้ในมื้อกลางวัน" in message.text and "ดำเนินการแล้ว" in message.text
    assert "https://siang.example.go.th/you-said-we-did?fiscal_year=2570&lang=th" in message.text
    assert "เรียน สมศรี" in message.text
    [en] = outcome_notices(
        published(PersonToTell(person_id="p1", language=Language.en)), contacts, office
    )
    english = render(en)
    assert "School lunches" in english.text and "Status: done" in english.text
    assert english.html.startswith("<!DOCTYPE html>") and english.short


def test_a_kafka_dead_letter_never_carries_their_address(office: Office) -> None:
    contacts = {"p1": Contact(name="สมศรี", email="somsri@example.com")}
    [notice] = outcome_notices(published(PersonToTell(person_id="p1")), contacts, office)
    doc, reason = kafka_copy(notice, "550 somsri@example.com: no such user")
    assert "somsri@example.com" not in str(doc) + reason
    assert "สมศรี" not in str(doc)


def test_the_contacts_read_are_those_of_the_people_named() -> None:
    events = [
        published(PersonToTell(person_id="p1"), PersonToTell(person_id="p2")),
        event(
            OutcomePublished(
                **published().data.model_dump(exclude={"people"}),
                people=[PersonToTell(person_id="p2")],
            )
        ),
    ]
    assert people_of(events) == {"p1", "p2"}
