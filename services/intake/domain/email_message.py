"""The e-mail channel's decisions, pure: one raw message (RFC 5322 bytes, as IMAP hands it
over) → what it is and what it says.

A message is one of:
- a **submission**: a person writing to the office (From as the contact, Subject, the text
  or the HTML turned into text);
- a **follow-up**: it quotes a tracking code Siang issued (in the subject, or in the body,
  as a reply to a notice does), so it joins that case as the complainant's message;
- **ignored**: not written by a person to the office, and answering it could start a
  loop: auto-replies (`Auto-Submitted`, `X-Autoreply`, `Precedence: bulk/junk/list`),
  mailing-list traffic (`List-Id`, `List-Unsubscribe`), bounces (a `multipart/report`
  delivery status, `MAILER-DAEMON`, an empty `Return-Path`) and Siang's own notices
  (their `X-Siang-Notification-Id` header, or a From address the office sends from);
- **refused**: nothing usable (no sender address to answer, nothing said, unreadable).

Thai mail is decoded whatever it declares: TIS-620, windows-874 (which Python does not
know by that name), ISO-8859-11 and UTF-8, quoted-printable or base64; a part that
declares nothing or lies is tried as UTF-8, then as windows-874 (a superset of TIS-620).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import parseaddr
from enum import StrEnum
from html.parser import HTMLParser
from typing import Any

from services.intake.domain.tracking import ALPHABET, InvalidTrackingCode, normalise_tracking_code
from shared.contract.events import ComplaintType, Kind, Language

# What `SubmissionRequest` takes (subject 200, description 10,000, name 200 characters).
SUBJECT_CHARS = 200
DESCRIPTION_CHARS = 10_000
NAME_CHARS = 200
# The header Siang's e-mail notices carry (`services/notifications/adapters/channels/email_message.py`).
SIANG_NOTICE_HEADER = "X-Siang-Notification-Id"

_THAI = re.compile(r"[\u0e00-\u0e7f]")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_SYMBOLS = f"[{ALPHABET}{ALPHABET.lower()}]"
# A code as notices print it (SG-7KQ4-M9XT-3PW5), the dashes perhaps lost or spaced.
_CODE = re.compile(rf"\b[sS][gG][\s-]?{_SYMBOLS}{{4}}[\s-]?{_SYMBOLS}{{4}}[\s-]?{_SYMBOLS}{{4}}\b")
_BOUNCE_SENDERS = ("mailer-daemon", "postmaster")
_BULK = frozenset({"bulk", "junk", "list", "auto_reply"})
# Where a reply's own words end and the quoted message begins (Gmail, Outlook, Thai Gmail).
_QUOTE_HEADER = re.compile(
    r"^(On .+ wrote:|เมื่อ .+ เขียนว่า:?|-{2,} ?Original Message ?-{2,}|"
    r"-{2,} ?ข้อความต้นฉบับ ?-{2,}|_{10,}|From: .+|จาก: .+)\s*$",
    re.IGNORECASE,
)
# Charsets Thai mail declares that Python's codecs do not know, or knows too narrowly.
_CHARSETS = {
    "windows-874": "cp874",
    "x-windows-874": "cp874",
    "tis-620": "cp874",
    "tis620": "cp874",
    "iso-8859-11": "cp874",
    "x-user-defined": "cp874",
}


class Verdict(StrEnum):
    submission = "submission"
    follow_up = "follow_up"
    ignored = "ignored"
    refused = "refused"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with the mail. `declared_type` is what the mail says; the adapter that
    keeps it checks the content itself."""

    filename: str | None
    declared_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Mail:
    verdict: Verdict
    # Why it was ignored or refused (for the log and the mailbox flag); "" otherwise.
    reason: str = ""
    sender_name: str | None = None
    sender_address: str | None = None
    subject: str = ""
    text: str = ""
    language: Language = Language.th
    tracking_code: str | None = None
    attachments: tuple[Attachment, ...] = ()

    @property
    def taken(self) -> bool:
        return self.verdict in (Verdict.submission, Verdict.follow_up)


def read_mail(raw: bytes, *, own_addresses: Collection[str] = ()) -> Mail:
    """What `raw` is and says. Never raises: a message the parser cannot make sense of is
    refused with the reason."""
    if not raw.strip():
        return Mail(Verdict.refused, "empty message")
    try:
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        return _read(msg, {a.lower() for a in own_addresses})
    except Exception as exc:  # noqa: BLE001 - any malformed input is a refusal, not a crash
        return Mail(Verdict.refused, f"unreadable: {type(exc).__name__}")


def _read(msg: EmailMessage, own: set[str]) -> Mail:
    name, address = _sender(msg)
    ignored = _why_ignored(msg, address, own)
    if ignored:
        return Mail(Verdict.ignored, ignored, sender_address=address)
    if address is None:
        return Mail(Verdict.refused, "no sender address to answer")
    subject = _one_line(str(msg.get("Subject", "") or ""))
    text, attachments = _content(msg)
    code = find_tracking_code(subject) or find_tracking_code(text)
    if code is not None:
        text = own_words(text)
    if not subject and not text and not attachments:
        return Mail(Verdict.refused, "nothing written", sender_address=address)
    return Mail(
        Verdict.follow_up if code else Verdict.submission,
        sender_name=name,
        sender_address=address,
        subject=subject,
        text=text,
        language=Language.th if _THAI.search(subject + text) or not text else Language.en,
        tracking_code=code,
        attachments=tuple(attachments),
    )


def _sender(msg: EmailMessage) -> tuple[str | None, str | None]:
    raw_from = msg.get("From")
    if raw_from is None:
        return None, None
    try:
        mailboxes = raw_from.addresses  # a parsed address header (policy.default)
        name, address = (
            (mailboxes[0].display_name, mailboxes[0].addr_spec) if mailboxes else ("", "")
        )
    except (AttributeError, IndexError, ValueError):
        name, address = parseaddr(str(raw_from))
    address = address.strip().lower()
    name = _one_line(name)[:NAME_CHARS] or None
    return name, address if _EMAIL.match(address) else None


def _why_ignored(msg: EmailMessage, address: str | None, own: set[str]) -> str:
    if msg.get(SIANG_NOTICE_HEADER) is not None or (address is not None and address in own):
        return "from Siang"
    if _is_bounce(msg, address):
        return "bounce"
    auto = str(msg.get("Auto-Submitted", "")).strip().lower()
    if (auto and auto != "no") or msg.get("X-Autoreply") or msg.get("X-Autorespond"):
        return "auto-reply"
    if str(msg.get("Precedence", "")).strip().lower() in _BULK:
        return "bulk or auto-reply"
    if msg.get("List-Id") or msg.get("List-Unsubscribe") or msg.get("List-Post"):
        return "mailing list"
    return ""


def _is_bounce(msg: EmailMessage, address: str | None) -> bool:
    if msg.get_content_type() == "multipart/report":
        return True
    local = (address or "").split("@", 1)[0]
    if local in _BOUNCE_SENDERS:
        return True
    return_path = msg.get("Return-Path")
    return return_path is not None and str(return_path).strip() in ("<>", "")


def _content(msg: EmailMessage) -> tuple[str, list[Attachment]]:
    plain: str | None = None
    html: str | None = None
    attachments: list[Attachment] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        if kind in ("text/plain", "text/html") and disposition != "attachment" and not filename:
            body = _decoded(part)
            if kind == "text/plain" and plain is None:
                plain = body
            elif kind == "text/html" and html is None:
                html = body
            continue
        if kind == "message/rfc822" or kind.startswith("multipart/"):
            continue
        data = part.get_payload(decode=True)
        if isinstance(data, bytes) and data:
            attachments.append(Attachment(filename, kind, data))
    text = plain if plain and plain.strip() else html_to_text(html) if html else ""
    return _tidy(text)[:DESCRIPTION_CHARS], attachments


def _decoded(part: Message[Any, Any]) -> str:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    declared = (part.get_content_charset() or "").lower()
    tried = [_CHARSETS.get(declared, declared)] if declared else []
    for charset in [*tried, "utf-8", "cp874"]:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


class _Text(HTMLParser):
    _BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"})
    _HIDDEN = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """The words of an HTML body, one block per line (no script or style)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return _tidy("\n".join(line.strip() for line in "".join(parser.parts).split("\n")))


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line.strip() or (out and out[-1]):  # one blank line between paragraphs at most
            out.append(line if line.strip() else "")
    return "\n".join(out).strip()


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def find_tracking_code(text: str) -> str | None:
    """The first valid tracking code in `text` (check symbol checked), canonical."""
    for match in _CODE.finditer(text):
        try:
            return normalise_tracking_code(match.group(0))
        except InvalidTrackingCode:
            continue
    return None


def own_words(text: str) -> str:
    """A reply without the message it quotes: cut at the quote's header line, quoted
    (`>`) lines left out. All of it when that would leave nothing."""
    kept: list[str] = []
    for line in text.split("\n"):
        if _QUOTE_HEADER.match(line.strip()):
            break
        if not line.lstrip().startswith(">"):
            kept.append(line)
    words = _tidy("\n".join(kept))
    return words or text


def submission_body(
    mail: Mail, *, kind: Kind, complaint_type: ComplaintType | None, category: str
) -> dict[str, Any]:
    """The submission a mail makes, for `parse_submission`: kind and category are the
    office's defaults for mail (staff re-triage); the sender is the contact and, having
    written to the office, expects the answer by e-mail."""
    subject = mail.subject or _first_line(mail.text) or _attachments_only(mail.language)
    description = mail.text or mail.subject or _attachments_only(mail.language)
    body: dict[str, Any] = {
        "kind": kind.value,
        "category": category,
        "subject": _clip(subject, SUBJECT_CHARS),
        "description": _clip(description, DESCRIPTION_CHARS),
        "language": mail.language.value,
        "contact": {"name": mail.sender_name, "email": mail.sender_address},
        "consent": {"contact_me": True, "share_name_with_unit": False},
    }
    if kind is Kind.complaint:
        body["complaint_type"] = (complaint_type or ComplaintType.service).value
    return body


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.split("\n") if line.strip()), "")


def _attachments_only(language: Language) -> str:
    return "ดูไฟล์แนบ" if language is Language.th else "See the attached files"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
