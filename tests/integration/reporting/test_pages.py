"""The pages and the public figures on the real servers: the transparency page and JSON
have no personal data and suppress small cells; the dashboard needs a token, keeps staff
to their unit and names the notifications' channels in words; the ITA page prints; an
admin can rebuild, and so can the CLI; a malformed record is a dead letter and the
stream flows on."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from datetime import timedelta
from typing import Any

import orjson

from services.reporting.settings import ReportingSettings
from shared.contract import topics
from shared.contract.events import (
    CaseOpened,
    Channel,
    CloseReason,
    CloudEvent,
    Kind,
    Priority,
)
from shared.infra.auth import StaffRole
from shared.infra.settings import MongoSettings
from tests.integration.reporting.harness import Reporting, bearer
from tests.support import read_topic
from tests.unit.reporting.histories import T0, Case, event, notification

NAME, EMAIL, SUBJECT = "มาลี ใจงาม", "malee@example.com", "ครูใหญ่ตีนักเรียนที่ห้อง ป.4/2"
PERSON = "p-3f9a2c7e5b1d4a6c8e0f"


def opened(case_id: str, category: str, channel: Channel, at_day: int) -> CloudEvent[Any]:
    at = T0 + timedelta(days=at_day)
    return event(
        CaseOpened(
            case_id=case_id,
            submission_id=f"s-{case_id}",
            tracking_code=f"SG-{case_id.upper()}-9Q7Z",
            channel=channel,
            kind=Kind.complaint,
            category=category,
            unit="admin",
            priority=Priority.normal,
            subject=SUBJECT,
            received_at=at,
            # The complainant (NAME, EMAIL, 0812345678) as events name them: a reference.
            person_id=PERSON,
        ),
        at,
    )


def public_history() -> list[CloudEvent[Any]]:
    """15 cases: 7 documents (web), 6 service-quality (email), 2 school-admission (line)."""
    events = []
    spec = [("documents", Channel.web)] * 7 + [("service-quality", Channel.email)] * 6
    spec += [("school-admission", Channel.line)] * 2
    for i, (category, channel) in enumerate(spec):
        events.append(opened(f"p{i}", category, channel, i))
        if i % 2 == 0:
            events.append(Case(f"p{i}", T0 + timedelta(days=i + 1)).closed(CloseReason.resolved))
    return events


async def test_public_figures_have_no_personal_data_and_hide_small_cells(
    reporting: Reporting,
) -> None:
    events = public_history()
    await reporting.publish(events)
    await reporting.wait_applied(len(events))

    r = await reporting.http.get("/v1/public/transparency", params={"fiscal_year": 2570})
    assert r.status_code == 200
    body = r.json()
    assert body["received"] == 15 and body["completed"] == 8
    assert body["by_category"] == {
        "documents": 7,
        "school-admission": None,  # 2 cases: suppressed
        "service-quality": None,  # else 15 − 7 − 6 would give the 2 away
    }
    assert body["by_channel"] == {
        "web": 7,
        "line": None,
        "email": None,
        **{c: 0 for c in ("phone", "walk_in", "letter", "facebook", "open311", "api")},
    }
    page = await reporting.http.get("/transparency", params={"fiscal_year": 2570})
    assert page.status_code == 200 and "<svg" in page.text and "ไม่แสดง" in page.text
    english = await reporting.http.get("/transparency", params={"fiscal_year": 2570, "lang": "en"})
    assert "not shown" in english.text
    # Every channel the office has, used this year or not; none it does not have.
    for label in ("Walk-in", "Letter", "Facebook", "Open311", "Partner API"):
        assert label in english.text, label
    for text in (r.text, page.text, english.text):
        for personal in (NAME, EMAIL, "0812345678", PERSON, SUBJECT, "SG-P1-9Q7Z"):
            assert personal not in text, personal
        assert "<script" not in text and 'src="http' not in text


async def test_dashboard_ita_rebuild_and_dead_letters(
    reporting: Reporting, kafka_bootstrap: str
) -> None:
    events = public_history()
    await reporting.publish(events)
    await reporting.wait_applied(len(events))
    http = reporting.http

    committee = bearer(StaffRole.committee)
    token = committee["Authorization"].removeprefix("Bearer ")
    # The console's session cookie opens the pages (sign-in and its `next`: test_sign_in.py).
    http.cookies.set("siang_token", token)
    page = await http.get("/dashboard", params={"fiscal_year": 2570})
    http.cookies.clear()
    assert page.status_code == 200
    assert page.text.count("<svg") >= 4 and "รับเรื่อง" in page.text
    assert "<script" not in page.text and 'src="http' not in page.text
    english = await http.get(
        "/dashboard", params={"fiscal_year": 2570, "lang": "en"}, headers=committee
    )
    assert "Cases by channel" in english.text
    staff = await http.get(
        "/dashboard", params={"unit": "legal"}, headers=bearer(StaffRole.staff, "admin")
    )
    assert staff.status_code == 403

    ita = await http.get("/reports/ita", params={"fiscal_year": 2570}, headers=committee)
    assert ita.status_code == 200
    assert "รายงานสถิติเรื่องร้องเรียน ประจำปีงบประมาณ พ.ศ. 2570" in ita.text
    assert "1 ตุลาคม 2569" in ita.text and "30 กันยายน 2570" in ita.text

    refused = await http.post("/v1/admin/rebuild", headers=committee)
    assert refused.status_code == 403
    rebuilt = await http.post("/v1/admin/rebuild", headers=bearer(StaffRole.admin))
    assert rebuilt.status_code == 200 and rebuilt.json()["version"] == 2
    assert rebuilt.json()["events"] == len(events)
    summary = await http.get("/v1/reports/summary", headers=committee)
    assert summary.json()["summary"]["received"] == 15

    # A malformed record goes to the dead letters, the valid one behind it is applied.
    publisher = reporting.publisher
    await publisher.publish_raw(
        topic=topics.CASES, key="x", value=b'{"type": "nonsense"}', correlation_id=None
    )
    await reporting.publish([opened("late", "documents", Channel.web, 20)])
    await reporting.wait_applied(len(events) + 1)
    [letter] = await read_topic(
        kafka_bootstrap, publisher.topic(topics.dead_letters(topics.CASES)), 1
    )
    assert "unknown event type" in orjson.loads(letter.value)["error"]


async def test_the_dashboard_names_the_notification_channels_and_roles_in_words(
    reporting: Reporting,
) -> None:
    events = [opened("n1", "documents", Channel.web, 0)]
    events += [
        notification("n1", "email", at=T0 + timedelta(hours=1)),
        notification("n1", "line", failed=True, at=T0 + timedelta(hours=2)),
        notification("n1", "sms", at=T0 + timedelta(hours=3)),
    ]
    await reporting.publish(events)
    await reporting.wait_applied(len(events))
    committee = bearer(StaffRole.committee)
    tables = {}
    for lang in ("th", "en"):
        page = await reporting.http.get(
            "/dashboard", params={"fiscal_year": 2570, "lang": lang}, headers=committee
        )
        assert page.status_code == 200
        # Who is signed in, with the role in words too.
        assert ("คณะกรรมการ" if lang == "th" else "Committee member") in page.text
        assert "· committee" not in page.text
        tables[lang] = page.text.split('id="notifications"', 1)[1].split("</table>", 1)[0]
    cells = {lang: re.findall(r"<td>([^<]+)</td>", table) for lang, table in tables.items()}
    assert sorted(cells["th"]) == ["LINE", "SMS", "อีเมล"]
    assert sorted(cells["en"]) == ["E-mail", "LINE", "SMS"]
    for table in tables.values():
        assert ">email<" not in table and ">line<" not in table and ">sms<" not in table


async def test_rebuild_command(reporting: Reporting, mongo_settings: MongoSettings) -> None:
    events = public_history()
    await reporting.publish(events)
    await reporting.wait_applied(len(events))
    before = await reporting.snapshot()
    env = {
        **os.environ,
        "SIANG_MONGO_URL": mongo_settings.url,
        "SIANG_MONGO_DATABASE": mongo_settings.database,
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.reporting",
        "rebuild",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err.decode()
    stdout = out.decode()
    assert f"events={len(events)}" in stdout and "version=2" in stdout
    assert await reporting.snapshot() == before
    assert ReportingSettings().port == 8004
