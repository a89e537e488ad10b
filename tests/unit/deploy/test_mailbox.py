"""The mail catcher's mailbox: naming, decoding (Thai above all) and listing."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from deploy.local import mailbox

AT = datetime(2026, 11, 27, 4, 2, 40, 904483, tzinfo=UTC)
THAI_SUBJECT = "[สพป.เชียงใหม่ เขต 1] ความคืบหน้าเรื่อง รหัส SG-65J2-D8J9-UUKG: รอข้อมูลเพิ่มเติม"


def _thai_mail() -> bytes:
    msg = EmailMessage()
    msg["Subject"] = THAI_SUBJECT
    msg["From"] = "สพป. <saraban@example.go.th>"
    msg["To"] = "สมชาย ใจดี <somchai@example.com>"
    msg["Date"] = "Fri, 27 Nov 2026 11:02:40 +0700"
    msg.set_content("เรียน คุณสมชาย\nสำนักงานได้รับเรื่องแล้ว")
    msg.add_alternative("<p>เรียน <b>คุณสมชาย</b></p>", subtype="html")
    return msg.as_bytes()


def _read(raw: bytes) -> mailbox.StoredMessage:
    return mailbox.read_message(raw, mailbox.file_name(AT, "0123456789ab"))


def test_file_names_sort_by_arrival_and_give_back_time_and_id() -> None:
    name = mailbox.file_name(AT, "0123456789ab")
    assert name == "20261127T040240904483Z-0123456789ab.eml"
    assert mailbox.parse_name(name) == (AT, "0123456789ab")
    later = mailbox.file_name(AT.replace(second=41, microsecond=0))
    assert sorted([later, name]) == [name, later]


@pytest.mark.parametrize("name", ["x.eml", "20261127T040240904483Z-XYZ.eml", "a.part"])
def test_other_files_are_not_messages(name: str) -> None:
    assert mailbox.parse_name(name) is None


def test_a_thai_multipart_message_is_decoded() -> None:
    message = _read(_thai_mail())
    assert message.subject == THAI_SUBJECT
    assert message.recipients == ["somchai@example.com"]
    assert message.sender == "สพป. <saraban@example.go.th>"
    assert message.text == "เรียน คุณสมชาย\nสำนักงานได้รับเรื่องแล้ว\n"
    assert message.html == "<p>เรียน <b>คุณสมชาย</b></p>\n"
    assert message.date == datetime(2026, 11, 27, 4, 2, 40, tzinfo=UTC)
    assert message.id == "0123456789ab"


def test_a_display_name_folded_mid_word_is_joined_without_spaces() -> None:
    # Exactly as the notifications service folds the office's Thai name: the modern
    # e-mail policy would put a space between these encoded-words.
    raw = (
        b"From: =?utf-8?b?4Liq4Liz4LiZ4Lix4LiB4LiH4Liy4LiZ4LmA4LiC4LiV4Lie4Li34LmJ4LiZ?=\r\n"
        b" =?utf-8?b?4LiX4Li14LmI4LiB4Liy4Lij4Lio4Li24LiB4Lip4Liy4Lib4Lij4Liw4LiW4Lih?=\r\n"
        b" =?utf-8?b?4Lio4Li24LiB4Lip4Liy4LmA4LiK4Li14Lii4LiH4LmD4Lir4Lih4LmIIOC5gA==?=\r\n"
        b" =?utf-8?b?4LiC4LiV?= 1 <saraban@example.go.th>\r\n"
        b"To: a@example.com\r\nSubject: x\r\n\r\nbody\r\n"
    )
    sender = _read(raw).sender
    assert sender == "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต 1 <saraban@example.go.th>"


def test_raw_utf8_headers_are_read_as_utf8() -> None:
    # SMTPUTF8 senders may put UTF-8 straight into headers.
    raw = "Subject: เรื่องทดสอบ\r\nTo: ผู้รับ <r@example.com>\r\n\r\nสวัสดี\r\n".encode()
    message = _read(raw)
    assert message.subject == "เรื่องทดสอบ"
    assert message.recipients == ["r@example.com"]
    assert message.text == "สวัสดี\n"


def test_the_envelope_names_every_recipient_even_bcc() -> None:
    raw = mailbox.with_envelope(
        _thai_mail(), "saraban@example.go.th", ["somchai@example.com", "bcc@example.com"]
    )
    message = _read(raw)
    assert message.recipients == ["somchai@example.com", "bcc@example.com"]
    assert message.headers["X-MailFrom"] == "saraban@example.go.th"


def test_a_plain_message_has_no_html_and_a_missing_date_is_none() -> None:
    raw = b"Subject: hi\r\nTo: a@example.com\r\n\r\nplain\r\n"
    message = _read(raw)
    assert message.html is None
    assert message.text == "plain\n"
    assert message.date is None
    assert message.as_json()["date"] is None


def test_the_listing_is_newest_first_and_skips_foreign_files(tmp_path: Path) -> None:
    first = mailbox.store(tmp_path, b"Subject: first\r\n\r\n1\r\n", AT)
    second = mailbox.store(tmp_path, b"Subject: second\r\n\r\n2\r\n", AT.replace(second=59))
    (tmp_path / "notes.txt").write_text("not mail")
    listed = mailbox.list_messages(tmp_path)
    assert [m.subject for m in listed] == ["second", "first"]
    assert [m.file for m in listed] == [second.name, first.name]
    assert [m.subject for m in mailbox.list_messages(tmp_path, limit=1)] == ["second"]
    assert mailbox.list_messages(tmp_path / "absent") == []


def test_find_accepts_only_message_ids(tmp_path: Path) -> None:
    path = mailbox.store(tmp_path, b"Subject: x\r\n\r\n", AT)
    message_id = mailbox.parse_name(path.name)[1]  # type: ignore[index]
    assert mailbox.find(tmp_path, message_id) == path
    assert mailbox.find(tmp_path, "../../etc/passwd") is None
    assert mailbox.find(tmp_path, "*") is None
