"""The dashboard takes the console's sign-in: its session cookie opens the pages (nothing
to paste), nobody signed in is sent to the console's sign-in and back, a role the page is
not for gets a 403 page, and API clients keep their bearer header."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlsplit

from shared.infra.auth import StaffRole
from shared.infra.sessions import STAFF_COLLECTION
from tests.integration.reporting.harness import Reporting, bearer, staff_id

SIGN_IN = "http://127.0.0.1:8002/console/login"


def _next_of(location: str) -> str:
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == SIGN_IN, location
    [back] = parse_qs(parts.query)["next"]
    return back


async def test_the_console_cookie_opens_the_dashboard_and_nobody_is_sent_to_sign_in(
    reporting: Reporting,
) -> None:
    http = reporting.http
    # Nobody signed in: to the console's sign-in, which is asked to come back here.
    r = await http.get("/dashboard", params={"fiscal_year": 2570, "lang": "en"})
    assert r.status_code == 303
    assert _next_of(r.headers["location"]) == (
        "http://reporting/dashboard?fiscal_year=2570&lang=en"
    )
    ita = await http.get("/reports/ita")
    assert ita.status_code == 303 and _next_of(ita.headers["location"]).endswith("/reports/ita")
    # The old paste-a-token address leads to the same sign-in, back to the dashboard.
    old = await http.get("/dashboard/sign-in", params={"lang": "en"})
    assert old.status_code == 303
    assert _next_of(old.headers["location"]) == "http://reporting/dashboard?lang=en"
    assert (await http.post("/dashboard/sign-in", data={"token": "x"})).status_code == 405

    # The console's cookie, as the browser sends it to every port of the host.
    admin = bearer(StaffRole.admin)["Authorization"].removeprefix("Bearer ")
    http.cookies.set("siang_token", admin)
    page = await http.get("/dashboard", params={"fiscal_year": 2570, "lang": "en"})
    assert page.status_code == 200 and "Cases by channel" in page.text
    bookmark = await http.get("/dashboard/sign-in")
    assert bookmark.status_code == 303
    assert bookmark.headers["location"] == "http://reporting/dashboard?lang=th"

    # Signed in, but the unit is not theirs: a page that says so, and how to sign in anew.
    staff = bearer(StaffRole.staff, "admin")["Authorization"].removeprefix("Bearer ")
    http.cookies.set("siang_token", staff)
    refused = await http.get("/dashboard", params={"unit": "legal"})
    assert refused.status_code == 403
    assert "text/html" in refused.headers["content-type"]
    assert "admin only" in refused.text and "console/login?next=" in refused.text

    # Signed out everywhere (the account's sessions ended): the cookie no longer opens it.
    await reporting.ctx.store.db[STAFF_COLLECTION].update_one(
        {"_id": staff_id(StaffRole.admin, None)}, {"$inc": {"session_version": 1}}
    )
    http.cookies.set("siang_token", admin)
    ended = None
    for _ in range(50):  # the account is re-read within SIANG_AUTH_SESSION_CHECK_SECONDS
        ended = await http.get("/dashboard")
        if ended.status_code == 303:
            break
        await asyncio.sleep(0.1)
    assert ended is not None and ended.status_code == 303
    http.cookies.clear()

    # API clients keep the bearer header; without one the API answers 401 in JSON.
    api = await http.get(
        "/v1/reports/summary", params={"fiscal_year": 2570}, headers=bearer(StaffRole.committee)
    )
    assert api.status_code == 200
    bare = await http.get("/v1/reports/summary")
    assert bare.status_code == 401 and bare.json()["error"]["code"] == "unauthorised"
