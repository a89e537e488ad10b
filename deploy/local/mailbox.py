"""The local mail catcher's mailbox: one `.eml` file per message, read back for people.

Files are named `<UTC timestamp>-<id>.eml` so that sorting names sorts by arrival, and
the id alone finds a message. `read_message` decodes what a person wants to see
(RFC 2047 subjects such as Thai `=?utf-8?b?...?=`, quoted-printable or base64 bodies)
with the standard library's modern e-mail policy; nothing here talks to the network.
"""

from __future__ import annotations

import email
import email.policy
import re
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email.header import decode_header
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import Any

# The envelope, which may differ from the headers (Bcc, lists): kept as headers in front
# of the message, the way aiosmtpd's own Mailbox handler does.
ENVELOPE_FROM = "X-MailFrom"
ENVELOPE_TO = "X-RcptTo"

# The header notifications puts on every e-mail notice (its notification id): what an
# erasure names the notices by (`purge`). Spelled out, not imported: the catcher stands
# in for an outside archive, which knows the header from the docs (a test ties the two).
NOTIFICATION_ID = "X-Siang-Notification-Id"
# The headers that name who a message is from or to, the envelope's included.
_PARTIES = ("from", "to", "cc", "reply-to", ENVELOPE_FROM.lower(), ENVELOPE_TO.lower())

_NAME = re.compile(r"^(?P<stamp>\d{8}T\d{12}Z)-(?P<id>[0-9a-f]{12})\.eml$")
_STAMP = "%Y%m%dT%H%M%S%fZ"


@dataclass(frozen=True)
class StoredMessage:
    """One caught message as the web page and `/messages` show it."""

    id: str
    file: str
    received_at: datetime
    subject: str
    sender: str
    recipients: list[str]
    date: datetime | None
    text: str | None
    html: str | None
    attachments: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        doc = asdict(self)
        doc["received_at"] = self.received_at.isoformat()
        doc["date"] = self.date.isoformat() if self.date else None
        return doc


def file_name(received_at: datetime, message_id: str | None = None) -> str:
    """`<timestamp>-<id>.eml` for a message received at `received_at` (made UTC)."""
    message_id = message_id or uuid.uuid4().hex[:12]
    return f"{received_at.astimezone(UTC).strftime(_STAMP)}-{message_id}.eml"


def with_envelope(raw: bytes, mail_from: str, rcpt_tos: list[str]) -> bytes:
    """The message with the SMTP envelope prepended as headers."""
    head = f"{ENVELOPE_FROM}: {mail_from}\r\n{ENVELOPE_TO}: {', '.join(rcpt_tos)}\r\n"
    return head.encode("ascii", "replace") + raw


def store(directory: Path, raw: bytes, received_at: datetime) -> Path:
    """Write one message atomically (a reader never sees half a file); returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / file_name(received_at)
    partial = path.with_suffix(".part")
    partial.write_bytes(raw)
    partial.replace(path)
    return path


def parse_name(name: str) -> tuple[datetime, str] | None:
    """The arrival time and id in a mailbox file name, or None for any other file."""
    match = _NAME.match(name)
    if match is None:
        return None
    stamp = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
    return stamp, match["id"]


def read_message(raw: bytes, name: str) -> StoredMessage:
    """Decode a stored message for reading. `name` must be a mailbox file name."""
    parsed = parse_name(name)
    if parsed is None:
        raise ValueError(f"not a mailbox file name: {name}")
    received_at, message_id = parsed
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)  # guaranteed by policy.default
    envelope_to = str(msg.get(ENVELOPE_TO, "") or "")
    if envelope_to:
        recipients = [a.strip() for a in envelope_to.split(",") if a.strip()]
    else:
        recipients = _addresses(msg, "to", "cc")
    return StoredMessage(
        id=message_id,
        file=name,
        received_at=received_at,
        subject=_header(msg, "subject"),
        sender=_header(msg, "from") or _header(msg, ENVELOPE_FROM.lower()),
        recipients=recipients,
        date=_date(msg),
        text=_body(msg, "plain"),
        html=_body(msg, "html"),
        attachments=[
            part.get_filename() or part.get_content_type() for part in msg.iter_attachments()
        ],
        headers={k: decode(v) for k, v in _raw_headers(msg)},
    )


def list_messages(directory: Path, limit: int | None = None) -> list[StoredMessage]:
    """The mailbox's messages, newest first; unreadable or foreign files are skipped."""
    if not directory.is_dir():
        return []
    names = sorted((p.name for p in directory.iterdir() if parse_name(p.name)), reverse=True)
    found: list[StoredMessage] = []
    for name in names[:limit]:
        message = load(directory, name)
        if message is not None:
            found.append(message)
    return found


def find(directory: Path, message_id: str) -> Path | None:
    """The file of the message with this id, if any."""
    if not re.fullmatch(r"[0-9a-f]{12}", message_id) or not directory.is_dir():
        return None
    return next(iter(sorted(directory.glob(f"*-{message_id}.eml"))), None)


def purge(
    directory: Path, *, notification_ids: Iterable[str] = (), addresses: Iterable[str] = ()
) -> int:
    """Delete every stored message carrying one of `notification_ids`, or naming one of
    `addresses` as its sender or a recipient (From, To, Cc, Reply-To or the envelope;
    addresses compared case-insensitively); returns how many were deleted.

    This is the mail catcher's part of a PDPA erasure: notifications names the notices
    it sent to the person erased. Only the headers are parsed: about 0.2 ms a message
    (a mailbox of 1,000 notices in 0.2 s)."""
    ids = {i.strip().casefold() for i in notification_ids if i.strip()}
    wanted = {a.strip().casefold() for a in addresses if a.strip()}
    if not (ids or wanted) or not directory.is_dir():
        return 0
    removed = 0
    for path in directory.iterdir():
        if parse_name(path.name) is None:
            continue
        try:
            with path.open("rb") as raw:
                headers = BytesHeaderParser(policy=email.policy.compat32).parse(raw)
        except OSError:
            continue  # deleted meanwhile
        named = {str(v).strip().casefold() for v in headers.get_all(NOTIFICATION_ID, [])}
        parties = [decode(str(v)) for k, v in headers.items() if k.lower() in _PARTIES]
        found = {addr.casefold() for _, addr in getaddresses(parties) if addr}
        if named & ids or found & wanted:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def load(directory: Path, name: str) -> StoredMessage | None:
    try:
        return read_message((directory / name).read_bytes(), name)
    except (OSError, ValueError):
        return None


def decode(raw: str) -> str:
    """A header value as a person reads it, RFC 2047 encoded-words decoded.

    Neither standard decoder will do for Thai names: the modern policy's address parser
    puts a space between adjacent encoded-words of a display name (splitting a Thai word
    the sender folded mid-word), and `make_header` puts one between an encoded-word and
    the plain text after it (`สพป .`). So: `decode_header`'s parts, joined as they are.
    """
    if any("\udc80" <= ch <= "\udcff" for ch in raw):
        # Raw UTF-8 in a header (SMTPUTF8): the parser kept its bytes as surrogates.
        raw = raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    unfolded = re.sub(r"\r?\n[ \t]+", " ", raw).strip()
    try:
        parts = decode_header(unfolded)
    except ValueError:
        return unfolded  # a broken encoded-word: the raw text beats nothing
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
        elif charset is None:
            # decode_header escapes plain non-ASCII text this way; undo it.
            out.append(chunk.decode("raw-unicode-escape", "replace"))
        else:
            out.append(_decode_bytes(chunk, charset))
    return "".join(out)


def _decode_bytes(data: bytes, charset: str) -> str:
    try:
        return data.decode(charset, "replace")
    except LookupError:  # a charset Python does not know
        return data.decode("utf-8", "replace")


def _raw_headers(msg: EmailMessage) -> list[tuple[str, str]]:
    return [(name, str(value)) for name, value in msg.raw_items()]


def _header(msg: EmailMessage, name: str) -> str:
    return " ".join(decode(v) for k, v in _raw_headers(msg) if k.lower() == name)


def _addresses(msg: EmailMessage, *names: str) -> list[str]:
    values = [decode(v) for k, v in _raw_headers(msg) if k.lower() in names]
    return [addr for _, addr in getaddresses(values) if addr]


def _date(msg: EmailMessage) -> datetime | None:
    raw = msg.get("date")
    if raw is None:
        return None
    try:
        return parsedate_to_datetime(str(raw))
    except (TypeError, ValueError):
        return None


def _body(msg: EmailMessage, subtype: str) -> str | None:
    part = msg.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_subtype() != subtype:
        return None
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return None
    # No charset declared: UTF-8 (a superset of the ASCII the standard assumes), which is
    # what a Thai sender forgetting the parameter almost always means.
    text = _decode_bytes(payload, part.get_content_charset() or "utf-8")
    # Stored as sent, with CRLF line ends; a browser's <pre> wants plain newlines.
    return text.replace("\r\n", "\n")
