"""`python -m deploy.local.mailcatcher`: a local SMTP server that keeps every message.

It accepts any mail on 127.0.0.1 (no auth, no TLS: loopback only, for `make dev` and
tests), writes each to `<dir>/<timestamp>-<id>.eml` and serves a small web page to read
them (`/`), plus JSON for tests:

    GET /messages[?to=addr&limit=n]  newest first: subject, recipients, text, html, ...
    GET /messages/{id}               one message
    DELETE /messages                 empty the mailbox
    DELETE /purge?notification_id=..&address=..
                                     forget the messages a PDPA erasure names (below)

`/purge` is the mail archive notifications asks on an erasure
(`SIANG_NOTIFICATIONS_MAIL_ARCHIVE_PURGE_URL`, which `make dev` points here): it deletes
every message carrying one of the notification ids (the `X-Siang-Notification-Id` of the
notices sent to the person), or naming one of the addresses in From, To, Cc or the
envelope, and answers `{"removed": n}`. Neither given is a 422, never "everything".

Settings (flags override): SIANG_MAIL_SMTP_PORT (1025), SIANG_MAIL_WEB_PORT (8025),
SIANG_MAIL_HOST (127.0.0.1), SIANG_MAIL_DIR (`.local/mail`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import uvicorn
from aiosmtpd.smtp import SMTP, Envelope, Session
from fastapi import FastAPI, HTTPException, Query, Response
from fastapi.responses import HTMLResponse

from deploy.local import mail_pages, mailbox, standin
from deploy.local.servers import LOCAL_DIR

log = logging.getLogger("siang.mailcatcher")


@dataclass(frozen=True)
class CatcherSettings:
    host: str
    smtp_port: int
    web_port: int
    directory: Path


class MailboxHandler:
    """aiosmtpd handler: every message to disk, with its envelope, before saying 250."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        # original_content: the bytes as sent, before any decoding by aiosmtpd.
        raw = envelope.original_content or b""
        data = mailbox.with_envelope(raw, str(envelope.mail_from), list(envelope.rcpt_tos))
        path = mailbox.store(self.directory, data, datetime.now(UTC))
        log.info("caught %s for %s", path.name, ", ".join(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def create_app(settings: CatcherSettings) -> FastAPI:
    """The web side: pages for people, JSON for tests."""
    app = FastAPI(title="Siang mail catcher", docs_url=None, redoc_url=None)
    directory = settings.directory

    def _one(message_id: str) -> mailbox.StoredMessage:
        path = mailbox.find(directory, message_id)
        message = mailbox.load(directory, path.name) if path else None
        if message is None:
            raise HTTPException(404, f"no message {message_id}")
        return message

    @app.get("/", response_class=HTMLResponse)
    def inbox() -> str:
        return mail_pages.inbox_page(
            mailbox.list_messages(directory),
            smtp_port=settings.smtp_port,
            directory=str(directory),
        )

    @app.get("/view/{message_id}", response_class=HTMLResponse)
    def view(message_id: str) -> str:
        return mail_pages.message_page(_one(message_id))

    @app.get("/html/{message_id}")
    def html_part(message_id: str) -> Response:
        message = _one(message_id)
        # Shown in an iframe; the sandbox policy keeps its scripts and forms inert even
        # when someone opens this URL directly.
        return Response(
            message.html or "",
            media_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": "sandbox"},
        )

    @app.get("/raw/{message_id}")
    def raw(message_id: str) -> Response:
        path = mailbox.find(directory, message_id)
        if path is None:
            raise HTTPException(404, f"no message {message_id}")
        # text/plain so the browser shows the source instead of downloading it.
        return Response(path.read_bytes(), media_type="text/plain; charset=utf-8")

    @app.get("/messages")
    def messages(to: str | None = None, limit: int = 500) -> dict[str, Any]:
        found = mailbox.list_messages(directory, limit=None if to else limit)
        if to:
            wanted = to.casefold()
            found = [m for m in found if wanted in (r.casefold() for r in m.recipients)]
        return {"messages": [m.as_json() for m in found[:limit]]}

    @app.get("/messages/{message_id}")
    def message(message_id: str) -> dict[str, Any]:
        return _one(message_id).as_json()

    @app.delete("/messages")
    def clear() -> dict[str, int]:
        removed = 0
        for path in directory.glob("*.eml"):
            path.unlink(missing_ok=True)
            removed += 1
        return {"removed": removed}

    @app.delete("/purge")
    def purge(
        notification_id: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI copies it
        address: Annotated[list[str], Query()] = [],  # noqa: B006
    ) -> dict[str, int]:
        if not any(i.strip() for i in notification_id + address):
            # A purge naming nothing must never be read as "everything".
            raise HTTPException(422, "name a notification_id or an address")
        removed = mailbox.purge(directory, notification_ids=notification_id, addresses=address)
        # How many, never whose: the addresses are what is being forgotten.
        log.info("purged %d message(s) on request", removed)
        return {"removed": removed}

    standin.add_health(app)

    return app


class _Server(uvicorn.Server):
    # uvicorn re-raises a captured SIGINT after serving, which would end this process
    # with a traceback; we handle the signals ourselves and stop both servers in order.
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def start_smtp(settings: CatcherSettings) -> asyncio.Server:
    """The SMTP side, serving on the running loop until closed."""
    handler = MailboxHandler(settings.directory)
    return await asyncio.get_running_loop().create_server(
        lambda: SMTP(handler, hostname="siang-mailcatcher", enable_SMTPUTF8=True),
        host=settings.host,
        port=settings.smtp_port,
    )


async def serve(settings: CatcherSettings) -> None:
    """Run the SMTP and web servers until SIGINT or SIGTERM."""
    loop = asyncio.get_running_loop()
    smtp = await start_smtp(settings)
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.web_port,
        access_log=False,
        log_config=None,
        lifespan="off",
    )
    web = _Server(config)
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda: setattr(web, "should_exit", True))
    log.info(
        "SMTP on %s:%d, web on http://%s:%d, mail in %s",
        settings.host,
        settings.smtp_port,
        settings.host,
        settings.web_port,
        settings.directory,
    )
    try:
        await web.serve()
    finally:
        smtp.close()
        await smtp.wait_closed()
    if not web.started:
        raise OSError(f"could not serve the web page on port {settings.web_port}")
    log.info("stopped")


def settings_from(argv: list[str] | None = None) -> CatcherSettings:
    env = os.environ
    parser = argparse.ArgumentParser(prog="python -m deploy.local.mailcatcher")
    parser.add_argument("--host", default=env.get("SIANG_MAIL_HOST", "127.0.0.1"))
    parser.add_argument(
        "--smtp-port", type=int, default=int(env.get("SIANG_MAIL_SMTP_PORT", "1025"))
    )
    parser.add_argument("--web-port", type=int, default=int(env.get("SIANG_MAIL_WEB_PORT", "8025")))
    parser.add_argument(
        "--dir", type=Path, default=Path(env.get("SIANG_MAIL_DIR", LOCAL_DIR / "mail"))
    )
    args = parser.parse_args(argv)
    return CatcherSettings(args.host, args.smtp_port, args.web_port, args.dir.resolve())


def main(argv: list[str] | None = None) -> int:
    settings = settings_from(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # aiosmtpd logs every SMTP command at INFO; one line per caught message is enough.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    try:
        asyncio.run(serve(settings))
    except OSError as exc:
        # Most often a port held by something else: say which variable moves it.
        log.error("%s (ports: SIANG_MAIL_SMTP_PORT, SIANG_MAIL_WEB_PORT)", exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
