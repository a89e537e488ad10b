"""Nothing is lost or doubled when intake is killed mid-conversation (LINE) or mid-poll
(e-mail): the channels' own idempotency (a conversation's id, a message's UID) carries a
submission across a `kill -9`, as the API's Idempotency-Key does."""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, make_msgid
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from pymongo import MongoClient

from deploy.local.dovecot import DovecotServer
from deploy.local.line_standin import Received, create_app, event, sign, webhook_body
from shared.infra.personal_data import PEOPLE
from tests.e2e.system import System, running_system

SECRET = "fault-line-secret"
USERS = 40
MAILS = 60
CODE = re.compile(r"SG-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:  # served from a thread: no signals
        yield


@contextlib.contextmanager
def line_standin() -> Iterator[tuple[str, Received]]:
    """The Messaging API stand-in in a thread of the test process, recording replies."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    received = Received()
    config = uvicorn.Config(
        create_app(secret=SECRET, received=received),
        host="127.0.0.1",
        port=port,
        log_config=None,
        access_log=False,
        lifespan="off",
    )
    server = _Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", received
    finally:
        server.should_exit = True
        thread.join(10)


def documents(system: System, collection: str, query: dict[str, Any]) -> list[dict[str, Any]]:
    client: MongoClient[dict[str, Any]] = MongoClient(system.mongo_url)
    try:
        return list(client[system.database][collection].find(query))
    finally:
        client.close()


def cases_of(system: System, channel: str) -> list[dict[str, Any]]:
    return documents(system, "cases", {"channel": channel})


def contacts(system: System, person_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each person's contact as the personal-data store keeps it."""
    people = documents(system, PEOPLE, {"_id": {"$in": person_ids}})
    return {p["_id"]: p.get("contact") or {} for p in people}


def wait_for(count: Any, target: int, timeout: float = 180) -> int:
    """Poll `count()` until it reaches `target`; then once more after a pause, so a double
    has time to show."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and count() < target:
        time.sleep(0.5)
    time.sleep(2)
    return int(count())


# ------------------------------------------------------------------------------- LINE


@pytest.fixture
def line_system(
    kafka_bootstrap: str, mongo_url: str, tmp_path: Path
) -> Iterator[tuple[System, Received]]:
    with (
        line_standin() as (base, received),
        running_system(
            kafka_bootstrap,
            mongo_url,
            tmp_path / "logs",
            SIANG_INTAKE_LINE__CHANNEL_SECRET=SECRET,
            SIANG_INTAKE_LINE__CHANNEL_TOKEN="fault-line-token",
            SIANG_INTAKE_LINE__API_BASE_URL=base,
            SIANG_INTAKE_LINE__DATA_BASE_URL=base,
        ) as system,
    ):
        yield system, received


@dataclass
class Talked:
    """What the people on LINE did, as LINE's side sees it."""

    delivered: int = 0  # webhook events answered 2xx
    redelivered: int = 0  # deliveries repeated because intake did not answer 2xx
    cut: int = 0  # deliveries whose connection failed (refused, reset)
    confirmed: set[str] = field(default_factory=set)  # users whose confirm was answered 2xx
    confirmed_again: int = 0  # confirms pressed again after a "busy, try again" answer
    tokens: dict[str, str] = field(default_factory=dict)  # reply token → user


def conversation(user: str, i: int) -> list[dict[str, Any]]:
    """A guided conversation to consent and confirm, one event at a time."""
    steps: list[tuple[str, dict[str, Any]]] = [
        ("follow", {}),
        ("postback", {"data": "kind=complaint:service"}),
        ("postback", {"data": "category=documents"}),
        ("text", {"text": f"ขอหนังสือรับรองแล้วไม่ได้รับ (ผู้ใช้ {i})"}),
        ("postback", {"data": "skip"}),  # no photo
        ("location", {"latitude": 13.75, "longitude": 100.5, "title": f"โรงเรียน {i}"})
        if i % 2
        else ("postback", {"data": "skip"}),
        ("postback", {"data": "consent=yes"}),
        ("postback", {"data": "confirm"}),
    ]
    return [
        event(user, kind, reply_token=f"{user}-{n}-{uuid.uuid4().hex[:8]}", **what)
        for n, (kind, what) in enumerate(steps)
    ]


async def deliver(
    client: httpx.AsyncClient, webhook: str, one: dict[str, Any], talked: Talked, until: float
) -> bool:
    """Deliver one event as LINE does: again, marked as a redelivery (same event id and
    reply token), while intake does not answer 2xx."""
    while time.monotonic() < until:
        raw = webhook_body(one)
        try:
            r = await client.post(
                webhook,
                content=raw,
                headers={"X-Line-Signature": sign(SECRET, raw), "Content-Type": "application/json"},
            )
        except httpx.HTTPError:
            talked.cut += 1
            r = None
        if r is not None and r.is_success:
            talked.delivered += 1
            return True
        talked.redelivered += 1
        one = {**one, "deliveryContext": {"isRedelivery": True}}
        await asyncio.sleep(0.3)
    return False


async def talk(
    system: System, received: Received, users: list[str], talked: Talked, seconds: float
) -> None:
    webhook = f"{system.url('intake')}/v1/channels/line/webhook"
    until = time.monotonic() + seconds

    async def person(client: httpx.AsyncClient, user: str, i: int) -> None:
        *steps, confirm = conversation(user, i)
        for one in steps:
            talked.tokens[one["replyToken"]] = user
            if not await deliver(client, webhook, one, talked, until):
                return
            await asyncio.sleep(0.3 + 0.1 * (i % 5))  # people type, at different speeds
        while time.monotonic() < until:
            talked.tokens[confirm["replyToken"]] = user
            if not await deliver(client, webhook, confirm, talked, until):
                return
            talked.confirmed.add(user)
            if codes_told(received, talked).get(user):
                return
            # Told the office is busy (the submission was not durable yet): the person
            # presses 'ยืนยัน' again, as the reply asks.
            talked.confirmed_again += 1
            await asyncio.sleep(2)
            confirm = event(
                user, "postback", data="confirm", reply_token=f"{user}-again-{uuid.uuid4().hex[:8]}"
            )

    async with httpx.AsyncClient(timeout=30) as client:
        await asyncio.gather(*(person(client, u, i) for i, u in enumerate(users)))


def codes_told(received: Received, talked: Talked) -> dict[str, list[str]]:
    """The tracking codes each user was sent on LINE (replies and pushes)."""
    told: dict[str, list[str]] = {}
    for record in list(received.records):
        user = talked.tokens.get(record.get("reply_token") or "") or record.get("to")
        for message in record.get("messages", []):
            # A receipt names its code twice (in words and in the tracking link).
            for code in set(CODE.findall(str(message.get("text", "")))):
                told.setdefault(str(user), []).append(code)
    return told


def test_intake_sigkilled_mid_conversations_loses_and_doubles_nothing(
    line_system: tuple[System, Received],
) -> None:
    """40 people walk LINE's guided conversation while intake is `kill -9`ed twice; LINE
    redelivers what was not answered 2xx. Each conversation confirmed is exactly one case,
    whose one tracking code its person was told (perhaps more than once, never another)."""
    system, received = line_system
    intake = system.services["intake"]
    users = ["U" + uuid.uuid4().hex for _ in range(USERS)]
    talked = Talked()
    at_kills: list[tuple[int, int]] = []
    events = USERS * len(conversation(users[0], 0))

    def kill_when(ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 120
        while not ready() and time.monotonic() < deadline:
            time.sleep(0.01)
        at_kills.append((talked.delivered, len(talked.confirmed)))
        intake.kill()
        time.sleep(1)
        intake.start()  # not waited for: LINE's redeliveries find it when it is up

    def crash_and_restart() -> None:
        kill_when(lambda: talked.delivered >= events // 3)  # mid-conversation
        kill_when(lambda: len(talked.confirmed) >= USERS // 4)  # while people confirm
        intake.wait_ready()

    chaos = threading.Thread(target=crash_and_restart)
    chaos.start()
    asyncio.run(talk(system, received, users, talked, seconds=240))
    chaos.join()

    wait_for(lambda: len(cases_of(system, "line")), len(talked.confirmed))
    found = cases_of(system, "line")
    cases = {c["tracking_code"]: c for c in found}
    people = contacts(system, [str(c["person_id"]) for c in found if c.get("person_id")])
    per_user = Counter(people.get(str(c.get("person_id")), {}).get("line_user_id") for c in found)
    told = codes_told(received, talked)
    print(
        f"\nintake SIGKILL mid-conversation: {USERS} people, {events} events; delivered "
        f"{talked.delivered} (killed after [events delivered, people confirmed] {at_kills}), redelivered {talked.redelivered} "
        f"(connections cut: {talked.cut}); conversations confirmed {len(talked.confirmed)} "
        f"(confirmed again after a busy answer: {talked.confirmed_again}), "
        f"cases found {len(found)} for {len(per_user)} people, most cases for one person "
        f"{max(per_user.values(), default=0)}; people told a code {len(told)}, "
        f"told more than once {sum(len(c) > 1 for c in told.values())}"
    )
    assert len(at_kills) == 2 and at_kills[0][0] < events and at_kills[1][1] < USERS, at_kills
    assert talked.cut + talked.redelivered > 0, "no delivery was cut off by the kills"
    assert talked.confirmed == set(users), f"{USERS - len(talked.confirmed)} never confirmed"
    assert len(found) == len(cases) == USERS, f"{len(found)} LINE cases for {USERS} people"
    assert set(per_user) == set(users) and set(per_user.values()) == {1}, per_user
    for c in found:
        user = people[str(c["person_id"])]["line_user_id"]
        assert set(told.get(user, [])) == {c["tracking_code"]}, (user, told.get(user))


# ----------------------------------------------------------------------------- e-mail


@pytest.fixture(scope="module")
def dovecot() -> DovecotServer:
    server = DovecotServer()
    server.ensure_running(timeout=30)
    return server


@pytest.fixture
def mail_system(
    kafka_bootstrap: str, mongo_url: str, tmp_path: Path, dovecot: DovecotServer
) -> Iterator[tuple[System, str]]:
    folder = f"faults{uuid.uuid4().hex[:8]}"
    imap = dovecot.login()
    try:
        imap.create(folder)
    finally:
        imap.logout()
    with running_system(
        kafka_bootstrap,
        mongo_url,
        tmp_path / "logs",
        SIANG_INTAKE_EMAIL__HOST="127.0.0.1",
        SIANG_INTAKE_EMAIL__PORT=str(dovecot.port),
        SIANG_INTAKE_EMAIL__TLS="false",
        SIANG_INTAKE_EMAIL__USER=dovecot.account.user,
        SIANG_INTAKE_EMAIL__PASSWORD=dovecot.account.password,
        SIANG_INTAKE_EMAIL__FOLDER=folder,
        SIANG_INTAKE_EMAIL__POLL_SECONDS="2",
        SIANG_INTAKE_EMAIL__RETRY_SECONDS="0.5",
    ) as system:
        yield system, folder


def sender(i: int) -> str:
    return f"parent{i}@example.co.th"


def mail(i: int) -> bytes:
    """The i-th mail: a bounce every tenth, else a Thai complaint from its own address."""
    if i % 10 == 9:
        report = MIMEMultipart("report", report_type="delivery-status")
        report.attach(MIMEText(f"Delivery to someone{i}@example.com failed permanently."))
        report["From"] = "MAILER-DAEMON@mx.example.go.th"
        report["Subject"] = "Undelivered Mail Returned to Sender"
        report["Message-ID"] = make_msgid(domain="mx.example.go.th")
        return report.as_bytes()
    msg = MIMEText(f"ยังไม่ได้รับหนังสือรับรอง เรื่องที่ {i}", "plain", "tis-620")
    msg["Subject"] = Header(f"ขอหนังสือรับรอง {i}", "tis-620").encode()
    msg["From"] = formataddr((str(Header(f"ผู้ปกครอง {i}", "tis-620")), sender(i)))
    msg["To"] = "saraban@siang.local"
    msg["Message-ID"] = make_msgid(domain="example.co.th")
    return msg.as_bytes()


def flags(server: DovecotServer, folder: str) -> list[set[str]]:
    imap = server.login()
    try:
        imap.select(f'"{folder}"')
        _, data = imap.uid("fetch", "1:*", "(FLAGS)")
    finally:
        imap.logout()
    found = []
    for line in data:
        if isinstance(line, bytes) and (m := re.search(rb"FLAGS \(([^)]*)\)", line)):
            found.append(set(m.group(1).decode().split()))
    return found


def handled(server: DovecotServer, folder: str) -> int:
    return sum(
        bool(f & {"$Siang", "$SiangIgnored", "$SiangRefused"}) for f in flags(server, folder)
    )


def test_intake_sigkilled_mid_poll_loses_and_doubles_nothing(
    mail_system: tuple[System, str], dovecot: DovecotServer
) -> None:
    """60 mails delivered into the office's mailbox while intake, with its poller, is
    `kill -9`ed mid-poll: each complaint becomes exactly one case, the bounces none."""
    system, folder = mail_system
    intake = system.services["intake"]
    at_kill: list[int] = []
    delivered: list[int] = []

    def deliver_all() -> None:
        for i in range(MAILS):
            dovecot.deliver(mail(i), folder)
            delivered.append(i)
            time.sleep(0.05)  # a mail a little apart, as a morning's mail arrives

    def crash_and_restart() -> None:
        deadline = time.monotonic() + 60
        while handled(dovecot, folder) < MAILS // 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        at_kill.append(handled(dovecot, folder))
        intake.kill()
        at_kill.append(len(delivered))
        time.sleep(1)
        intake.start()
        intake.wait_ready()

    postman = threading.Thread(target=deliver_all)
    chaos = threading.Thread(target=crash_and_restart)
    postman.start()
    chaos.start()
    postman.join()
    chaos.join()
    done = wait_for(lambda: handled(dovecot, folder), MAILS)
    complaints = [i for i in range(MAILS) if i % 10 != 9]
    found = cases_of(system, "email")
    people = contacts(system, [str(c["person_id"]) for c in found if c.get("person_id")])
    per_sender = Counter(people.get(str(c.get("person_id")), {}).get("email") for c in found)
    marked = flags(dovecot, folder)
    log = intake.log.read_text(errors="replace")
    replayed = sum("received as" in line and "(again)" in line for line in log.splitlines())
    print(
        f"\nintake SIGKILL mid-poll: delivered {MAILS} mails ({len(complaints)} complaints, "
        f"{MAILS - len(complaints)} bounces); at the kill {at_kill[0]} handled of "
        f"{at_kill[1]} delivered; handled in the end {done}; cases found {len(found)} from "
        f"{len(per_sender)} senders, most cases for one mail {max(per_sender.values(), default=0)}; "
        f"bounces flagged ignored {sum('$SiangIgnored' in f for f in marked)}; mails read "
        f"again after a receipt their poller did not live to flag: {replayed}"
    )
    assert at_kill and 0 < at_kill[0] < MAILS, f"the kill was not mid-poll: {at_kill}"
    assert done == MAILS, f"{MAILS - done} mails never handled"
    assert len(found) == len(complaints), f"{len(found)} cases for {len(complaints)} complaints"
    assert set(per_sender) == {sender(i) for i in complaints}
    assert set(per_sender.values()) == {1}, per_sender
    assert sum("$SiangIgnored" in f for f in marked) == MAILS - len(complaints)
