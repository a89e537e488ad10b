"""Reaching the complainant: consent first, then the channel they came by."""

from __future__ import annotations

import pytest

from services.notifications.domain.contact import PREFERENCES, complainant_route, sms_number
from services.notifications.domain.notice import DeliveryChannel
from shared.contract.events import Channel, Consent, Contact

from .sample import EMAIL, LINE_USER, PHONE

C = DeliveryChannel
YES = Consent(contact_me=True)
EVERYTHING = Contact(name="สมศรี", email=EMAIL, phone=PHONE, line_user_id=LINE_USER)


def test_every_intake_channel_has_a_preference():
    assert set(PREFERENCES) == set(Channel)


@pytest.mark.parametrize(
    ("came_by", "expected"),
    [
        (Channel.line, (C.line, LINE_USER)),
        (Channel.email, (C.email, EMAIL)),
        (Channel.web, (C.email, EMAIL)),
        (Channel.phone, (C.sms, PHONE)),
        (Channel.walk_in, (C.sms, PHONE)),
        (Channel.letter, (C.email, EMAIL)),
        (Channel.facebook, (C.email, EMAIL)),
        (Channel.open311, (C.email, EMAIL)),
        (Channel.api, (C.email, EMAIL)),
    ],
)
def test_preferred_route_by_channel(came_by, expected):
    assert complainant_route(EVERYTHING, YES, came_by) == expected


def test_without_consent_nobody_is_contacted():
    assert complainant_route(EVERYTHING, Consent(contact_me=False), Channel.line) is None
    assert complainant_route(EVERYTHING, Consent(share_name_with_unit=True), Channel.web) is None


def test_anonymous_is_not_contacted():
    assert complainant_route(None, YES, Channel.web) is None
    assert complainant_route(Contact(name="ไม่ประสงค์ออกนาม"), YES, Channel.web) is None


def test_web_without_email_falls_back_to_sms():
    assert complainant_route(Contact(phone=PHONE), YES, Channel.web) == (C.sms, PHONE)


def test_line_falls_back_when_only_a_typed_line_id_is_known():
    # "@somsri" is what a person types; push needs the Messaging API user id.
    contact = Contact(line_user_id="@somsri", email=EMAIL)
    assert complainant_route(contact, YES, Channel.line) == (C.email, EMAIL)
    assert complainant_route(Contact(line_user_id="@somsri"), YES, Channel.line) is None


def test_a_landline_gets_no_sms():
    contact = Contact(phone="+6621234567", email=EMAIL)
    assert complainant_route(contact, YES, Channel.phone) == (C.email, EMAIL)
    assert complainant_route(Contact(phone="+6621234567"), YES, Channel.phone) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+66812345678", "+66812345678"),
        ("081-234-5678", "+66812345678"),
        ("0912345678", "+66912345678"),
        ("+66612345678", "+66612345678"),
        ("+6621234567", None),  # Bangkok landline
        ("02-123-4567", None),
        ("+447700900123", "+447700900123"),
        ("not a number", None),
    ],
)
def test_sms_number(raw, expected):
    assert sms_number(raw) == expected


def test_a_facebook_complainant_is_answered_on_messenger_first():
    psid = "6543210987654321"
    contact = Contact(facebook_psid=psid, email=EMAIL)
    assert complainant_route(contact, YES, Channel.facebook) == (C.facebook, psid)
    # Without a PSID (or one that is not a Page-scoped id) the e-mail given is used.
    assert complainant_route(Contact(email=EMAIL), YES, Channel.facebook) == (C.email, EMAIL)
    odd = Contact(facebook_psid="somsri.fb", email=EMAIL)
    assert complainant_route(odd, YES, Channel.facebook) == (C.email, EMAIL)
    assert complainant_route(Contact(facebook_psid=psid), Consent(), Channel.facebook) is None
