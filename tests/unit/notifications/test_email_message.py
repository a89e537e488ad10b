"""The MIME message of an e-mail notice: Thai survives the round trip through bytes."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage

import pytest

from services.notifications.adapters.channels.email_message import build_email, mailbox
from services.notifications.domain.backoff import PermanentFailure
from services.notifications.domain.templates import RenderedMessage
from shared.contract.events import Language

RENDERED = RenderedMessage(
    subject="[สพป.เชียงใหม่ เขต 1] ได้รับเรื่องร้องเรียนของท่านแล้ว รหัสติดตามเรื่อง SG-7K2P-9QXM",
    text="เรียน นางสาวสมศรี ใจดี\n\nรหัสติดตามเรื่อง: SG-7K2P-9QXM",
    html="<p>เรียน นางสาวสมศรี ใจดี</p>",
    short="ได้รับเรื่องแล้ว SG-7K2P-9QXM",
)


def _wire() -> bytes:
    return build_email(
        RENDERED,
        notification_id="0b6c0e4e-0000-4c1f-9d0e-3f1f5b1a2c7d",
        language=Language.th,
        sender=mailbox("saraban@example.go.th", "สำนักงานเขตพื้นที่การศึกษา"),
        to=mailbox("somsri.j@example.com", "สมศรี ใจดี"),
        reply_to="saraban@example.go.th",
        now=datetime(2026, 11, 26, 3, 15, tzinfo=UTC),
    )


def _roundtrip() -> EmailMessage:
    raw = _wire()
    raw.decode("ascii")  # 7-bit clean: no relay needs 8BITMIME or SMTPUTF8
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_thai_subject_names_and_parts_decode() -> None:
    msg = _roundtrip()
    assert msg["Subject"] == RENDERED.subject
    # Decoded as RFC 2047 says (whitespace between encoded words is not text); the
    # stdlib's address parser alone keeps a space where the header was folded.
    sender = str(make_header(decode_header(_raw_from(_wire()))))
    assert sender == "สำนักงานเขตพื้นที่การศึกษา <saraban@example.go.th>"
    assert msg["To"].addresses[0].addr_spec == "somsri.j@example.com"
    assert msg.get_content_type() == "multipart/alternative"
    text, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert text is not None and html is not None
    assert text.get_content() == RENDERED.text + "\n"  # type: ignore[attr-defined]
    assert html.get_content_charset() == "utf-8"
    assert "สมศรี" in html.get_content()  # type: ignore[attr-defined]


def _raw_from(wire: bytes) -> str:
    raw = wire.decode("ascii")
    folded = raw.split("\r\nFrom: ", 1)[1].split("\r\nTo: ", 1)[0]
    return folded.replace("\r\n", "")


def test_lines_end_in_crlf_and_stay_short() -> None:
    lines = _wire().split(b"\r\n")
    assert not any(b"\n" in line for line in lines)
    assert max(len(line) for line in lines) <= 78


def test_headers_for_a_notification() -> None:
    msg = _roundtrip()
    assert msg["Message-ID"] == "<0b6c0e4e-0000-4c1f-9d0e-3f1f5b1a2c7d@example.go.th>"
    assert msg["X-Siang-Notification-Id"] == "0b6c0e4e-0000-4c1f-9d0e-3f1f5b1a2c7d"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["Content-Language"] == "th"
    assert msg["Reply-To"] == "saraban@example.go.th"
    assert msg["Date"] == "Thu, 26 Nov 2026 03:15:00 +0000"


def _english(subject: str, name: str) -> EmailMessage:
    raw = build_email(
        RenderedMessage(subject=subject, text="Dear Lek", html="<p>Dear Lek</p>", short="x"),
        notification_id="1d9a55a2-0000-4c1f-9d0e-3f1f5b1a2c7d",
        language=Language.en,
        sender=mailbox("saraban@example.go.th", "Saraban"),
        to=mailbox("lek@example.com", name),
    )
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_an_english_subject_stays_plain_and_a_long_one_folds_and_reads_back() -> None:
    short = "Your complaint SG-7K2P-9QXM was received"
    assert short in _english(short, "Lek").as_string()
    long = "Your complaint about the school lunch in Mae Rim was received " * 3
    assert _english(long, "Lek")["Subject"] == long


@pytest.mark.parametrize("address", ["", "not an address", "no-domain@", "@example.com"])
def test_an_invalid_address_is_a_permanent_failure(address: str) -> None:
    with pytest.raises(PermanentFailure):
        mailbox(address)
