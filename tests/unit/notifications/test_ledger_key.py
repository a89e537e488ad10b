"""The delivery ledger's unique key."""

from __future__ import annotations

import uuid

import pytest

from services.notifications.domain.ledger_key import ledger_key, notification_id
from services.notifications.domain.notice import (
    DeliveryChannel,
    Notice,
    RecipientRole,
    TemplateName,
)
from shared.contract.events import Language

ARGS = ("evt-1", "complainant", "somsri.j@example.com", "email", "case_received")


def test_stable_across_calls_and_readable():
    key = ledger_key(*ARGS)
    assert key == ledger_key(*ARGS)
    event_id, channel, template, digest = key.split("|")
    assert (event_id, channel, template) == ("evt-1", "email", "case_received")
    assert len(digest) == 32 and int(digest, 16) >= 0


def test_known_values_so_a_release_never_changes_them():
    # Changing either would make every delivery already recorded look new: a resend storm.
    key = ledger_key(*ARGS)
    assert key == "evt-1|email|case_received|f59ae1403457abf92f7cde62346fcb72"
    assert notification_id(key) == "15717342-06d1-546b-977b-5cbfd23f9072"


def test_holds_no_personal_data():
    assert "somsri" not in ledger_key(*ARGS)


@pytest.mark.parametrize("position", range(5))
def test_every_part_matters(position):
    changed = list(ARGS)
    changed[position] = changed[position] + "-x"
    assert ledger_key(*changed) != ledger_key(*ARGS)


def test_empty_event_id_is_refused():
    with pytest.raises(ValueError):
        ledger_key("", *ARGS[1:])


def test_notification_id_is_a_stable_uuid():
    key = ledger_key(*ARGS)
    assert notification_id(key) == notification_id(key)
    assert uuid.UUID(notification_id(key)).version == 5
    assert notification_id(key) != notification_id(key + "x")


def test_notice_exposes_its_key():
    notice = Notice(
        source_event_id="evt-1",
        recipient_role=RecipientRole.complainant,
        recipient="somsri.j@example.com",
        channel=DeliveryChannel.email,
        template=TemplateName.case_received,
        language=Language.th,
        context={},
    )
    assert notice.ledger_key == ledger_key(*ARGS)
    assert notice.notification_id == notification_id(ledger_key(*ARGS))
