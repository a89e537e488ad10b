"""The mail catcher as `make dev` runs it: a process on free ports, real SMTP in, the
message back through `/messages`, the pages, and the `.eml` file on disk."""

from __future__ import annotations

import signal
import smtplib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest

from deploy.local import dev, mailbox

REPO = Path(__file__).resolve().parents[3]
SUBJECT = "[สพป.เชียงใหม่ เขต 1] ได้รับเรื่องร้องเรียนของท่านแล้ว รหัส SG-T8W5-4D4K-U89C"
TEXT = "เรียน คุณสมชาย ใจดี\n\nสำนักงานได้รับเรื่องของท่านแล้ว ติดตามได้ด้วยรหัส SG-T8W5-4D4K-U89C\n"
HTML = "<p>เรียน <b>คุณสมชาย ใจดี</b></p><script>alert(1)</script>"


@dataclass(frozen=True)
class Catcher:
    smtp_port: int
    web: str
    directory: Path
    process: subprocess.Popen[bytes]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def catcher(tmp_path: Path) -> Iterator[Catcher]:
    smtp_port, web_port = _free_port(), _free_port()
    directory = tmp_path / "mail"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "deploy.local.mailcatcher",
            "--smtp-port",
            str(smtp_port),
            "--web-port",
            str(web_port),
            "--dir",
            str(directory),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    web = f"http://127.0.0.1:{web_port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(f"{web}/readyz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        assert time.monotonic() < deadline, "the mail catcher did not start"
        time.sleep(0.1)
    yield Catcher(smtp_port, web, directory, process)
    if process.poll() is None:
        process.kill()
        process.wait()


def _send(port: int) -> None:
    msg = EmailMessage()
    msg["Subject"] = SUBJECT
    msg["From"] = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต 1 <saraban@example.go.th>"
    msg["To"] = "สมชาย ใจดี <somchai@example.com>"
    msg.set_content(TEXT)
    msg.add_alternative(HTML, subtype="html")
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.send_message(msg, to_addrs=["somchai@example.com", "triage.head@siang.invalid"])


def test_a_thai_multipart_mail_is_kept_and_readable(catcher: Catcher) -> None:
    _send(catcher.smtp_port)

    (message,) = httpx.get(f"{catcher.web}/messages").json()["messages"]
    assert message["subject"] == SUBJECT
    assert message["sender"].startswith("สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต 1")
    assert message["recipients"] == ["somchai@example.com", "triage.head@siang.invalid"]
    assert message["text"] == TEXT
    assert message["html"].startswith("<p>เรียน <b>คุณสมชาย ใจดี</b></p>")
    only = httpx.get(f"{catcher.web}/messages", params={"to": "TRIAGE.head@siang.invalid"}).json()
    assert [m["id"] for m in only["messages"]] == [message["id"]]
    assert httpx.get(f"{catcher.web}/messages", params={"to": "x@y.z"}).json()["messages"] == []

    (path,) = catcher.directory.glob("*.eml")
    assert path.name == message["file"]
    on_disk = mailbox.read_message(path.read_bytes(), path.name)
    assert on_disk.subject == SUBJECT
    assert on_disk.text == TEXT

    inbox = httpx.get(f"{catcher.web}/")
    assert SUBJECT in inbox.text
    page = httpx.get(f"{catcher.web}/view/{message['id']}")
    assert "คุณสมชาย ใจดี" in page.text
    assert "<script>alert(1)</script>" not in page.text
    frame = httpx.get(f"{catcher.web}/html/{message['id']}")
    assert frame.headers["content-security-policy"] == "sandbox"
    assert httpx.get(f"{catcher.web}/raw/{message['id']}").content == path.read_bytes()
    assert httpx.get(f"{catcher.web}/messages/{'0' * 12}").status_code == 404


def test_messages_list_newest_first_and_can_be_cleared(catcher: Catcher) -> None:
    for n in range(3):
        with smtplib.SMTP("127.0.0.1", catcher.smtp_port, timeout=10) as smtp:
            smtp.sendmail(
                "a@example.com", ["b@example.com"], f"Subject: ข้อความที่ {n}\r\n\r\n{n}\r\n".encode()
            )
    subjects = [m["subject"] for m in httpx.get(f"{catcher.web}/messages").json()["messages"]]
    assert subjects == ["ข้อความที่ 2", "ข้อความที่ 1", "ข้อความที่ 0"]
    assert httpx.delete(f"{catcher.web}/messages").json() == {"removed": 3}
    assert httpx.get(f"{catcher.web}/messages").json()["messages"] == []


def test_ctrl_c_stops_it_cleanly(catcher: Catcher) -> None:
    catcher.process.send_signal(signal.SIGINT)
    assert catcher.process.wait(timeout=10) == 0
    output = catcher.process.stdout.read().decode() if catcher.process.stdout else ""
    assert "Traceback" not in output
    assert "stopped" in output


def test_a_busy_port_is_named_with_its_variable(catcher: Catcher) -> None:
    ports = dev.ports_from({"SIANG_MAIL_SMTP_PORT": str(catcher.smtp_port)})
    assert (
        f"port {catcher.smtp_port} is in use; set SIANG_MAIL_SMTP_PORT to another port"
        in dev.busy(ports)
    )
