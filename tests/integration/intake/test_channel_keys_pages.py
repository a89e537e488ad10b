"""Intake's channel-key pages on the real servers, signed in by the console's cookie: an
admin mints a key (its secret shown once, only its hash kept, who and when recorded),
the key submits, the admin revokes it after confirming, and the API refuses it at once
on this replica and, within the cache window, on another; staff get a 403 page, nobody
signed in is sent to the console's sign-in and back, a form without its token is 403."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from html import unescape
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from services.intake.adapters.api_keys import ApiKeys, CachedKeyCheck
from services.intake.domain.api_keys import InvalidApiKey, hash_key
from shared.contract.events import Channel
from shared.contract.tracking_pin import TrackingSettings
from shared.infra import csrf
from shared.infra.auth import AuthSettings, StaffRole, issue_token
from shared.infra.sessions import STAFF_COLLECTION
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.intake.test_tracking import BODY, Office, running
from tests.support import eventually

PAGE = "/admin/channel-keys"
ACCOUNTS = {
    "admin": StaffRole.admin,
    "legal.a": StaffRole.staff,
}


@pytest.fixture
async def intake(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> AsyncIterator[Office]:
    async with running(kafka_settings, mongo_settings, TrackingSettings(), workflow=False) as o:
        db = o.intake._transport.app.state.runtime.db  # type: ignore[attr-defined]
        await db[STAFF_COLLECTION].insert_many(
            [{"_id": i, "name": i, "role": r.value, "unit": None} for i, r in ACCOUNTS.items()]
        )
        yield o


def _signed_in(http: httpx.AsyncClient, staff_id: str) -> None:
    """The browser of `staff_id` signed in at the console (its cookie, sent to any port)."""
    token = issue_token(
        AuthSettings(), id=staff_id, name=staff_id, role=ACCOUNTS[staff_id], unit=None
    )
    http.cookies.clear()
    http.cookies.set("siang_token", token)


def _token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


async def test_an_admin_mints_and_revokes_a_key_and_the_api_refuses_it(intake: Office) -> None:
    http = intake.intake
    db = http._transport.app.state.runtime.db  # type: ignore[attr-defined]

    # Nobody signed in: to the console's sign-in, back here afterwards.
    away = await http.get(PAGE, params={"lang": "en"})
    assert away.status_code == 303
    parts = urlsplit(away.headers["location"])
    assert parts.path == "/console/login"
    assert parse_qs(parts.query)["next"] == ["http://intake/admin/channel-keys?lang=en"]

    # A member of staff signed in: this page is not theirs.
    _signed_in(http, "legal.a")
    refused = await http.get(PAGE, params={"lang": "en"})
    assert refused.status_code == 403 and "administrators" in refused.text
    assert "Sign in as someone else" in refused.text

    _signed_in(http, "admin")
    listed = await http.get(PAGE)
    assert listed.status_code == 200
    assert "กุญแจ API ของช่องทาง" in listed.text and "ยังไม่มีกุญแจ" in listed.text
    # Channels that take no key are not offered.
    for none in ('value="web"', 'value="phone"', 'value="walk_in"', 'value="letter"'):
        assert none not in listed.text
    token = _token(listed.text)

    no_token = await http.post(PAGE, data={"channel": "line", "label": "LINE OA gateway"})
    assert no_token.status_code == 403
    web = await http.post(PAGE, data={"channel": "web", "label": "x", "csrf_token": token})
    assert web.status_code == 422 and "ช่องทางนี้ไม่ใช้กุญแจ" in web.text
    blank = await http.post(
        PAGE, params={"lang": "en"}, data={"channel": "line", "label": "  ", "csrf_token": token}
    )
    assert blank.status_code == 422 and "Say who will hold the key" in blank.text

    made = await http.post(
        PAGE,
        params={"lang": "en"},
        data={"channel": "line", "label": "LINE OA gateway", "csrf_token": token},
    )
    assert made.status_code == 201 and made.headers["cache-control"] == "no-store"
    assert "it will not be shown again" in made.text
    found = re.search(r"(siang_([a-z0-9]{12})_[A-Za-z0-9_-]{43})", made.text)
    assert found, made.text
    key, key_id = found.group(1), found.group(2)
    stored = await db["api_keys"].find_one({"_id": key_id})
    assert stored is not None and stored["created_by"] == "admin"
    assert stored["key_hash"] == hash_key(key) and key not in str(stored)

    # The list names it (label, channel, who), never its secret.
    listed = await http.get(PAGE, params={"lang": "en"})
    assert "LINE OA gateway" in listed.text and key_id in listed.text
    assert key not in listed.text and "Active" in listed.text

    # The key submits as its channel; another replica has it cached meanwhile.
    sent = await http.post("/v1/submissions", json=BODY, headers={"X-API-Key": key})
    assert sent.status_code == 202, sent.text
    replica = CachedKeyCheck(ApiKeys(db), ttl=1.0)
    assert await replica.channel_of(key) is Channel.line

    # Revoking asks first, then does it.
    confirm = await http.get(f"{PAGE}/{key_id}/revoke", params={"lang": "en"})
    assert confirm.status_code == 200 and "cannot be undone" in confirm.text
    done = await http.post(
        f"{PAGE}/{key_id}/revoke", params={"lang": "en"}, data={"csrf_token": _token(confirm.text)}
    )
    assert done.status_code == 303
    after = await http.get(done.headers["location"])
    assert f"Key {key_id} revoked." in after.text
    assert re.search(r"Revoked [^<]+ by admin", unescape(after.text))
    stored = await db["api_keys"].find_one({"_id": key_id})
    assert stored is not None and stored["revoked_by"] == "admin" and stored["revoked_at"]

    # This replica refuses it at once; the other within its cache window.
    refused_key = await http.post("/v1/submissions", json=BODY, headers={"X-API-Key": key})
    assert refused_key.status_code == 401

    async def other_replica_refuses() -> bool | None:
        try:
            await replica.channel_of(key)
        except InvalidApiKey:
            return True
        return None

    await eventually(other_replica_refuses, timeout=10, what="the other replica refuses the key")
    again = await http.post(f"{PAGE}/{key_id}/revoke", data={"csrf_token": _token(after.text)})
    assert again.status_code == 404

    # Signed out at the console (the cookie deleted): a form posted is refused and the
    # page asks to sign in again.
    http.cookies.clear()
    http.cookies.set(csrf.COOKIE, "x")
    late = await http.post(PAGE, data={"channel": "line", "label": "x", "csrf_token": token})
    assert late.status_code == 401 and "console/login?next=" in late.text
