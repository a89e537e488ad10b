"""The body partners receive: canonical, signed as sent, free of personal data."""

from __future__ import annotations

import orjson
import pytest

from services.notifications.domain.case_facts import CaseFacts
from services.notifications.domain.notice import DeliveryChannel
from services.notifications.domain.office import WebhookSubscriber
from services.notifications.domain.signing import sign, verify
from services.notifications.domain.webhook_payload import SCHEMA, webhook_body

from .sample import EMAIL, NAME, PHONE, TRACKING, event, opened_data, plan


def _notices(office, survey_links):
    case = CaseFacts.from_opened(opened_data())
    return plan(event(opened_data()), case, office, survey_links, [WebhookSubscriber(id="p")])


def test_body_is_canonical_json_without_personal_data(office, survey_links):
    email, hook = _notices(office, survey_links)
    body = webhook_body(hook)
    doc = orjson.loads(body)
    assert doc["schema"] == SCHEMA
    assert doc["notification_id"] == hook.notification_id
    assert doc["template"] == "case_received"
    assert doc["case"]["tracking_code"] == TRACKING
    assert doc["case"]["event_type"] == "case.opened"
    assert body == orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)
    text = body.decode()
    for private in (NAME, EMAIL, PHONE, "subject"):
        assert private not in text
    with pytest.raises(ValueError):
        webhook_body(email)
    assert email.channel is DeliveryChannel.email


def test_the_signed_body_verifies(office, survey_links):
    [_, hook] = _notices(office, survey_links)
    body = webhook_body(hook)
    headers = sign(body, "partner-secret-0123456789", timestamp=1_795_672_800)
    assert verify(body, headers, "partner-secret-0123456789", now=1_795_672_801)
