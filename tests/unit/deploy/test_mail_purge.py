"""The mail catcher forgets what an erasure names: the notices by their notification id,
or every message from or to an address (any case), and keeps everyone else's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from fastapi.testclient import TestClient

from deploy.local import mailbox
from deploy.local.mailcatcher import CatcherSettings, create_app
from services.notifications.adapters.channels.email_message import NOTIFICATION_ID_HEADER

AT = datetime(2026, 11, 27, 4, 2, 40, tzinfo=UTC)
OFFICE = "saraban@example.go.th"


def _store(
    directory: Path,
    to: str,
    *,
    notification_id: str | None = None,
    cc: str | None = None,
    n: int = 0,
) -> Path:
    msg = EmailMessage()
    msg["Subject"] = "[สพป.เชียงใหม่ เขต 1] ได้รับเรื่องของท่านแล้ว"
    msg["From"] = f"สพป. <{OFFICE}>"
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    if notification_id:
        msg[mailbox.NOTIFICATION_ID] = notification_id
    msg.set_content("เรียน คุณสมศรี")
    raw = mailbox.with_envelope(msg.as_bytes(), OFFICE, [to.rsplit("<", 1)[-1].rstrip(">")])
    return mailbox.store(directory, raw, AT + timedelta(seconds=n))


def _left(directory: Path) -> set[str]:
    return {p.name for p in directory.glob("*.eml")}


def test_the_notices_named_by_id_go_and_the_rest_stay(tmp_path: Path) -> None:
    notice = _store(tmp_path, "somsri@example.org", notification_id="nid-1", n=1)
    other_notice = _store(tmp_path, "somsri@example.org", notification_id="nid-2", n=2)
    neighbour = _store(tmp_path, "malee@example.org", notification_id="nid-3", n=3)

    assert mailbox.purge(tmp_path, notification_ids=["nid-1", "nid-unknown"]) == 1

    assert _left(tmp_path) == {other_notice.name, neighbour.name}
    assert not notice.exists()


def test_every_message_naming_an_address_goes_whatever_its_case(tmp_path: Path) -> None:
    to_her = _store(tmp_path, "สมศรี <Somsri@Example.org>", n=1)
    cc_her = _store(tmp_path, "malee@example.org", cc="SOMSRI@example.org", n=2)
    to_someone_else = _store(tmp_path, "somsri.k@example.org", n=3)
    (tmp_path / "notes.txt").write_text("somsri@example.org")  # not a message: untouched

    assert mailbox.purge(tmp_path, addresses=["somsri@EXAMPLE.org"]) == 2

    assert _left(tmp_path) == {to_someone_else.name}
    assert not to_her.exists() and not cc_her.exists()
    assert (tmp_path / "notes.txt").exists()


def test_a_purge_naming_nothing_deletes_nothing(tmp_path: Path) -> None:
    kept = _store(tmp_path, "somsri@example.org", notification_id="nid-1")
    assert mailbox.purge(tmp_path, notification_ids=[" "], addresses=[]) == 0
    assert mailbox.purge(tmp_path / "missing", addresses=["somsri@example.org"]) == 0
    assert _left(tmp_path) == {kept.name}


def test_the_purge_route_answers_how_many_and_refuses_an_empty_request(tmp_path: Path) -> None:
    _store(tmp_path, "somsri@example.org", notification_id="nid-1", n=1)
    _store(tmp_path, "somsri@example.org", notification_id="nid-2", n=2)
    kept = _store(tmp_path, "malee@example.org", notification_id="nid-3", n=3)
    client = TestClient(create_app(CatcherSettings("127.0.0.1", 1025, 8025, tmp_path)))

    empty = client.delete("/purge")
    assert empty.status_code == 422
    assert len(_left(tmp_path)) == 3

    r = client.delete("/purge", params=[("notification_id", "nid-1"), ("notification_id", "nid-2")])
    assert r.status_code == 200 and r.json() == {"removed": 2}
    assert _left(tmp_path) == {kept.name}
    assert client.get("/messages").json()["messages"][0]["recipients"] == ["malee@example.org"]


def test_the_catcher_looks_for_the_header_notifications_writes() -> None:
    assert mailbox.NOTIFICATION_ID == NOTIFICATION_ID_HEADER
