"""One message over an open SMTP connection, with PIPELINING when the relay offers it.

smtplib's `sendmail` waits for each reply before the next command: MAIL, RCPT, DATA and
the message are four round trips. A relay that offers PIPELINING (RFC 2920; Postfix,
Exim and Exchange do) takes MAIL, RCPT and DATA in one write and answers them in order,
so a message costs two round trips: half the waiting on a relay across a network, and
half the system calls and thread wake-ups on both sides on one machine.
"""

from __future__ import annotations

import contextlib
import re
import smtplib

# RFC 5321 4.5.2: a line of the message starting with "." goes with one more in front.
_DOT_LINE = re.compile(rb"(?m)^\.")


def transfer(conn: smtplib.SMTP, sender: str, to: str, message: bytes) -> None:
    """Send `message` (CRLF lines) from `sender` to `to` on `conn`, after its EHLO.

    Raises what `conn.sendmail` raises for the same replies: `SMTPSenderRefused`,
    `SMTPRecipientsRefused` (carrying the recipient's code and reply) and `SMTPDataError`;
    `SMTPServerDisconnected` when the relay has closed the connection.
    """
    if not conn.has_extn("pipelining"):
        conn.sendmail(sender, [to], message)
        return
    size = f" SIZE={len(message)}" if conn.has_extn("size") else ""
    conn.send(
        f"MAIL FROM:{smtplib.quoteaddr(sender)}{size}\r\n"
        f"RCPT TO:{smtplib.quoteaddr(to)}\r\n"
        "DATA\r\n"
    )
    mail, rcpt, data = conn.getreply(), conn.getreply(), conn.getreply()
    refused = mail[0] != 250 or rcpt[0] not in (250, 251)
    if refused and data[0] == 354:
        # The relay opened the message although its envelope failed: end it empty, so
        # the connection is out of the message before it is closed.
        conn.send(b".\r\n")
        conn.getreply()
    if mail[0] != 250:
        _end(conn, mail[0], rcpt[0], data[0])
        raise smtplib.SMTPSenderRefused(mail[0], mail[1], sender)
    if refused:
        _end(conn, rcpt[0], data[0])
        raise smtplib.SMTPRecipientsRefused({to: rcpt})
    if data[0] != 354:
        _end(conn, data[0])
        raise smtplib.SMTPDataError(*data)
    body = _DOT_LINE.sub(b"..", message)
    conn.send(body + (b".\r\n" if body.endswith(b"\r\n") else b"\r\n.\r\n"))
    code, reply = conn.getreply()
    if code != 250:
        _end(conn, code)
        raise smtplib.SMTPDataError(code, reply)


def _end(conn: smtplib.SMTP, *codes: int) -> None:
    """After a refusal, as `sendmail` does: a relay that answered 421 is closing, so the
    connection is closed; otherwise the transaction is reset for the next message."""
    if 421 in codes:
        conn.close()
        return
    with contextlib.suppress(smtplib.SMTPException, OSError):
        conn.rset()
