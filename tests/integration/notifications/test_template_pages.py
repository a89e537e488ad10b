"""Notifications' template previews, signed in by the console's cookie: an admin sees
every template listed by who receives it and on which channels, and each one rendered
from the sample case in Thai (B.E. dates) and English (C.E.), as an e-mail (subject,
text, HTML), a LINE/Messenger text and an SMS with the messages it costs; staff get a 403
page and nobody signed in is sent to the console's sign-in and back."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import httpx

from services.notifications.domain.notice import TemplateName
from shared.infra.auth import AuthSettings, StaffRole, issue_token
from tests.integration.notifications.conftest import Service

PAGE = "/admin/templates"


def _cookie(staff_id: str, role: StaffRole) -> dict[str, str]:
    return {"siang_token": issue_token(AuthSettings(), id=staff_id, name="x", role=role, unit=None)}


async def test_an_admin_previews_every_template_in_both_languages(service: Service) -> None:
    await service.db["staff"].insert_one(
        {"_id": "admin", "name": "ผู้ดูแลระบบ", "role": "admin", "unit": None, "active": True}
    )
    transport = httpx.ASGITransport(app=service.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://notifications") as http:
        away = await http.get(PAGE, params={"lang": "en"})
        assert away.status_code == 303
        parts = urlsplit(away.headers["location"])
        assert parts.path == "/console/login"
        assert parse_qs(parts.query)["next"] == ["http://notifications/admin/templates?lang=en"]

        http.cookies.update(_cookie("promotion.a", StaffRole.staff))
        refused = await http.get(f"{PAGE}/case_received", params={"lang": "en"})
        assert refused.status_code == 403 and "administrators" in refused.text

        http.cookies.update(_cookie("admin", StaffRole.admin))
        listed = await http.get(PAGE)
        assert listed.status_code == 200 and "แม่แบบข้อความแจ้งเตือน" in listed.text
        for template in TemplateName:
            assert f'href="/admin/templates/{template.value}"' in listed.text
        english = await http.get(PAGE, params={"lang": "en"})
        row = re.search(r"Case received</a>.*?</tr>", english.text, re.S)
        assert row and "The complainant" in row.group(0)
        assert "E-mail, LINE, Messenger, SMS" in row.group(0)
        row = re.search(r"Case assigned</a>.*?</tr>", english.text, re.S)
        assert row and "The officer in charge" in row.group(0) and "SMS" not in row.group(0)

        page = await http.get(f"{PAGE}/case_received", params={"lang": "en"})
        assert page.status_code == 200
        text = unescape(page.text)
        # Both languages: the Thai letter with B.E. dates, the English one with C.E.
        assert "ได้รับเรื่องร้องเรียนของท่านแล้ว" in text and "We have received your complaint" in text
        assert re.search(r"25[6-9]\d", text) and re.search(r"20[2-9]\d", text)
        assert "SG-7K2P-9QXM" in text
        # The SMS shows what it costs: Thai is UCS-2 and takes more than one message.
        costs = re.findall(r'<p class="sms-cost">([^<]+)</p>', page.text)
        assert len(costs) == 2, costs
        assert re.fullmatch(r"\d+ characters · UCS-2 · [2-9] SMS", costs[0]), costs[0]
        assert re.fullmatch(r"\d+ characters · GSM-7 · 1 SMS", costs[1]), costs[1]

        staff_only = await http.get(f"{PAGE}/sla_breached")
        assert staff_only.status_code == 200 and "sms-cost" not in staff_only.text

        mail = await http.get(f"{PAGE}/case_resolved/email", params={"language": "th"})
        assert mail.status_code == 200 and mail.text.startswith("<!DOCTYPE html>")
        assert "/survey/" in mail.text  # the resolved letter carries its survey link

        assert (await http.get(f"{PAGE}/no_such_template")).status_code == 404
        bad = await http.get(f"{PAGE}/case_received/email", params={"language": "fr"})
        assert bad.status_code == 404
