"""The e-mail channel: the office's mailbox, read over IMAP, each person's mail received
through the same `Reception` as the web form (channel `email`).

Order of the work for one message, and why:
1. Fetch it without marking it read, and let the pure domain say what it is
   (`domain/email_message.py`): a submission, a follow-up quoting a tracking code,
   ignored (auto-reply, bounce, list, Siang's own notice) or refused (nothing usable).
2. Receive a submission with an idempotency key derived from the mailbox, its
   UIDVALIDITY and the message's UID: a poller that dies after the receipt but before
   step 4 receives the same message again on its next turn and gets the same receipt
   back (replayed), not a second submission. The sender's address and name go in as the
   contact, so they are written to `personal_data` and nowhere else.
3. Keep the attached photos in GridFS with the submission (once: a replay finds them).
4. Only then flag the message handled (`$Siang`, and `\\Seen` unless it was refused, which
   is flagged for a person to read). If MongoDB and Kafka are both away the message stays
   unflagged and is taken on a later turn: nothing is lost.

A follow-up: a reply quoting a code this office issued, sent from the address the case's
complainant gave (compared through the personal-data store; the address is never
logged), joins that case as `submission.follow_up` (`handlers/follow_up.py`), keyed like
a submission by the message, so a poller restarted mid-way adds it once. From any other
address it is received as a new submission that names the case in its first line: a
tracking code is no secret (it is on every notice, and anyone can type one), so quoting
it proves nothing about who writes; staff read the new one and merge it if it belongs.
A reply to a closed case is a new submission naming it, too.

The poller keeps one connection, waits with IDLE where the server offers it (else polls
every `poll_seconds`), and reconnects after any failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

from pydantic import ValidationError

from services.intake.adapters.imap_mailbox import MailboxUnavailable
from services.intake.domain.email_message import Mail, Verdict, read_mail, submission_body
from services.intake.domain.follow_up import MAX_TEXT
from services.intake.domain.progress import CaseProgress
from services.intake.domain.submission import parse_submission
from services.intake.domain.tracking import TrackingRecord
from services.intake.errors import CaseClosed, Unavailable
from services.intake.handlers.follow_up import Accepted
from services.intake.handlers.ports import StoreUnavailable
from services.intake.handlers.receive import Receive, Reception
from shared.contract.catalogue import Catalogue
from shared.contract.events import Channel, ComplaintType, Contact, Kind, Language
from shared.infra.personal_data import person_id_for

log = logging.getLogger(__name__)

SEEN = "\\Seen"
FLAGGED = "\\Flagged"


class Mailbox(Protocol):
    uidvalidity: int
    idle: bool

    @property
    def name(self) -> str: ...
    async def open(self) -> None: ...
    async def unhandled(self, limit: int) -> list[int]: ...
    async def fetch(self, uid: int) -> bytes | None: ...
    async def mark(self, uid: int, flags: tuple[str, ...]) -> None: ...
    async def wait(self, seconds: float) -> None: ...
    async def close(self) -> None: ...


class TrackingLookup(Protocol):
    async def by_tracking_code(self, code: str) -> TrackingRecord | None: ...


class Attachments(Protocol):
    async def kept_for(self, message_key: str) -> bool: ...
    async def kept_ids(self, message_key: str) -> list[str]: ...
    async def keep(
        self,
        data: bytes,
        *,
        submission_id: str,
        person_id: str,
        message_key: str,
    ) -> str | None: ...


class CaseProgressLookup(Protocol):
    async def of(self, code: str) -> CaseProgress | None: ...


class Contacts(Protocol):
    async def contacts(self, person_ids: list[str]) -> dict[str, Contact]: ...


class ReplyDesk(Protocol):
    async def add_by_mail(
        self,
        record: TrackingRecord,
        status: str,
        text: str,
        *,
        key: str,
        attachments: tuple[str, ...] = (),
        correlation_id: str | None = None,
    ) -> Accepted: ...


@dataclass(frozen=True, slots=True)
class CaseReplies:
    """What joining a reply to its case needs: the case's status, its complainant's
    contact (a machine read of the personal-data store) and the desk that records it."""

    progress: CaseProgressLookup
    people: Contacts
    desk: ReplyDesk


@dataclass(frozen=True, slots=True)
class MailDefaults:
    """What a mail cannot say itself: staff re-triage it."""

    kind: Kind
    complaint_type: ComplaintType | None
    category: str
    own_addresses: frozenset[str]
    max_attachments: int
    max_attachment_bytes: int


@dataclass(frozen=True, slots=True)
class Handled:
    verdict: Verdict
    reason: str = ""
    submission_id: str | None = None
    replayed: bool = False

    @property
    def flags(self) -> tuple[str, ...]:
        """The flags the message gets besides `$Siang`: a refused one stays unread and
        starred, for a person to read."""
        if self.verdict is Verdict.refused:
            return ("$SiangRefused", FLAGGED)
        if self.verdict is Verdict.ignored:
            return ("$SiangIgnored", SEEN)
        return (SEEN,)


def message_key(mailbox: str, uidvalidity: int, uid: int) -> str:
    """The idempotency key of one message: the same message in the same mailbox always
    has it; a folder recreated (new UIDVALIDITY) starts a new series."""
    digest = hashlib.sha256(f"{mailbox}\x00{uidvalidity}\x00{uid}".encode()).hexdigest()
    return f"email-{digest[:40]}"


class MailDesk:
    def __init__(
        self,
        reception: Reception,
        records: TrackingLookup,
        attachments: Attachments | None,
        catalogue: Catalogue,
        defaults: MailDefaults,
        replies: CaseReplies | None = None,
    ) -> None:
        self._reception = reception
        self._records = records
        self._attachments = attachments
        self._catalogue = catalogue
        self._defaults = defaults
        self._replies = replies

    async def take(self, raw: bytes, key: str, correlation_id: str | None = None) -> Handled:
        """Receive one message; `Unavailable` when nothing could make it durable."""
        mail = read_mail(raw, own_addresses=self._defaults.own_addresses)
        if not mail.taken:
            log.info("mail %s %s: %s", key, mail.verdict.value, mail.reason)
            return Handled(mail.verdict, mail.reason)
        if mail.verdict is Verdict.follow_up:
            record = await self._record(mail)
            if record is not None:
                joined = await self._join(record, mail, key, correlation_id)
                if joined is not None:
                    return joined
            mail = self._about_case(mail, record)
        d = self._defaults
        body = submission_body(
            mail, kind=d.kind, complaint_type=d.complaint_type, category=d.category
        )
        try:
            request = parse_submission(body, self._catalogue)
        except ValidationError as exc:
            # Only the office's own defaults can make this fail (a category taken away).
            fields = ",".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
            log.error("mail %s made no valid submission (fields %s)", key, fields)
            return Handled(Verdict.refused, f"invalid submission: {fields}")
        receipt = await self._reception.receive(
            Receive(
                body=request,
                channel=Channel.email,
                idempotency_key=key,
                correlation_id=correlation_id,
            )
        )
        log.info(
            "mail %s received as %s%s",
            key,
            receipt.submission_id,
            " (again)" if receipt.replayed else "",
        )
        await self._keep_attachments(mail, key, receipt.submission_id)
        return Handled(mail.verdict, "", receipt.submission_id, receipt.replayed)

    async def _record(self, mail: Mail) -> TrackingRecord | None:
        assert mail.tracking_code is not None
        try:
            return await self._records.by_tracking_code(mail.tracking_code)
        except StoreUnavailable:
            return None

    async def _join(
        self, record: TrackingRecord, mail: Mail, key: str, correlation_id: str | None
    ) -> Handled | None:
        """The reply as a follow-up on its case when its sender is the case's own contact;
        None when it is to be a new submission (another sender, a closed case, no store
        to compare with). `Unavailable` when the follow-up could not be made durable."""
        replies = self._replies
        if replies is None or not await self._from_complainant(replies, record, mail):
            log.info(
                "mail %s quotes %s from another address: a new submission",
                key,
                record.tracking_code,
            )
            return None
        try:
            progress = await replies.progress.of(record.tracking_code)
            files = await self._keep_reply_files(mail, key, record.submission_id)
            text = (mail.text or mail.subject or _FILES_ONLY[mail.language])[:MAX_TEXT]
            accepted = await replies.desk.add_by_mail(
                record,
                progress.status if progress else "received",
                text,
                key=key,
                attachments=files,
                correlation_id=correlation_id,
            )
        except CaseClosed:
            log.info("mail %s replies to closed %s: a new submission", key, record.tracking_code)
            return None
        except StoreUnavailable as exc:
            raise Unavailable(5) from exc
        log.info(
            "mail %s joined %s as %s%s",
            key,
            record.tracking_code,
            accepted.id,
            " (again)" if accepted.replayed else "",
        )
        return Handled(Verdict.follow_up, "", record.submission_id, accepted.replayed)

    async def _from_complainant(
        self, replies: CaseReplies, record: TrackingRecord, mail: Mail
    ) -> bool:
        """Whether the mail comes from the address the case's complainant gave. Never
        logged either way: an address is personal data."""
        if not mail.sender_address:
            return False
        person = person_id_for(record.submission_id)
        try:
            found = await replies.people.contacts([person])
        except Exception:  # noqa: BLE001 - unreadable now: the safe way is a new submission
            return False
        known = found.get(person)
        given = (known.email or "").strip().casefold() if known else ""
        return bool(given) and given == mail.sender_address.strip().casefold()

    async def _keep_reply_files(self, mail: Mail, key: str, submission_id: str) -> tuple[str, ...]:
        """The reply's photos, kept with the case's submission before its event names
        them; a mail read again finds those it kept the first time."""
        if self._attachments is None or not mail.attachments:
            return ()
        kept = await self._attachments.kept_ids(key)
        if kept:
            return tuple(kept)
        d = self._defaults
        ids = []
        for file in mail.attachments[: d.max_attachments]:
            if len(file.data) > d.max_attachment_bytes:
                continue
            stored = await self._attachments.keep(
                file.data,
                submission_id=submission_id,
                person_id=person_id_for(submission_id),
                message_key=key,
            )
            if stored is not None:
                ids.append(stored)
        return tuple(ids)

    def _about_case(self, mail: Mail, record: TrackingRecord | None) -> Mail:
        """A reply quoting a code of this office names that case first; a code that is
        not ours (or unreadable now) is just part of a new submission."""
        assert mail.tracking_code is not None
        if record is None:
            return replace(mail, verdict=Verdict.submission, tracking_code=None)
        about = (
            f"อ้างถึงเรื่องเลขที่ {mail.tracking_code}"
            if mail.language is Language.th
            else f"About {mail.tracking_code}"
        )
        return replace(mail, text=f"{about}\n\n{mail.text}".strip())

    async def _keep_attachments(self, mail: Mail, key: str, submission_id: str) -> None:
        if self._attachments is None or not mail.attachments:
            return
        try:
            if await self._attachments.kept_for(key):
                return
            d = self._defaults
            for n, file in enumerate(mail.attachments[: d.max_attachments]):
                if len(file.data) > d.max_attachment_bytes:
                    log.info("mail %s: attachment %d over the size limit, not kept", key, n)
                    continue
                kept = await self._attachments.keep(
                    file.data,
                    submission_id=submission_id,
                    person_id=person_id_for(submission_id),
                    message_key=key,
                )
                if kept is None:
                    log.info("mail %s: attachment %d is no JPEG or PNG, not kept", key, n)
        except Exception as exc:  # noqa: BLE001 - best-effort: the submission is durable
            log.warning("mail %s: attachments of %s not kept: %r", key, submission_id, exc)


_FILES_ONLY = {Language.th: "ดูไฟล์แนบ", Language.en: "See the attached files"}


class MailPoller:
    """The background task: drain the mailbox, wait (IDLE or a sleep), again; reconnect
    after a failure."""

    def __init__(
        self,
        mailbox: Callable[[], Mailbox],
        desk: MailDesk,
        *,
        poll_seconds: float,
        retry_seconds: float,
        batch: int = 50,
    ) -> None:
        self._mailbox = mailbox
        self._desk = desk
        self._poll_seconds = poll_seconds
        self._retry_seconds = retry_seconds
        self._batch = batch
        self._task: asyncio.Task[None] | None = None
        self.rounds = 0  # drained turns, for tests and /metrics-minded readers

    async def drain(self, mailbox: Mailbox) -> int:
        """Handle every unhandled message; how many were taken as submissions. Stops at
        the first one nothing could make durable (it stays for the next turn)."""
        taken = 0
        while True:
            uids = await mailbox.unhandled(self._batch)
            if not uids:
                return taken
            for uid in uids:
                raw = await mailbox.fetch(uid)
                if raw is None:
                    continue
                key = message_key(mailbox.name, mailbox.uidvalidity, uid)
                try:
                    handled = await self._desk.take(raw, key)
                except Unavailable:
                    log.warning("mail %s not durable yet; it stays for the next turn", key)
                    return taken
                await mailbox.mark(uid, handled.flags)
                taken += handled.verdict in (Verdict.submission, Verdict.follow_up)
            if len(uids) < self._batch:
                return taken

    async def run(self) -> None:
        while True:
            mailbox = self._mailbox()
            try:
                await mailbox.open()
                log.info("mailbox %s open (IDLE: %s)", mailbox.name, mailbox.idle)
                while True:
                    await self.drain(mailbox)
                    self.rounds += 1
                    await mailbox.wait(self._poll_seconds)
            except MailboxUnavailable as exc:
                log.warning("mailbox unavailable (%s); again in %.0fs", exc, self._retry_seconds)
            except Exception:  # a bug must not end the channel: log it, reconnect
                log.exception("mail poller failed; again in %.0fs", self._retry_seconds)
            finally:
                await mailbox.close()
            await asyncio.sleep(self._retry_seconds)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self.run(), name="intake-mail-poller")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        while not task.done():
            task.cancel()
            await asyncio.wait([task], timeout=1.0)
        with contextlib.suppress(asyncio.CancelledError, Exception):
            task.result()
