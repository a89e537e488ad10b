"""The mail catcher's pages: Thai shown as text, HTML from senders never inlined."""

from __future__ import annotations

from datetime import UTC, datetime

from deploy.local import mail_pages
from deploy.local.mailbox import StoredMessage

AT = datetime(2026, 11, 27, 4, 2, 40, tzinfo=UTC)


def _message(**changes: object) -> StoredMessage:
    fields: dict[str, object] = {
        "id": "0123456789ab",
        "file": "20261127T040240000000Z-0123456789ab.eml",
        "received_at": AT,
        "subject": "ได้รับเรื่องแล้ว <script>x</script>",
        "sender": "สพป. <saraban@example.go.th>",
        "recipients": ["somchai@example.com"],
        "date": AT,
        "text": "เรียน คุณสมชาย",
        "html": "<p onclick='steal()'>เรียน</p>",
    }
    fields.update(changes)
    return StoredMessage(**fields)  # type: ignore[arg-type]


def test_times_are_bangkok_with_the_buddhist_year() -> None:
    assert mail_pages.local_time(AT) == "2026-11-27 11:02:40 (พ.ศ. 2569)"


def test_the_inbox_lists_thai_subjects_escaped() -> None:
    page = mail_pages.inbox_page([_message()], smtp_port=1025, directory="/tmp/mail")
    assert "ได้รับเรื่องแล้ว &lt;script&gt;" in page
    assert "<script>x" not in page
    assert 'href="/view/0123456789ab"' in page
    assert "somchai@example.com" in page


def test_an_empty_inbox_says_so() -> None:
    assert "No mail yet" in mail_pages.inbox_page([], smtp_port=1025, directory="/tmp/mail")


def test_a_message_page_shows_text_and_frames_the_html() -> None:
    page = mail_pages.message_page(_message())
    assert "<pre>เรียน คุณสมชาย</pre>" in page
    assert '<iframe sandbox src="/html/0123456789ab"' in page
    assert "steal()" not in page


def test_a_message_without_bodies() -> None:
    page = mail_pages.message_page(_message(text=None, html=None, subject=""))
    assert "(no readable body)" in page
    assert "(no subject)" in page
