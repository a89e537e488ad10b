"""Every answer carries the security headers; the API docs get a policy that lets them
load (Swagger UI and ReDoc come from a CDN and start with an inline script)."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from shared.infra.http import DOCS_POLICY, PAGE_POLICY, content_policy, install_security_headers


def app() -> FastAPI:
    app = FastAPI()
    install_security_headers(app)

    @app.get("/page", response_class=HTMLResponse)
    async def page() -> str:
        return "<p>hi</p>"

    @app.get("/boom")
    async def boom() -> None:
        from fastapi import HTTPException

        raise HTTPException(404)

    return app


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app()), base_url="http://x")


async def test_pages_errors_and_docs_carry_the_headers() -> None:
    async with client() as http:
        answers = {p: await http.get(p) for p in ("/page", "/boom", "/nowhere", "/docs")}
        answers["/redoc"] = await http.get("/redoc")
        answers["/openapi.json"] = await http.get("/openapi.json")
    for path, answer in answers.items():
        headers = answer.headers
        assert headers["x-frame-options"] == "DENY", path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "no-referrer", path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
    assert answers["/page"].headers["content-security-policy"] == PAGE_POLICY
    assert answers["/docs"].headers["content-security-policy"] == DOCS_POLICY


def test_pages_allow_no_inline_or_foreign_script() -> None:
    script = next(d for d in PAGE_POLICY.split("; ") if d.startswith("script-src"))
    assert script == "script-src 'self'"
    assert content_policy("/console/login") == PAGE_POLICY
    assert content_policy("/docs/oauth2-redirect") == DOCS_POLICY


async def test_the_docs_policy_lets_the_docs_load_what_they_load() -> None:
    async with client() as http:
        docs = (await http.get("/docs")).text + (await http.get("/redoc")).text
    for host in ("https://cdn.jsdelivr.net", "https://fonts.googleapis.com"):
        assert host in docs and host in DOCS_POLICY
