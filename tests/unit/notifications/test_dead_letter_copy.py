"""A complainant's notice that fails for good is a dead letter in MongoDB (which erasure
scrubs) and on Kafka (which erasure cannot reach): the Kafka copy never holds their
address or name, even when the receiving server quoted the address in its refusal."""

from __future__ import annotations

from services.notifications.domain.notice import (
    DeliveryChannel,
    Notice,
    RecipientRole,
    TemplateName,
    kafka_copy,
)
from shared.contract.events import Language
from tests.unit.notifications.sample import partner_notice

ADDRESS = "somchai@example.org"


def complainant_notice() -> Notice:
    return Notice(
        source_event_id="evt-1",
        case_id="c-1",
        recipient_role=RecipientRole.complainant,
        recipient=ADDRESS,
        channel=DeliveryChannel.email,
        template=TemplateName.case_received,
        language=Language.th,
        context={"name": "สมชาย ใจดี", "tracking_code": "SG-2570-ABC123", "subject": "ถนน"},
    )


def test_the_kafka_copy_of_a_complainants_dead_letter_does_not_name_or_reach_them() -> None:
    value, error = kafka_copy(complainant_notice(), f"550 5.1.1 <{ADDRESS}>: no such user")
    text = str(value) + error
    assert ADDRESS not in text
    assert "สมชาย" not in text
    # What staff need to follow it up is still there: which case, which notice, why.
    assert value["case_id"] == "c-1"
    assert value["template"] == "case_received"
    assert value["context"] == {"tracking_code": "SG-2570-ABC123", "subject": "ถนน"}
    assert error.startswith("550 5.1.1") and "no such user" in error


def test_a_partners_dead_letter_goes_to_kafka_whole() -> None:
    notice = partner_notice("a")
    value, error = kafka_copy(notice, "503 from partner")
    assert value == notice.model_dump(mode="json")
    assert error == "503 from partner"
