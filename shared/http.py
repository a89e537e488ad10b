"""What every service's HTTP app has: the correlation-id middleware, `/healthz`,
`/readyz` (Kafka and MongoDB checked for real) and `/metrics`."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse

from shared import correlation
from shared.metrics import ServiceMetrics, instrument

ReadinessCheck = Callable[[], Awaitable[bool]]


def install_correlation(app: FastAPI) -> None:
    @app.middleware("http")
    async def _correlate(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        cid = correlation.accept(request.headers.get(correlation.HTTP_HEADER))
        token = correlation.set_current(cid)
        try:
            response = await call_next(request)
        finally:
            correlation.reset(token)
        response.headers[correlation.HTTP_HEADER] = cid
        return response


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
