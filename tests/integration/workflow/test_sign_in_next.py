"""The console's sign-in is every service's: signed in, the person goes back to the page
that sent them (`?next=`), on the console or on another service's configured origin,
and never to another site."""

from __future__ import annotations

from tests.integration.workflow.conftest import DEMO_PASSWORD, Workflow
from tests.integration.workflow.test_sessions import csrf_token

DASHBOARD = "http://127.0.0.1:8004/dashboard?fiscal_year=2569&lang=en"


async def _sign_in_with(workflow: Workflow, asked: str) -> str:
    """Where signing in at `/console/login?next=<asked>` leads (the 303's location)."""
    http = workflow.http
    http.cookies.clear()
    form = await http.get("/console/login", params={"next": asked})
    assert form.status_code == 200
    r = await http.post(
        "/console/login",
        data={
            "username": "admin",
            "password": DEMO_PASSWORD,
            "csrf_token": csrf_token(form.text),
            "next": asked,
        },
    )
    assert r.status_code == 303, r.text
    return r.headers["location"]


async def test_signing_in_goes_back_to_the_page_that_asked(workflow: Workflow) -> None:
    form = await workflow.http.get("/console/login", params={"next": DASHBOARD})
    # The form carries the way back, escaped, through the post.
    assert 'name="next" value="http://127.0.0.1:8004/dashboard?fiscal_year=2569&amp;lang=en"' in (
        form.text
    )
    # A browser holds the form's redirect to its form-action: the services' pages are in it.
    policy = form.headers["content-security-policy"]
    assert "form-action 'self' http://127.0.0.1:8001" in policy and "127.0.0.1:8004" in policy
    assert await _sign_in_with(workflow, DASHBOARD) == DASHBOARD
    assert await _sign_in_with(workflow, "/console/cases/x?lang=en") == "/console/cases/x?lang=en"
    # The console's own host, named in full, is one of the office's pages too.
    assert await _sign_in_with(workflow, "http://workflow/console?view=unit") == (
        "http://workflow/console?view=unit"
    )


ELSEWHERE = (
    "https://evil.example/console",
    "//evil.example/console",
    "/\\evil.example",
    "http://127.0.0.1:8004@evil.example/",
    "javascript:alert(1)",
    "http://127.0.0.1:9999/dashboard",
    "dashboard",
)


async def test_signing_in_never_leads_to_another_site(workflow: Workflow) -> None:
    for elsewhere in ELSEWHERE:
        form = await workflow.http.get("/console/login", params={"next": elsewhere})
        assert 'name="next"' not in form.text, elsewhere
        assert await _sign_in_with(workflow, elsewhere) == "/console", elsewhere
