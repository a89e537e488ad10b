"""What every service's HTTP app has: the correlation-id and security-header
middlewares, `/healthz`, `/readyz` (Kafka and MongoDB checked for real) and `/metrics`."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from fastapi import APIRouter, FastAPI, Response
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.infra import correlation
from shared.infra.metrics import ServiceMetrics, instrument

ReadinessCheck = Callable[[], Awaitable[bool]]


class _Correlate:
    """Takes the caller's correlation id (or makes one) for the request's context and
    returns it on the answer. Plain ASGI: see `shared.infra.metrics._Measure`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cid = correlation.accept(Headers(scope=scope).get(correlation.HTTP_HEADER))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[correlation.HTTP_HEADER] = cid
            await send(message)

        token = correlation.set_current(cid)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            correlation.reset(token)


def install_correlation(app: FastAPI) -> None:
    app.add_middleware(_Correlate)


#: Siang's pages run no script and load nothing from elsewhere; their styles are inline
#: `<style>` blocks and attributes (the only inline content allowed).
PAGE_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    )
)
#: FastAPI's /docs (Swagger UI) and /redoc load their scripts, styles and fonts from CDNs
#: and start with an inline script: they get this policy instead of breaking.
DOCS_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net",
        "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com",
        "font-src 'self' data: https://fonts.gstatic.com",
        "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly",
        "worker-src 'self' blob:",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    )
)
DOCS_PATHS = ("/docs", "/redoc")
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # Tracking codes and survey tokens travel in URLs: no other site may see them.
    "Referrer-Policy": "no-referrer",
}


def content_policy(path: str) -> str:
    """The Content-Security-Policy of an answer to `path`."""
    return DOCS_POLICY if path.startswith(DOCS_PATHS) else PAGE_POLICY


class _SecurityHeaders:
    """Sets the security headers on every answer, pages and API alike (an API answer
    opened in a browser is a page too). Plain ASGI: see `shared.infra.metrics._Measure`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = content_policy(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", policy)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_security_headers(app: FastAPI) -> None:
    app.add_middleware(_SecurityHeaders)


def health_router(
    service: str,
    metrics: ServiceMetrics,
    checks: Mapping[str, ReadinessCheck],
    timeout: float = 3.0,
) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": service}

    @router.get("/readyz", summary="Kafka and MongoDB answer", response_class=JSONResponse)
    async def readyz() -> JSONResponse:
        async def run(check: ReadinessCheck) -> bool:
            try:
                return await asyncio.wait_for(check(), timeout)
            except Exception:  # noqa: BLE001 - a failing check only means not ready
                return False

        results = await asyncio.gather(*(run(c) for c in checks.values()))
        status = dict(zip(checks, results, strict=True))
        ready = all(results)
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "service": service, "checks": status},
            status_code=200 if ready else 503,
        )

    @router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
    async def metrics_endpoint() -> Response:
        return metrics.render()

    return router


def install_operations(
    app: FastAPI, service: str, metrics: ServiceMetrics, checks: Mapping[str, ReadinessCheck]
) -> None:
    """Correlation ids, security headers, request metrics and the three operational
    endpoints."""
    instrument(app, metrics)
    install_correlation(app)
    install_security_headers(app)
    app.include_router(health_router(service, metrics, checks))
