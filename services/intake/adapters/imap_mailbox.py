"""The office's mailbox over IMAP (aioimaplib): log in, select the folder, list the
messages Siang has not handled, fetch one, flag it handled, and wait for new mail with
IDLE where the server offers it (RFC 2177), else by sleeping.

"Handled" is the keyword `$Siang` (and `\\Seen` for what was taken or ignored), not
`\\Seen` alone: a person reading the mailbox in a mail client marks mail seen, and that
must not hide it from Siang.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import ssl
from dataclasses import dataclass

import aioimaplib  # type: ignore[import-untyped]

HANDLED = "$Siang"
_UIDVALIDITY = re.compile(rb"\[UIDVALIDITY (\d+)\]")
_FETCH_UID = re.compile(rb"UID (\d+)")
# A lost connection, a timeout, a protocol error: all mean "reconnect later".
_FAILURES = (OSError, TimeoutError, aioimaplib.AioImapException)


class MailboxUnavailable(Exception):
    """The server did not answer, refused the login or the folder: try again later."""


@dataclass(frozen=True, slots=True)
class MailboxSettings:
    host: str
    port: int
    tls: bool
    user: str
    password: str
    folder: str
    timeout: float


class ImapMailbox:
    def __init__(self, settings: MailboxSettings) -> None:
        self._settings = settings
        self._client: aioimaplib.IMAP4 | None = None
        self.uidvalidity = 0
        self.idle = False

    @property
    def name(self) -> str:
        """Which mailbox: the account and the folder (part of each message's key)."""
        return f"{self._settings.user}/{self._settings.folder}"

    async def open(self) -> None:
        s = self._settings
        try:
            client = (
                aioimaplib.IMAP4_SSL(
                    host=s.host,
                    port=s.port,
                    timeout=s.timeout,
                    ssl_context=ssl.create_default_context(),
                )
                if s.tls
                else aioimaplib.IMAP4(host=s.host, port=s.port, timeout=s.timeout)
            )
            await client.wait_hello_from_server()
            self._client = client
            _ok(await client.login(s.user, s.password), "login")
            selected = await client.select(_quoted(s.folder))
            _ok(selected, f"select {s.folder}")
        except MailboxUnavailable:
            await self.close()
            raise
        except _FAILURES as exc:
            await self.close()
            raise MailboxUnavailable(repr(exc)) from exc
        self.uidvalidity = next(
            (int(m.group(1)) for line in selected.lines if (m := _UIDVALIDITY.search(line))), 0
        )
        self.idle = client.has_capability("IDLE")

    async def unhandled(self, limit: int) -> list[int]:
        """The UIDs of messages not yet handled, oldest first, at most `limit`."""
        response = await self._call("uid_search", f"UNKEYWORD {HANDLED}")
        uids = sorted(int(u) for line in response.lines[:-1] for u in line.split() if u.isdigit())
        return uids[:limit]

    async def fetch(self, uid: int) -> bytes | None:
        """The raw message, or None if it is gone (deleted meanwhile)."""
        response = await self._call("uid", "fetch", str(uid), "(BODY.PEEK[])")
        lines = response.lines
        for i, line in enumerate(lines[:-1]):
            # The untagged FETCH line names the UID; the literal after it is the message.
            if _FETCH_UID.search(bytes(line)) and isinstance(lines[i + 1], bytearray):
                return bytes(lines[i + 1])
        return None

    async def mark(self, uid: int, flags: tuple[str, ...]) -> None:
        """Add `flags` and the handled keyword to one message."""
        await self._call("uid", "store", str(uid), "+FLAGS", f"({' '.join((HANDLED, *flags))})")

    async def wait(self, seconds: float) -> None:
        """Until the server says something changed (IDLE) or `seconds` pass."""
        client = self._require()
        if not self.idle:
            await asyncio.sleep(seconds)
            return
        try:
            idle = await client.idle_start(timeout=seconds)
            try:
                await client.wait_server_push(timeout=seconds)
            except TimeoutError:
                pass
            finally:
                if client.has_pending_idle():
                    client.idle_done()
                await asyncio.wait_for(idle, self._settings.timeout)
        except _FAILURES as exc:
            raise MailboxUnavailable(repr(exc)) from exc

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        with contextlib.suppress(Exception):  # a dead connection needs no goodbye
            await asyncio.wait_for(client.logout(), 5)

    def _require(self) -> aioimaplib.IMAP4:
        if self._client is None:
            raise MailboxUnavailable("not connected")
        return self._client

    async def _call(self, command: str, *args: str) -> aioimaplib.Response:
        client = self._require()
        try:
            response = await getattr(client, command)(*args)
        except _FAILURES as exc:
            raise MailboxUnavailable(repr(exc)) from exc
        _ok(response, command)
        return response


def _ok(response: aioimaplib.Response, what: str) -> None:
    if response.result != "OK":
        detail = b" ".join(bytes(x) for x in response.lines[-1:]).decode(errors="replace")
        raise MailboxUnavailable(f"{what}: {response.result} {detail[:200]}")


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
