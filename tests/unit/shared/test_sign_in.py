"""Where the one sign-in sends people: back to the page that sent them, on this host or
another service's configured origin, never to another site."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from starlette.requests import Request

from shared.infra.auth import AuthSettings
from shared.infra.http import PAGE_POLICY
from shared.infra.sign_in import back_link, safe_next, sign_in_form_policy, sign_in_link

LOCAL = AuthSettings(secret="x" * 40)
PROXIED = AuthSettings(secret="x" * 40, sign_in_url="/console/login", page_origins=[])


def _request(path: str, query: str = "", host: str = "127.0.0.1:8004") -> Request:
    return Request(
        {
            "type": "http",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "query_string": query.encode(),
            "headers": [(b"host", host.encode())],
            "server": ("127.0.0.1", 8004),
        }
    )


def test_a_page_on_another_port_asks_to_come_back_by_its_full_address() -> None:
    link = sign_in_link(LOCAL, _request("/dashboard", "fiscal_year=2569&lang=en"))
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "http://127.0.0.1:8002/console/login"
    [back] = parse_qs(parts.query)["next"]
    assert back == "http://127.0.0.1:8004/dashboard?fiscal_year=2569&lang=en"
    assert safe_next(LOCAL, back) == back


def test_behind_one_host_the_way_back_is_a_path() -> None:
    assert back_link(PROXIED, _request("/admin/channel-keys", "lang=en").url) == (
        "/admin/channel-keys?lang=en"
    )
    assert sign_in_link(PROXIED, _request("/dashboard")) == "/console/login?next=%2Fdashboard"


def test_only_the_office_pages_are_followed() -> None:
    for fine in ("/dashboard", "/console/cases/1?lang=en", "http://127.0.0.1:8001/admin/x"):
        assert safe_next(LOCAL, fine) == fine
    assert safe_next(LOCAL, "https://siang.example/console", "https://siang.example") == (
        "https://siang.example/console"
    )
    for elsewhere in (
        None,
        "",
        "dashboard",
        "//evil.example/x",
        "/\\evil.example",
        "https://evil.example/",
        "http://127.0.0.1:8004@evil.example/",
        "http://127.0.0.1:9/",
        "javascript:alert(1)",
        "/dash\nboard",
        "/" + "a" * 2001,
    ):
        assert safe_next(LOCAL, elsewhere) is None, elsewhere


def test_the_sign_in_form_may_lead_on_to_the_services_pages_only() -> None:
    policy = sign_in_form_policy(LOCAL)
    [form_action] = [p for p in policy.split("; ") if p.startswith("form-action")]
    assert form_action == (
        "form-action 'self' http://127.0.0.1:8001 http://127.0.0.1:8002 "
        "http://127.0.0.1:8003 http://127.0.0.1:8004 http://127.0.0.1:8005"
    )
    assert sign_in_form_policy(PROXIED) == PAGE_POLICY
