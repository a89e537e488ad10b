"""What a mail to the office becomes: raw messages as Thai mail clients, mail servers and
autoresponders write them, read by the pure domain (`domain/email_message.py`)."""

from __future__ import annotations

from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr

from services.intake.domain.email_message import (
    Verdict,
    html_to_text,
    read_mail,
    submission_body,
)
from services.intake.domain.submission import parse_submission
from services.intake.domain.tracking import new_tracking_code
from shared.contract.catalogue import load_catalogue
from shared.contract.events import ComplaintType, Kind, Language

THAI = "ดิฉันยื่นขอหนังสือรับรองการทำงาน ยังไม่ได้รับค่ะ"


def _thai_mail(charset: str = "tis-620", **headers: str) -> bytes:
    msg = MIMEText(THAI, "plain", charset)
    msg["Subject"] = Header("ขอหนังสือรับรอง", charset).encode()
    msg["From"] = formataddr((str(Header("สมหญิง ใจงาม", charset)), "Somying@Example.co.th"))
    msg["To"] = "saraban@siang.local"
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    return msg.as_bytes()


def test_a_tis620_mail_is_a_submission_in_thai_from_its_sender() -> None:
    raw = _thai_mail()
    assert THAI.encode("tis-620") not in raw  # on the wire it is quoted-printable or base64
    mail = read_mail(raw)
    assert mail.verdict is Verdict.submission
    assert mail.sender_name == "สมหญิง ใจงาม"
    assert mail.sender_address == "somying@example.co.th"
    assert mail.subject == "ขอหนังสือรับรอง"
    assert mail.text == THAI
    assert mail.language is Language.th


def test_windows_874_and_an_undeclared_8bit_body_are_decoded_too() -> None:
    declared = (
        b"From: a@example.co.th\r\nSubject: x\r\nContent-Type: text/plain; charset=windows-874\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + THAI.encode("cp874")
    )
    undeclared = (
        b"From: a@example.co.th\r\nSubject: x\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + THAI.encode("tis-620")
    )
    assert read_mail(declared).text == THAI
    assert read_mail(undeclared).text == THAI


def test_an_html_only_mail_is_read_as_its_text() -> None:
    html = "<html><head><style>p{}</style></head><body><p>ถนน&nbsp;ชำรุด</p><p>หน้าโรงเรียน<br>ซอย 5</p><script>x()</script></body></html>"
    msg = MIMEText(html, "html", "utf-8")
    msg["From"] = "b@example.com"
    msg["Subject"] = "road"
    mail = read_mail(msg.as_bytes())
    assert mail.text == "ถนน ชำรุด\n\nหน้าโรงเรียน\nซอย 5"
    assert "x()" not in html_to_text(html) and "p{}" not in html_to_text(html)


def test_a_bounce_is_ignored() -> None:
    report = MIMEMultipart("report", report_type="delivery-status")
    report.attach(MIMEText("Delivery to somchai@example.com failed permanently."))
    report["From"] = "Mail Delivery Subsystem <MAILER-DAEMON@mx.example.go.th>"
    report["Subject"] = "Undelivered Mail Returned to Sender"
    assert read_mail(report.as_bytes()).verdict is Verdict.ignored
    assert read_mail(report.as_bytes()).reason == "bounce"
    # A bounce as some servers send it: plain, but with the empty envelope sender.
    plain = _thai_mail(Return_Path="<>")
    assert read_mail(plain).reason == "bounce"


def test_auto_replies_mailing_lists_and_siangs_own_notices_are_ignored() -> None:
    assert read_mail(_thai_mail(Auto_Submitted="auto-replied")).reason == "auto-reply"
    assert read_mail(_thai_mail(X_Autoreply="yes")).reason == "auto-reply"
    assert read_mail(_thai_mail(Precedence="bulk")).reason == "bulk or auto-reply"
    assert read_mail(_thai_mail(List_Id="<news.example.co.th>")).reason == "mailing list"
    assert read_mail(_thai_mail(X_Siang_Notification_Id="n-1")).reason == "from Siang"
    own = read_mail(_thai_mail(), own_addresses={"somying@example.co.th"})
    assert own.verdict is Verdict.ignored and own.reason == "from Siang"
    # A person's mail that says it is not automatic is taken.
    assert read_mail(_thai_mail(Auto_Submitted="no")).verdict is Verdict.submission


def test_a_reply_quoting_a_tracking_code_is_a_follow_up_in_its_own_words() -> None:
    code = new_tracking_code()
    body = (
        "ยังไม่ได้รับเอกสารเลยค่ะ\n\n"
        "เมื่อ วันจันทร์ที่ 3 มี.ค. 2568 สำนักงาน <saraban@siang.local> เขียนว่า:\n"
        f"> เรื่องของท่านเลขที่ {code} อยู่ระหว่างดำเนินการ\n"
    )
    msg = MIMEText(body, "plain", "utf-8")
    msg["From"] = "somying@example.co.th"
    msg["Subject"] = "Re: ความคืบหน้าเรื่องร้องเรียน"
    mail = read_mail(msg.as_bytes())
    assert mail.verdict is Verdict.follow_up
    assert mail.tracking_code == code
    assert mail.text == "ยังไม่ได้รับเอกสารเลยค่ะ"
    # Lower case, without dashes, in the subject: the same code.
    compact = code.replace("-", "").lower()
    other = read_mail(_thai_mail().replace(b"Subject: ", f"Subject: {compact} ".encode(), 1))
    assert other.tracking_code == code


def test_a_code_with_a_wrong_check_symbol_is_no_follow_up() -> None:
    code = new_tracking_code()
    wrong = code[:-1] + ("2" if code[-1] != "2" else "3")
    msg = MIMEText(f"เรื่อง {wrong}", "plain", "utf-8")
    msg["From"] = "a@example.co.th"
    assert read_mail(msg.as_bytes()).verdict is Verdict.submission


def test_malformed_mail_is_refused_with_the_reason() -> None:
    assert read_mail(b"").reason == "empty message"
    assert read_mail(b"not a mail at all").reason == "no sender address to answer"
    no_address = b"From: somebody\r\nSubject: hi\r\n\r\nhello"
    assert read_mail(no_address).verdict is Verdict.refused
    nothing = b"From: a@example.co.th\r\nSubject: \r\n\r\n   \r\n"
    assert read_mail(nothing).reason == "nothing written"


def test_attachments_are_carried_with_their_bytes() -> None:
    msg = MIMEMultipart()
    msg["From"] = "a@example.co.th"
    msg["Subject"] = "รูปถนน"
    msg.attach(MIMEText("ตามรูปแนบ", "plain", "utf-8"))
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 50
    msg.attach(MIMEApplication(jpeg, "octet-stream", Name="road.jpg"))
    mail = read_mail(msg.as_bytes())
    assert mail.text == "ตามรูปแนบ"
    [photo] = mail.attachments
    assert photo.data == jpeg


def test_the_submission_a_mail_makes_is_valid_and_names_its_sender() -> None:
    catalogue = load_catalogue(None)
    mail = read_mail(_thai_mail())
    body = submission_body(
        mail, kind=Kind.complaint, complaint_type=ComplaintType.service, category="other"
    )
    request = parse_submission(body, catalogue)
    assert request.subject == "ขอหนังสือรับรอง" and request.description == THAI
    assert request.contact is not None and request.contact.email == "somying@example.co.th"
    assert request.consent.contact_me
    # No subject: the first line stands in; a very long body is clipped, not refused.
    long = read_mail(b"From: a@example.co.th\r\n\r\n" + ("x" * 20_000).encode())
    long_body = submission_body(long, kind=Kind.question, complaint_type=None, category="other")
    assert parse_submission(long_body, catalogue).subject.endswith("…")
