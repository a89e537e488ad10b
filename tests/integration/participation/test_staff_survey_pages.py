"""The mission-survey staff pages as a coordinator uses them, on the real Kafka and
MongoDB-wire server, as a browser without JavaScript does (the console's cookie, each
form with its CSRF token): a draft created (Likert statements and free-text questions one
a line, English after `|`), opened, answered, personal links minted from a list of labels
(a page listing them with the same list as a CSV to download, or the CSV straight away;
each link answers once), and closed. Thai first, English with ?lang=en; a step the
survey is past is a 409 page, a bad field a 422 page naming it, and a member of staff who
does not run surveys reads them without the forms and is refused (403)."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, unquote, urlsplit

import httpx

from shared.infra import csrf
from shared.infra.auth import StaffRole
from tests.integration.participation.conftest import Participation, office_today
from tests.integration.participation.test_staff_work_pages import _browser, _location

STATEMENTS = "คุณภาพการสอน | Teaching quality\nความปลอดภัยในโรงเรียน\n\n"
LABELS = 'คุณมาลี ใจงาม (ป.3/1)\n=HYPERLINK("x")\n   \nโรงเรียนบ้านหนองบัว'


def _links(page: httpx.Response) -> list[tuple[str, str]]:
    rows = re.findall(r'<tr><td>([^<]*)</td><td><a href="([^"]+)" class="url">', page.text)
    return [(unescape(label), unescape(url)) for label, url in rows]


async def test_a_coordinator_runs_a_survey_from_the_pages(participation: Participation) -> None:
    p = participation
    today = office_today()
    away = await p.http.get("/staff/mission-surveys")  # nobody signed in: the console's sign-in
    assert away.status_code == 303 and "/console/login?next=" in away.headers["location"]
    cookies, token = _browser("policy.a", StaffRole.participation, "policy")
    p.http.cookies.update(cookies)

    listed = await p.http.get("/staff/mission-surveys")
    assert listed.status_code == 200 and "สร้างแบบสำรวจ (ร่าง)" in listed.text
    # The sections' row names the surveys beside the others, this one marked current.
    assert re.search(r'href="/staff/mission-surveys\?lang=th" aria-current="page"', listed.text)
    assert 'href="/staff/outcomes?lang=th">' in listed.text
    english = await p.http.get("/staff/mission-surveys", params={"lang": "en"})
    assert "Create a survey (draft)" in english.text and "Satisfaction surveys" in english.text

    form = {
        "title_th": "ความพึงพอใจของผู้ปกครองต่อการจัดการเรียนการสอน",
        "title_en": "Parents' satisfaction with teaching",
        "mission_item": "S2",
        "group": "parents",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=30)).isoformat(),
        "items": STATEMENTS,
        "questions": "ข้อเสนอแนะเพิ่มเติม | Anything else",
    }
    assert (await p.http.post("/staff/mission-surveys", data=form)).status_code == 403  # no CSRF
    form[csrf.FIELD] = token
    bad = await p.http.post("/staff/mission-surveys", data={**form, "closes_on": "2000-01-01"})
    assert bad.status_code == 422 and "closes_on" in bad.text
    assert "ความพึงพอใจของผู้ปกครองต่อการจัดการเรียนการสอน" in bad.text  # kept as typed
    empty = await p.http.post("/staff/mission-surveys", data={**form, "items": " \n "})
    assert empty.status_code == 422 and "items" in empty.text
    long = await p.http.post("/staff/mission-surveys", data={**form, "items": "ก" * 1001})
    assert long.status_code == 422 and "items.0.text_th" in long.text
    unknown = await p.http.post("/staff/mission-surveys", data={**form, "mission_item": "Z9"})
    assert unknown.status_code == 409 and "mission_item" in unknown.text

    url = _location(await p.http.post("/staff/mission-surveys", data=form))
    survey_id = url.rsplit("/", 1)[1]
    doc = await p.ctx.surveys.get(survey_id)
    assert doc["status"] == "draft"
    assert [(i["id"], i["text_th"], i.get("text_en")) for i in doc["items"]] == [
        ("i1", "คุณภาพการสอน", "Teaching quality"),
        ("i2", "ความปลอดภัยในโรงเรียน", None),
    ]
    assert [q["id"] for q in doc["questions"]] == ["q1"]
    page = await p.http.get(url)
    assert page.status_code == 200 and "ร่าง" in page.text and 'id="cmd-open"' in page.text
    assert "Teaching quality" in (await p.http.get(url, params={"lang": "en"})).text

    assert _location(await p.http.post(f"{url}/open", data={csrf.FIELD: token})) == url
    again = await p.http.post(f"{url}/open", data={csrf.FIELD: token})
    assert again.status_code == 409 and "open" in again.text
    assert (await p.http.post(f"{url}/reopen", data={csrf.FIELD: token})).status_code == 404
    page = await p.http.get(url)
    assert "เปิดรับคำตอบ" in page.text and 'id="cmd-close"' in page.text

    # Personal links: a label a line, blank lines skipped; the page lists each once.
    none = await p.http.post(f"{url}/links", data={csrf.FIELD: token, "recipients": " \n"})
    assert none.status_code == 422 and "recipients" in none.text
    minted = await p.http.post(f"{url}/links", data={csrf.FIELD: token, "recipients": LABELS})
    assert minted.status_code == 200, minted.text[:2000]
    assert minted.headers["cache-control"] == "no-store"
    links = _links(minted)
    assert [label for label, _ in links] == [
        "คุณมาลี ใจงาม (ป.3/1)",
        '=HYPERLINK("x")',
        "โรงเรียนบ้านหนองบัว",
    ]
    assert len({u for _, u in links}) == 3
    assert all(
        u.startswith(f"{p.ctx.settings.public_base_url.rstrip('/')}/mission-surveys/{survey_id}?t=")
        for _, u in links
    )
    # The same links as a CSV to download, for a mail merge: Thai readable in Excel,
    # a label that looks like a formula kept as text.
    href = unescape(re.search(r'id="csv" href="([^"]+)" download="([^"]+)"', minted.text)[1])
    assert href.startswith("data:text/csv;charset=utf-8,")
    rows = unquote(href.split(",", 1)[1]).split("\r\n")
    assert rows[0] == "\ufeffrecipient,url,expires_at"
    assert rows[1].startswith(f"คุณมาลี ใจงาม (ป.3/1),{links[0][1]},")
    assert rows[2].startswith(f'"\'=HYPERLINK(""x"")",{links[1][1]},')
    assert f'download="{survey_id}-links.csv"' in minted.text

    # A link answers once.
    link_token = parse_qs(urlsplit(links[0][1]).query)["t"][0]
    answer = {"scores": {"i1": 4, "i2": 5}, "texts": {"q1": "ดีมาก"}, "token": link_token}
    r = await p.http.post(f"/v1/public/mission-surveys/{survey_id}/responses", json=answer)
    assert r.status_code == 201, r.text
    r = await p.http.post(f"/v1/public/mission-surveys/{survey_id}/responses", json=answer)
    assert r.status_code == 409

    as_csv = await p.http.post(
        f"{url}/links", data={csrf.FIELD: token, "recipients": "ครูสมศรี", "format": "csv"}
    )
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.headers["cache-control"] == "no-store"
    assert f'filename="{survey_id}-links.csv"' in as_csv.headers["content-disposition"]
    assert as_csv.text.lstrip("\ufeff").splitlines()[1].startswith("ครูสมศรี,http")

    page = await p.http.get(url)
    assert "ดีมาก" in page.text  # the words, for staff
    assert re.search(r"ลิงก์ส่วนบุคคลที่ส่ง</th><td>4<", page.text)
    assert "คุณมาลี" not in page.text  # the labels were kept nowhere

    assert _location(await p.http.post(f"{url}/close", data={csrf.FIELD: token})) == url
    twice = await p.http.post(f"{url}/close", data={csrf.FIELD: token})
    assert twice.status_code == 409 and "closed" in twice.text
    late = await p.http.post(f"{url}/links", data={csrf.FIELD: token, "recipients": "x"})
    assert late.status_code == 409 and "closed" in late.text
    page = await p.http.get(url)
    assert "ปิดแล้ว" in page.text and 'id="mint-links"' not in page.text

    # A member of staff reads the surveys and is refused the forms.
    staff_cookies, staff_token = _browser("finance.a", StaffRole.staff, "finance")
    p.http.cookies.update(staff_cookies)
    listed = await p.http.get("/staff/mission-surveys")
    assert listed.status_code == 200 and "ความพึงพอใจของผู้ปกครอง" in listed.text
    assert 'id="new-survey"' not in listed.text
    shown = await p.http.get(url)
    assert shown.status_code == 200 and 'id="mint-links"' not in shown.text
    r = await p.http.post("/staff/mission-surveys", data={**form, csrf.FIELD: staff_token})
    assert r.status_code == 403
