"""E-mail goes to a relay offering PIPELINING with MAIL, RCPT and DATA in one write, and to
one that does not command by command; the message arrives intact either way, and a
refusal keeps its meaning and leaves the connection ready for the next message."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator

import pytest

from services.notifications.adapters.channels.smtp_transfer import transfer
from tests.integration.notifications.receivers import Mailbox

SENDER = "siang@office.example.go.th"
# Lines starting with a dot go on the wire with one more in front and arrive as sent.
MESSAGE = (
    b"From: <siang@office.example.go.th>\r\nTo: <somsri@example.com>\r\nSubject: x\r\n\r\n"
    b"first line\r\n.a line starting with a dot\r\n..two dots\r\n.\r\nlast line\r\n"
)


def running(mailbox: Mailbox) -> Iterator[Mailbox]:
    mailbox.controller.start()
    try:
        yield mailbox
    finally:
        mailbox.controller.stop()


@pytest.fixture
def relay() -> Iterator[Mailbox]:
    yield from running(Mailbox())


@pytest.fixture
def plain_relay() -> Iterator[Mailbox]:
    yield from running(Mailbox(pipelining=False))


def connect(mailbox: Mailbox) -> smtplib.SMTP:
    conn = smtplib.SMTP("127.0.0.1", mailbox.port, timeout=10)
    conn.ehlo()
    return conn


def test_a_pipelining_relay_gets_the_envelope_in_one_write_and_the_message_intact(
    relay: Mailbox,
) -> None:
    with connect(relay) as conn:
        transfer(conn, SENDER, "somsri@example.com", MESSAGE)
        transfer(conn, SENDER, "somchai@example.com", MESSAGE)  # the same connection
    assert relay.pipelined == [True, True]
    assert [(m.mail_from, m.to, m.raw) for m in relay.mails] == [
        (SENDER, "somsri@example.com", MESSAGE),
        (SENDER, "somchai@example.com", MESSAGE),
    ]


def test_a_relay_without_pipelining_gets_the_same_message_command_by_command(
    plain_relay: Mailbox,
) -> None:
    with connect(plain_relay) as conn:
        transfer(conn, SENDER, "somsri@example.com", MESSAGE)
    assert plain_relay.pipelined == [False]
    assert [m.raw for m in plain_relay.mails] == [MESSAGE]


def test_a_refused_recipient_keeps_its_reply_and_the_next_message_goes(relay: Mailbox) -> None:
    relay.replies["gone@example.com"] = "550 5.1.1 No such user here"
    relay.replies["full@example.com"] = "452 4.2.2 Mailbox full"
    with connect(relay) as conn:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as gone:
            transfer(conn, SENDER, "gone@example.com", MESSAGE)
        with pytest.raises(smtplib.SMTPRecipientsRefused) as full:
            transfer(conn, SENDER, "full@example.com", MESSAGE)
        transfer(conn, SENDER, "somsri@example.com", MESSAGE)
    assert gone.value.recipients == {"gone@example.com": (550, b"5.1.1 No such user here")}
    assert full.value.recipients == {"full@example.com": (452, b"4.2.2 Mailbox full")}
    assert [m.to for m in relay.mails] == ["somsri@example.com"]


def test_a_refused_message_is_a_data_error_and_the_next_message_goes(relay: Mailbox) -> None:
    relay.data_reply = "554 5.6.0 Message content refused"
    with connect(relay) as conn:
        with pytest.raises(smtplib.SMTPDataError) as refused:
            transfer(conn, SENDER, "somsri@example.com", MESSAGE)
        relay.data_reply = None
        transfer(conn, SENDER, "somchai@example.com", MESSAGE)
    assert (refused.value.smtp_code, refused.value.smtp_error) == (
        554,
        b"5.6.0 Message content refused",
    )
    assert [m.to for m in relay.mails] == ["somchai@example.com"]
