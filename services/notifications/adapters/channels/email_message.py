"""The MIME message of an e-mail notice: UTF-8 subject and parts that Thai mail clients show.

The policy encodes a Thai subject and display name as RFC 2047 words and, being 7-bit,
encodes every Thai body part as base64 (the default policy would send short Thai lines
as raw 8-bit), so nothing depends on the relay supporting 8BITMIME or SMTPUTF8.
The Message-ID is derived from the notification id: every retry of one notice carries the
same id, so a mailbox that already holds it can recognise a resend after a crash.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email import policy
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from services.notifications.domain.backoff import PermanentFailure
from services.notifications.domain.templates import RenderedMessage
from shared.events import Language

NOTIFICATION_ID_HEADER = "X-Siang-Notification-Id"
SEVEN_BIT = policy.default.clone(cte_type="7bit")


def mailbox(address: str, display_name: str | None = None) -> Address:
    """A parsed mailbox; an address that is not one is a permanent failure."""
    try:
        parsed = Address(display_name=display_name or "", addr_spec=address)
    except (HeaderParseError, ValueError, IndexError) as exc:
        raise PermanentFailure(f"invalid e-mail address: {exc}") from exc
    if not parsed.username or not parsed.domain or "@" not in address:
        raise PermanentFailure("invalid e-mail address")
    return parsed


def build_email(
    rendered: RenderedMessage,
    *,
    notification_id: str,
    language: Language,
    sender: Address,
    to: Address,
    reply_to: str | None = None,
    now: datetime | None = None,
) -> EmailMessage:
    """A multipart/alternative message (text, then HTML) ready for `smtplib.send_message`."""
    msg = EmailMessage(policy=SEVEN_BIT)
    msg["Subject"] = rendered.subject
    msg["From"] = sender
    msg["To"] = to
    if reply_to:
        msg["Reply-To"] = reply_to
    msg["Date"] = format_datetime(now or datetime.now(UTC))
    msg["Message-ID"] = f"<{notification_id}@{sender.domain}>"
    # RFC 3834: tells auto-responders ("out of office") not to answer a notification.
    msg["Auto-Submitted"] = "auto-generated"
    msg[NOTIFICATION_ID_HEADER] = notification_id
    msg.set_content(rendered.text, charset="utf-8")
    msg.add_alternative(rendered.html, subtype="html", charset="utf-8")
    # After the parts: set_content() drops every Content-* header already there.
    msg["Content-Language"] = language.value
    return msg
