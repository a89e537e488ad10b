"""The e-mail channel end to end against the real Dovecot, Kafka and MongoDB-wire server:
a Thai (TIS-620) mail in the office's mailbox becomes one `email` submission (the sender
only in `personal_data`), a reply quoting its tracking code from the same address joins
that case as a follow-up while the same code quoted from another address is a new
submission naming the case (anyone can type a code), a bounce and an auto-reply are ignored, a malformed mail is left flagged for a person, and a poller
that died between the receipt and flagging the message does not receive it twice."""

from __future__ import annotations

import asyncio
import re
import time
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr
from typing import Any

from pydantic import SecretStr

from deploy.local.dovecot import DovecotServer
from services.intake.errors import Unavailable
from services.intake.handlers.email import MailDefaults, MailDesk, message_key
from services.intake.settings import EmailSettings, IntakeSettings
from shared.contract import topics
from shared.contract.catalogue import load_catalogue
from shared.contract.events import (
    ComplaintType,
    Kind,
    SubmissionFollowUp,
    SubmissionReceived,
    parse_event,
)
from shared.infra.mongo import create_mongo_client, database
from shared.infra.personal_data import PEOPLE
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.intake.test_intake_flow import running
from tests.support import read_topic

THAI = "ดิฉันยื่นขอหนังสือรับรองการทำงานเมื่อต้นเดือน ยังไม่ได้รับจนถึงวันนี้"
SENDER = "somying@example.co.th"
OTHER = "someone.else@example.com"


def _thai_mail(
    subject: str = "ขอหนังสือรับรองแล้วยังไม่ได้รับ", body: str = THAI, sender: str = SENDER
) -> bytes:
    msg = MIMEText(body, "plain", "tis-620")
    msg["Subject"] = Header(subject, "tis-620").encode()
    msg["From"] = formataddr((str(Header("สมหญิง ใจงาม", "tis-620")), sender))
    msg["To"] = "saraban@siang.local"
    return msg.as_bytes()


def _bounce() -> bytes:
    report = MIMEMultipart("report", report_type="delivery-status")
    report.attach(MIMEText("Delivery to somchai@example.com failed permanently."))
    report["From"] = "MAILER-DAEMON@mx.example.go.th"
    report["Subject"] = "Undelivered Mail Returned to Sender"
    return report.as_bytes()


def _auto_reply() -> bytes:
    msg = MIMEText("ขณะนี้ไม่อยู่ที่สำนักงาน", "plain", "utf-8")
    msg["From"] = SENDER
    msg["Subject"] = "Out of office"
    msg["Auto-Submitted"] = "auto-replied"
    return msg.as_bytes()


def _settings(
    kafka: KafkaSettings, mongo: MongoSettings, server: DovecotServer, folder: str
) -> IntakeSettings:
    email = EmailSettings(
        host="127.0.0.1",
        port=server.port,
        tls=False,
        user=server.account.user,
        password=SecretStr(server.account.password),
        folder=folder,
        # One IDLE lasts longer than the test waits for anything: a mail delivered while
        # the poller waits is taken in only if IDLE wakes it.
        poll_seconds=600,
        retry_seconds=0.5,
    )
    return IntakeSettings(kafka=kafka, mongo=mongo, web_burst=100, email=email)


def _flags(server: DovecotServer, folder: str) -> dict[int, set[str]]:
    imap = server.login()
    try:
        imap.select(f'"{folder}"')
        _, data = imap.uid("fetch", "1:*", "(FLAGS)")
    finally:
        imap.logout()
    out: dict[int, set[str]] = {}
    for line in data:
        if isinstance(line, bytes) and (m := re.search(rb"UID (\d+) FLAGS \(([^)]*)\)", line)):
            out[int(m.group(1))] = set(m.group(2).decode().split())
    return out


async def _handled(
    server: DovecotServer, folder: str, count: int, timeout: float = 30
) -> dict[int, set[str]]:
    deadline = time.monotonic() + timeout
    while True:
        flags = await asyncio.to_thread(_flags, server, folder)
        if sum("$Siang" in f for f in flags.values()) >= count:
            return flags
        assert time.monotonic() < deadline, f"not handled in {timeout}s: {flags}"
        await asyncio.sleep(0.2)


def _submissions(records: list[Any]) -> list[SubmissionReceived]:
    out = []
    for record in records:
        data = parse_event(record.value).data
        assert isinstance(data, SubmissionReceived)
        out.append(data)
    return out


async def test_a_thai_mail_becomes_a_submission_and_its_senders_reply_joins_the_case(
    kafka_settings: KafkaSettings,
    mongo_settings: MongoSettings,
    dovecot: DovecotServer,
    test_id: str,
) -> None:
    folder = f"t{test_id}"
    for raw in (_thai_mail(), _bounce(), _auto_reply(), b"Subject: no sender\r\n\r\nhello"):
        dovecot.deliver(raw, folder)
    topic = topics.with_prefix(kafka_settings.topic_prefix, topics.SUBMISSIONS)
    async with running(_settings(kafka_settings, mongo_settings, dovecot, folder)):
        flags = await _handled(dovecot, folder, 4)
        [first] = _submissions(await read_topic(kafka_settings.bootstrap_servers, topic, 1))
        # A reply arriving while the poller waits (IDLE), quoting the code as a notice does.
        reply = _thai_mail(
            "Re: ความคืบหน้า",
            f"ยังไม่ได้รับค่ะ\n\nเมื่อ ... เขียนว่า:\n> เรื่องเลขที่ {first.tracking_code}\n",
        )
        await asyncio.to_thread(dovecot.deliver, reply, folder)
        await _handled(dovecot, folder, 5)  # only IDLE can wake it before 600 s
        # The same code quoted from another address: no proof of who writes.
        other = _thai_mail("Re: ความคืบหน้า", f"ขอทราบผลด้วย เรื่องเลขที่ {first.tracking_code}", OTHER)
        await asyncio.to_thread(dovecot.deliver, other, folder)
        await _handled(dovecot, folder, 6)
        records = await read_topic(kafka_settings.bootstrap_servers, topic, 3, settle=2)
    # Read back in Kafka's order per partition only: the follow-up is keyed by the first
    # submission, the other mail by its own, so they may come in either order.
    events = sorted(
        (parse_event(r.value) for r in records),
        key=lambda e: (e.type.endswith("follow_up.v1"), e.time),
    )
    assert sorted(e.type for e in events) == [
        "th.go.siang.submission.follow_up.v1",
        "th.go.siang.submission.received.v1",
        "th.go.siang.submission.received.v1",
    ]
    first, second, follow_up = (e.data for e in events)
    by_id = {parse_event(r.value).id: r for r in records}
    follow_up_record = by_id[events[2].id]
    assert first.channel.value == "email" and second.channel.value == "email"
    assert first.subject == "ขอหนังสือรับรองแล้วยังไม่ได้รับ" and first.description == THAI
    assert first.kind is Kind.complaint and first.category == "other"
    for record in records:
        assert SENDER.encode() not in record.value and OTHER.encode() not in record.value
    # The reply from the case's own address joins the case, keyed by its submission.
    assert isinstance(follow_up, SubmissionFollowUp)
    assert follow_up.submission_id == first.submission_id and follow_up_record.key == (
        first.submission_id.encode()
    )
    assert follow_up.channel.value == "email"
    assert "ยังไม่ได้รับค่ะ" in follow_up.text and ">" not in follow_up.text
    # From another address it is a new submission that names the case.
    assert second.description.startswith(f"อ้างถึงเรื่องเลขที่ {first.tracking_code}")
    assert second.person_id != first.person_id
    mail, bounce, auto, malformed = (flags[uid] for uid in sorted(flags))
    assert {"\\Seen", "$Siang"} <= mail
    assert {"\\Seen", "$SiangIgnored"} <= bounce and {"\\Seen", "$SiangIgnored"} <= auto
    assert {"\\Flagged", "$SiangRefused"} <= malformed and "\\Seen" not in malformed
    mongo = create_mongo_client(mongo_settings)
    try:
        person = await database(mongo, mongo_settings)[PEOPLE].find_one({"_id": first.person_id})
        assert person is not None
        assert person["contact"] == {"name": "สมหญิง ใจงาม", "email": SENDER}
    finally:
        await mongo.close()


def _uid_and_validity(server: DovecotServer, folder: str) -> tuple[int, int]:
    imap = server.login()
    try:
        imap.select(f'"{folder}"')
        _, validity = imap.response("UIDVALIDITY")
        _, found = imap.uid("search", "ALL")
    finally:
        imap.logout()
    return int(found[0].split()[0]), int(validity[0])


async def test_a_poller_that_died_before_flagging_does_not_receive_twice(
    kafka_settings: KafkaSettings,
    mongo_settings: MongoSettings,
    dovecot: DovecotServer,
    test_id: str,
) -> None:
    folder = f"t{test_id}"
    raw = _thai_mail()
    dovecot.deliver(raw, folder)
    uid, validity = _uid_and_validity(dovecot, folder)
    settings = _settings(kafka_settings, mongo_settings, dovecot, folder)
    mailbox = f"{dovecot.account.user}/{folder}"
    # The first poller received the message and died before flagging it.
    without_mail = settings.model_copy(update={"email": EmailSettings()})
    async with running(without_mail) as client:
        ctx = client._transport.app.state.ctx  # type: ignore[attr-defined]
        desk = MailDesk(
            ctx.reception,
            ctx.records,
            None,
            load_catalogue(None),
            MailDefaults(Kind.complaint, ComplaintType.service, "other", frozenset(), 5, 10**7),
        )
        for _ in range(5):  # as the poller does: a busy database is asked again
            try:
                first = await desk.take(raw, message_key(mailbox, validity, uid))
                break
            except Unavailable:
                await asyncio.sleep(0.5)
        else:
            raise AssertionError("MongoDB never took the mail")
    assert first.submission_id is not None and not first.replayed
    assert _flags(dovecot, folder)[uid] == set()
    # The next poller finds it unflagged and takes it again: the same submission.
    async with running(settings):
        flags = await _handled(dovecot, folder, 1)
        records = await read_topic(
            kafka_settings.bootstrap_servers,
            topics.with_prefix(kafka_settings.topic_prefix, topics.SUBMISSIONS),
            1,
            settle=3,
        )
    [only] = _submissions(records)
    assert only.submission_id == first.submission_id
    assert {"\\Seen", "$Siang"} <= flags[uid]
