"""E-mail through an SMTP relay: STARTTLS or implicit TLS and AUTH as configured.

smtplib runs in worker threads (`asyncio.to_thread`), one connection per thread at a
time, with a few idle connections kept for the next message so a burst pays one
handshake; a message goes with PIPELINING when the relay offers it (`smtp_transfer`).
A pooled connection the server has meanwhile closed is replaced once.
Reply codes are classified by `backoff.classify_exception` (4xx temporary, 5xx
permanent); refused recipients carry their own code.
"""

from __future__ import annotations

import asyncio
import contextlib
import smtplib
import ssl
import threading

from services.notifications.adapters.channels.channel import Outgoing
from services.notifications.adapters.channels.email_message import build_email, mailbox
from services.notifications.adapters.channels.smtp_transfer import transfer
from services.notifications.domain.backoff import (
    DeliveryFailure,
    TemporaryFailure,
    classify_exception,
    classify_smtp,
)
from services.notifications.domain.notice import DeliveryChannel
from services.notifications.domain.templates import Renderer
from services.notifications.settings import SmtpSettings
from shared.infra import tracing


class SmtpChannel:
    channel = DeliveryChannel.email

    def __init__(self, settings: SmtpSettings, renderer: Renderer, sender_name: str) -> None:
        if settings.starttls and settings.ssl:
            raise ValueError("choose STARTTLS or implicit TLS, not both")
        self.settings = settings
        self.renderer = renderer
        self.sender = mailbox(settings.from_address, settings.from_name or sender_name)
        self._idle: list[smtplib.SMTP] = []
        self._lock = threading.Lock()

    async def send(self, outgoing: Outgoing) -> None:
        message = self._message(outgoing)
        try:
            await asyncio.to_thread(self._send_blocking, message, outgoing.address)
        except DeliveryFailure:
            raise
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            raise _failure(code, reply, outgoing.address, "recipient refused") from exc
        except smtplib.SMTPResponseException as exc:
            raise _failure(exc.smtp_code, exc.smtp_error, outgoing.address) from exc
        except Exception as exc:
            raise classify_exception(exc) from exc

    def _message(self, outgoing: Outgoing) -> bytes:
        notice = outgoing.notice
        return build_email(
            self.renderer.render_email(notice),
            notification_id=outgoing.notification_id,
            language=notice.language,
            sender=self.sender,
            to=mailbox(outgoing.address, outgoing.display_name),
            reply_to=self.settings.reply_to,
            traceparent=tracing.for_event(notice.traceparent),
        )

    def _send_blocking(self, message: bytes, to: str) -> None:
        conn, pooled = self._take()
        try:
            try:
                transfer(conn, self.sender.addr_spec, to, message)
            except smtplib.SMTPServerDisconnected:
                if not pooled:
                    raise
                # The relay dropped an idle connection; nothing was accepted on it.
                _quit(conn)
                conn = self._connect()
                transfer(conn, self.sender.addr_spec, to, message)
        except BaseException:
            _quit(conn)
            raise
        self._give_back(conn)

    def _take(self) -> tuple[smtplib.SMTP, bool]:
        with self._lock:
            if self._idle:
                return self._idle.pop(), True
        return self._connect(), False

    def _give_back(self, conn: smtplib.SMTP) -> None:
        with self._lock:
            if len(self._idle) < self.settings.pool_size:
                self._idle.append(conn)
                return
        _quit(conn)

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        timeout = s.timeout_seconds
        conn: smtplib.SMTP
        if s.ssl:
            conn = smtplib.SMTP_SSL(
                s.host, s.port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            conn = smtplib.SMTP(s.host, s.port, timeout=timeout)
        try:
            conn.ehlo()
            if s.starttls:
                conn.starttls(context=ssl.create_default_context())
                conn.ehlo()
            if s.username:
                password = s.password.get_secret_value() if s.password else ""
                conn.login(s.username, password)
        except BaseException:
            _quit(conn)
            raise
        return conn

    async def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            await asyncio.to_thread(_quit, conn)


def _failure(code: int, reply: bytes | str, address: str, what: str = "") -> DeliveryFailure:
    """The failure for an SMTP reply, without the recipient's address: the reason goes
    to logs, dead letters and `notification.failed`, which must hold no personal data.
    Relays often echo the address ("<a@b>: Recipient address rejected")."""
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    text = text.replace(address, "<recipient>")
    detail = f"{what}: {text}" if what else text
    return classify_smtp(code, detail) or TemporaryFailure(f"SMTP {code}: {detail}")


def _quit(conn: smtplib.SMTP) -> None:
    with contextlib.suppress(Exception):
        conn.quit()
    with contextlib.suppress(Exception):
        conn.close()
