"""What every service's HTTP app has: the correlation-id middleware, `/healthz`,
`/readyz` (Kafka and MongoDB checked for real) and `/metrics`."""

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
    """Correlation ids, request metrics and the three operational endpoints."""
    instrument(app, metrics)
    install_correlation(app)
    app.include_router(health_router(service, metrics, checks))
