"""A complainant adds information or withdraws, through the one tracking door (the real
app factory, the handler on fakes): the API with the PIN in a header, the page with the
PIN posted; each change is in the outbox before the answer, once however often it is
sent, and a closed case refuses it with 409 in words a person reads."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from services.intake.domain.progress import PublicStep
from shared.contract.events import SubmissionFollowUp, SubmissionWithdrawn

from .test_track import T0
from .test_track_door import PIN, Door, door, opened

__all__ = ["door"]  # the fixture, shared with the tracking door's tests


async def info(door: Door, text: str, pin: str = PIN, **headers: str) -> httpx.Response:
    return await door.client.post(
        f"/v1/track/{door.record.tracking_code}/information",
        json={"text": text},
        headers={"X-Tracking-PIN": pin, **headers},
    )


async def test_added_information_is_in_the_outbox_before_the_202(door: Door) -> None:
    opened(door, status="awaiting_info")

    r = await info(door, "  ชื่อโรงเรียน: บ้านหนองบัว  ")

    assert r.status_code == 202, r.text
    assert r.json()["tracking_code"] == door.record.tracking_code
    [event] = door.office.follow_ups.outbox
    assert event.type == "th.go.siang.submission.follow_up.v1"
    assert event.subject == door.record.submission_id  # in order with its submission
    data = event.data
    assert isinstance(data, SubmissionFollowUp)
    assert (data.text, data.channel, data.submission_id) == (
        "ชื่อโรงเรียน: บ้านหนองบัว",
        "web",
        door.record.submission_id,
    )


async def test_the_same_request_twice_is_one_follow_up(door: Door) -> None:
    opened(door)
    first = await info(door, "เพิ่มเติม", **{"Idempotency-Key": "k-1"})
    again = await info(door, "เพิ่มเติม", **{"Idempotency-Key": "k-1"})

    assert first.status_code == again.status_code == 202
    assert again.json()["replayed"] is True and again.json()["id"] == first.json()["id"]
    assert len(door.office.follow_ups.outbox) == 1


async def test_bad_requests_name_what_is_wrong(door: Door) -> None:
    opened(door)
    code = door.record.tracking_code
    no_pin = await door.client.post(f"/v1/track/{code}/information", json={"text": "x"})
    assert no_pin.status_code == 422 and no_pin.json()["fields"][0]["field"] == "pin"
    empty = await info(door, "   ")
    assert empty.status_code == 422 and empty.json()["fields"][0]["field"] == "text"
    long = await info(door, "ก" * 5001)
    assert long.status_code == 422
    form = await door.client.post(
        f"/v1/track/{code}/information", content=b"text=x", headers={
            "X-Tracking-PIN": PIN, "Content-Type": "application/x-www-form-urlencoded"
        },
    )  # fmt: skip
    assert form.status_code == 415
    assert door.office.follow_ups.outbox == []


async def test_wrong_pins_on_a_change_count_toward_the_same_lock(door: Door) -> None:
    opened(door)
    for _ in range(5):
        wrong = await info(door, "x", pin="000000")
        assert wrong.status_code == 404
    locked = await info(door, "x")
    assert locked.status_code == 429 and locked.headers["retry-after"] == "900"
    assert (await door.api(PIN)).status_code == 429
    assert door.office.follow_ups.outbox == []


async def test_a_closed_case_takes_nothing_more(door: Door) -> None:
    opened(door, status="closed", close_reason="resolved")
    code = door.record.tracking_code

    added = await info(door, "ยังไม่ได้รับ", **{"Accept-Language": "en"})
    withdrawn = await door.client.post(
        f"/v1/track/{code}/withdrawal", json={}, headers={"X-Tracking-PIN": PIN}
    )

    assert added.status_code == 409 and added.json()["error"] == "case_closed"
    assert "closed" in added.json()["message"]
    assert withdrawn.status_code == 409 and "ปิดแล้ว" in withdrawn.json()["message"]
    assert door.office.follow_ups.outbox == []


async def test_withdrawing_once_and_only_while_work_is_to_do(door: Door) -> None:
    opened(door, status="assigned")
    code = door.record.tracking_code
    headers = {"X-Tracking-PIN": PIN}

    first = await door.client.post(
        f"/v1/track/{code}/withdrawal", json={"reason": "แก้ไขเองแล้ว"}, headers=headers
    )
    again = await door.client.post(f"/v1/track/{code}/withdrawal", headers=headers)
    added = await info(door, "x")

    assert first.status_code == 202
    [event] = door.office.follow_ups.outbox
    assert isinstance(event.data, SubmissionWithdrawn) and event.data.reason == "แก้ไขเองแล้ว"
    assert again.status_code == 409 and again.json()["error"] == "not_withdrawable_withdrawn"
    assert added.status_code == 409  # withdrawn: it takes no more information either


async def test_an_answered_case_cannot_be_withdrawn(door: Door) -> None:
    opened(door, status="resolved", public_answer="ออกหนังสือแล้ว")
    r = await door.client.post(
        f"/v1/track/{door.record.tracking_code}/withdrawal",
        headers={"X-Tracking-PIN": PIN, "Accept-Language": "en"},
    )
    assert r.status_code == 409 and "satisfaction survey" in r.json()["message"]


# ------------------------------------------------------------------------ the page


async def case_page(door: Door, lang: str = "th") -> httpx.Response:
    page = await door.page(PIN, lang=lang)
    assert page.status_code == 200, page.text
    return page


def form_of(page: httpx.Response, action: str) -> dict[str, str]:
    """The hidden fields of the form posting to `action`."""
    form = page.text.split(f'action="{action}', 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form))


async def test_the_page_adds_information_without_javascript_and_the_pin_stays_out_of_urls(
    door: Door,
) -> None:
    opened(
        door,
        status="awaiting_info",
        timeline=(
            PublicStep(at=T0, status="received", event="open", message=None),
            PublicStep(at=T0, status="awaiting_info", event="request_info", message="ขอชื่อโรงเรียน"),
            PublicStep(at=T0, status=None, event="add_info", message="บ้านหนองบัว"),
        ),
    )
    page = await case_page(door)
    code = door.record.tracking_code
    assert "รอข้อมูลเพิ่มเติม" in page.text and "ข้อมูลเพิ่มเติมจากท่าน" in page.text
    assert "<script" not in page.text
    for url in re.findall(r'(?:href|action)="([^"]*)"', page.text):
        assert "pin" not in url.lower() and PIN not in url
    fields = form_of(page, f"/track/{code}/information")
    assert fields["pin"] == PIN

    sent = await door.client.post(
        f"/track/{code}/information", data={**fields, "text": "ป.3 ห้อง 2"}
    )
    twice = await door.client.post(
        f"/track/{code}/information", data={**fields, "text": "ป.3 ห้อง 2"}
    )

    assert sent.status_code == 202 and "ได้รับข้อมูลเพิ่มเติมของท่านแล้ว" in sent.text
    assert twice.status_code == 202
    [event] = door.office.follow_ups.outbox  # the same form twice is one follow-up
    assert event.data.text == "ป.3 ห้อง 2"


async def test_a_form_without_this_browsers_token_changes_nothing(door: Door) -> None:
    opened(door)
    page = await case_page(door)
    code = door.record.tracking_code
    fields = form_of(page, f"/track/{code}/information")

    forged = await door.client.post(
        f"/track/{code}/information", data={**fields, "csrf_token": "0" * 64, "text": "x"}
    )
    other_browser = httpx.AsyncClient(transport=door.client._transport, base_url="http://intake")
    async with other_browser:
        stolen = await other_browser.post(
            f"/track/{code}/information", data={**fields, "text": "x"}
        )

    assert forged.status_code == 403 and stolen.status_code == 403
    assert door.office.follow_ups.outbox == []


async def test_the_page_withdraws_only_when_confirmed(door: Door) -> None:
    opened(door, status="in_progress")
    page = await case_page(door, lang="en")
    code = door.record.tracking_code
    fields = form_of(page, f"/track/{code}/withdrawal")
    assert "Withdraw" in page.text and "Add information" in page.text

    unconfirmed = await door.client.post(
        f"/track/{code}/withdrawal", params={"lang": "en"}, data={**fields, "reason": "fixed"}
    )
    assert unconfirmed.status_code == 422 and "Tick the box" in unconfirmed.text
    assert door.office.follow_ups.outbox == []

    done = await door.client.post(
        f"/track/{code}/withdrawal",
        params={"lang": "en"},
        data={**fields, "reason": "fixed", "confirm": "yes"},
    )
    assert done.status_code == 202 and "You have withdrawn this case" in done.text
    assert 'action="/track/' + code + "/withdrawal" not in done.text  # no second withdrawal
    assert len(door.office.follow_ups.outbox) == 1


async def test_a_closed_case_page_offers_no_forms(door: Door) -> None:
    opened(door, status="closed", close_reason="withdrawn", updated_at=T0 + timedelta(days=1))
    page = await case_page(door)
    assert "ผู้ยื่นเรื่องขอถอนเรื่อง" in page.text and "ไม่รับข้อมูลเพิ่มเติม" in page.text
    assert "/information" not in page.text and "/withdrawal" not in page.text


async def test_the_pin_is_not_read_from_a_url(door: Door) -> None:
    opened(door)
    page = await door.client.get(f"/track/{door.record.tracking_code}", params={"pin": PIN})
    assert page.status_code == 200 and 'name="pin"' in page.text
    assert "กลุ่มอำนวยการ" not in page.text  # the case is not shown: the PIN was ignored
