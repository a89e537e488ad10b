"""The public "how you can take part" page (`/missions`, seed measures 1.1 and 2.2) on the
real Kafka and MongoDB-wire server: per item of the year's plan, the stakeholder groups
involved, the practices, the channels with the office's contacts, the process, and what
is open for it now (a consultation, a mission survey) linked to its page; Thai first,
English with ?lang=en, no JavaScript, linked from the home and "you said, we did" pages.
A plan saved before items said any of this still loads; an unknown group, practice or
channel is refused naming the field, through the API and the staff form alike."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from shared.infra import csrf
from shared.infra.auth import AuthSettings, StaffRole, issue_token
from shared.thai.fiscal import fiscal_year
from tests.integration.participation.conftest import Participation, office_today
from tests.integration.participation.test_mission_surveys import opened_survey

OLD_YEAR = 2580  # a year no shipped plan covers: its plan is written as an older Siang did


class _Links(HTMLParser):
    """Every link of a page: its attributes (in whatever order they are written) and
    its text, as a reader meets them."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[dict[str, str], str]] = []
        self._open: dict[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open, self._text = {k: v or "" for k, v in attrs}, []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            self.links.append((self._open, "".join(self._text).strip()))
            self._open = None


def links(page: str) -> list[tuple[dict[str, str], str]]:
    parser = _Links()
    parser.feed(page)
    return parser.links


def section(page: str, code: str) -> str:
    """The part of the page about one item (up to the next item's)."""
    found = re.search(rf'<section class="card item" id="item-{code}">(.*?)</section>', page, re.S)
    assert found, f"no section for {code}"
    return found.group(1)


async def test_the_page_shows_each_items_groups_practices_and_what_is_open(
    participation: Participation,
) -> None:
    p = participation
    year = fiscal_year(office_today())
    cid = await p.opened()  # about S2
    survey_id = await opened_survey(p)  # about S2, for parents
    elsewhere = await p.opened(mission_item="M1", topic_th="แผนพัฒนาคุณภาพการศึกษา")

    page = await p.http.get("/missions")
    assert page.status_code == 200 and "<script" not in page.text
    assert "ช่องทางและวิธีการมีส่วนร่วมตามพันธกิจ" in page.text
    s2 = section(page.text, "S2")
    # The shipped plan's words for S2: its groups, practices and channels, by name.
    assert "ครูและบุคลากรทางการศึกษา" in s2 and "ผู้ปกครองนักเรียน" in s2
    assert "การรับฟังความคิดเห็น" in s2 and "การสำรวจความพึงพอใจ" in s2
    assert "การรับเรื่องร้องเรียนและข้อเสนอแนะ" not in s2  # not one of S2's practices
    assert "mailto:saraban@example.go.th" in s2 and 'href="http://127.0.0.1:8001/"' in s2
    assert "รับฟังความคิดเห็นต่อแนวทางยกระดับผลสัมฤทธิ์" in s2
    # What is open for S2 now, linked; M1's consultation is under M1 only.
    assert f'href="/consultations/{cid}?lang=th"' in s2 and "อาหารกลางวันในโรงเรียนขนาดเล็ก" in s2
    assert f'href="/mission-surveys/{survey_id}?lang=th"' in s2
    assert elsewhere not in s2 and elsewhere in section(page.text, "M1")
    assert "ขณะนี้ไม่มีเรื่องที่เปิดรับ" in section(page.text, "S4")
    assert f'href="/you-said-we-did?fiscal_year={year}&amp;lang=th"' in page.text
    assert f"/transparency/participation?fy={year}&amp;lang=th" in page.text

    english = await p.http.get("/missions", params={"lang": "en", "fy": year})
    s2_en = section(english.text, "S2")
    assert "How you can take part in the office&#39;s mission" in english.text
    assert "Parents and guardians" in s2_en and "Satisfaction survey" in s2_en
    assert "Lunches in small schools" in s2_en and f"/consultations/{cid}?lang=en" in s2_en
    # The switch to Thai: a link in Thai words to this page in Thai, for the same year.
    to_thai = [
        (urlsplit(a["href"]), text) for a, text in links(english.text) if a.get("lang") == "th"
    ]
    assert [(u.path, parse_qs(u.query), text) for u, text in to_thai] == [
        ("/missions", {"fy": [str(year)], "lang": ["th"]}, "ภาษาไทย")
    ]

    # The consultation closes: it is no longer offered.
    assert (await p.command(cid, "close")).status_code == 200
    after = section((await p.http.get("/missions")).text, "S2")
    assert f"/consultations/{cid}" not in after and f"/mission-surveys/{survey_id}" in after

    for linked_from in ("/", "/you-said-we-did"):
        assert 'href="/missions?lang=th"' in (await p.http.get(linked_from)).text
    none = await p.http.get("/missions", params={"fy": 2590})
    assert none.status_code == 200 and "ยังไม่มีพันธกิจและยุทธศาสตร์ของปีงบประมาณนี้" in none.text


async def test_a_plan_without_the_new_fields_loads_and_bad_ones_are_refused(
    participation: Participation,
) -> None:
    p = participation
    admin = p.auth("admin")
    coordinator = p.auth("policy.a")
    # As a plan was stored before items said how stakeholders take part in them.
    old = {"code": "X1", "kind": "mission", "name_th": "ภารกิจเดิม", "name_en": "Old", "active": True}
    await p.ctx.plans.plans.insert_one({"_id": OLD_YEAR, "items": [old], "updated_by": "admin"})

    r = await p.http.get(f"/v1/missions/{OLD_YEAR}", headers=admin)
    assert r.status_code == 200
    assert r.json()["items"][0] | {} == {
        **old,
        "groups": [],
        "practices": [],
        "channels": [],
        "process_th": None,
        "process_en": None,
    }
    page = await p.http.get("/missions", params={"fy": OLD_YEAR})
    assert page.status_code == 200 and "ยังไม่ได้กำหนด" in section(page.text, "X1")

    url = f"/v1/missions/{OLD_YEAR}/items/X1"
    r = await p.http.put(url, json={**old, "groups": ["parents", "aliens"]}, headers=coordinator)
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "groups"
    assert "aliens" in r.json()["error"]["message"]
    for field, value in (("practices", ["petition"]), ("channels", ["api"])):
        r = await p.http.put(url, json={**old, field: value}, headers=coordinator)
        assert r.status_code == 422, r.text
        assert r.json()["error"]["details"]["fields"][0]["field"].startswith(f"body.{field}")
    whole = {"fiscal_year": OLD_YEAR, "items": [old, {**old, "code": "X2", "groups": ["x"]}]}
    r = await p.http.put(f"/v1/missions/{OLD_YEAR}", json=whole, headers=admin)
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "items.1.groups"

    said = {
        **old,
        "groups": ["community", "parents"],
        "practices": ["committee", "complaints"],
        "channels": ["line", "walk_in"],
        "process_th": "ประชุมประชาคมทุกไตรมาส",
        "process_en": "A community forum every quarter",
    }
    r = await p.http.put(url, json=said, headers=coordinator)
    assert r.status_code == 200, r.text
    shown = section((await p.http.get("/missions", params={"fy": OLD_YEAR})).text, "X1")
    assert "ชุมชนและประชาชนทั่วไป" in shown and "คณะกรรมการผู้แทนผู้มีส่วนได้ส่วนเสีย" in shown
    assert "มาด้วยตนเอง" in shown and "ประชุมประชาคมทุกไตรมาส" in shown

    # The staff form: ticked boxes, the same checks.
    token = issue_token(
        AuthSettings(), id="policy.a", name="ผู้ใช้", role=StaffRole.participation, unit="policy"
    )
    nonce = csrf.new_nonce()
    p.http.cookies.update({"siang_token": token, csrf.COOKIE: nonce})
    form_token = csrf.form_token(AuthSettings().secret, nonce, token)
    edit = await p.http.get(f"/staff/missions/{OLD_YEAR}/items/X1")
    assert 'name="practices" value="committee" checked' in edit.text
    form: dict[str, str | list[str]] = {
        csrf.FIELD: form_token,
        "kind": "mission",
        "name_th": "ภารกิจเดิม",
        "name_en": "Old",
        "groups": ["teachers"],
        "practices": ["survey", "review"],
        "channels": ["email"],
        "process_th": "สำรวจทุกภาคเรียน",
        "process_en": "",
    }
    r = await p.http.post(f"/staff/missions/{OLD_YEAR}/items/X1", data=form)
    assert r.status_code == 303, r.text[:2000]
    item = (await p.ctx.plans.get(OLD_YEAR)).item("X1")  # type: ignore[union-attr]
    assert item is not None and item.groups == ("teachers",)
    assert [v.value for v in item.practices] == ["review", "survey"]
    assert item.process_th == "สำรวจทุกภาคเรียน" and item.process_en is None
    bad = await p.http.post(
        f"/staff/missions/{OLD_YEAR}/items/X1", data={**form, "groups": ["teachers", "aliens"]}
    )
    assert bad.status_code == 422 and "groups" in bad.text
