"""What every service's HTTP app has: the correlation-id and security-header
middlewares, `/healthz`, `/readyz` (Kafka and MongoDB checked for real), `/metrics`,
`/asyncapi.json` (the Kafka side, beside the OpenAPI of the HTTP side), the
answer to a method a path does not take (405 with `Allow` and a problem body), strict
JSON bodies, and the table that maps a service's typed errors to their documented
answers."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.datastructures import Headers, MutableHeaders
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.contract import asyncapi
from shared.infra import correlation, tracing
from shared.infra.metrics import SAMPLE_TIMEOUT, ServiceMetrics, instrument
from shared.infra.uploads import read_limited

ReadinessCheck = Callable[[], Awaitable[bool]]
#: How a service words a 405: the request and the methods its path takes (for `Allow`).
MethodNotAllowed = Callable[[Request, str], Awaitable[Response]]


class _Correlate:
    """Takes the caller's correlation id (or makes one) and their W3C `traceparent` (this
    request's span is a child of theirs, or starts a trace) for the request's context, and
    returns the id and the span (`traceresponse`) on the answer. Plain ASGI: see
    `shared.infra.metrics._Measure`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cid = correlation.accept(headers.get(correlation.HTTP_HEADER))
        span = tracing.continue_from(headers.get(tracing.HTTP_HEADER))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer = MutableHeaders(scope=message)
                answer[correlation.HTTP_HEADER] = cid
                answer[tracing.RESPONSE_HEADER] = span.header
            await send(message)

        token = correlation.set_current(cid)
        trace_token = tracing.set_current(span)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            tracing.reset(trace_token)
            correlation.reset(token)


def install_correlation(app: FastAPI) -> None:
    app.add_middleware(_Correlate)


#: Siang's pages run no script and load nothing from elsewhere: their stylesheet and Thai
#: font come from the service itself (`/static/siang/`), a page's own few rules from inline
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


@dataclass(frozen=True)
class Refusal:
    """How a service answers one typed error: its status, what it means, the headers it
    always carries."""

    status: int
    description: str
    headers: tuple[str, ...] = ()


HEADER_MEANINGS = {
    "WWW-Authenticate": "How to authenticate",
    "Retry-After": "Seconds to wait before trying again",
}


class Refusals:
    """A service's typed errors and their answers, the most specific first (an error takes
    the first row it is an instance of): the one table its error handlers read for the
    status, and its routes' `responses=` for the documentation (`responses(...)`)."""

    def __init__(
        self,
        problem: type[BaseModel],
        rows: Sequence[tuple[type[Exception], Refusal]],
        *,
        always: Sequence[type[Exception]] = (),
    ) -> None:
        self.problem = problem
        self.rows = tuple(rows)
        self.always = tuple(always)

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        return tuple(error for error, _ in self.rows)

    def of(self, exc: Exception) -> Refusal:
        return next(r for t, r in self.rows if isinstance(exc, t))

    def responses(self, *errors: type[Exception]) -> dict[int | str, dict[str, Any]]:
        """The `responses=` of a route that can raise `errors` (and the table's `always`):
        each status with the problem body, the descriptions of the errors answered with
        it, and their headers."""
        out: dict[int | str, dict[str, Any]] = {}
        for error in (*errors, *self.always):
            refusal = next(r for t, r in self.rows if issubclass(error, t))
            entry = out.setdefault(refusal.status, {"model": self.problem, "description": ""})
            if refusal.description not in entry["description"]:
                entry["description"] = " · ".join(
                    d for d in (entry["description"], refusal.description) if d
                )
            for name in refusal.headers:
                entry.setdefault("headers", {})[name] = {
                    "description": HEADER_MEANINGS[name],
                    "schema": {"type": "string"},
                    "required": True,
                }
        return out


def allowed_methods(request: Request) -> str:
    """The methods the request's path takes, for `Allow`. Starlette names only those of
    the first route that matched the path; a path served by several routes (GET and PUT
    of one resource) takes all of theirs."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return ", ".join(sorted(methods))


async def method_not_allowed(request: Request, allow: str) -> Response:
    """The default 405: the problem body of workflow's and reporting's API."""
    message = f"{request.method} is not a method of {request.url.path}; it takes {allow}"
    return JSONResponse(
        {"error": {"code": "method_not_allowed", "message": message}},
        status_code=405,
        headers={"Allow": allow},
    )


def install_method_not_allowed(app: FastAPI, answer: MethodNotAllowed) -> None:
    """Every 405 of `app` (a path that exists, a method it does not take) is `answer`'s,
    with `Allow` listing every method of the path; a service with its own problem body
    installs its own wording."""

    async def handle(request: Request, exc: Exception) -> Response:
        return await answer(request, allowed_methods(request))

    app.add_exception_handler(405, handle)


def _integral(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_integral(v) for v in value]
    if isinstance(value, dict):
        return {k: _integral(v) for k, v in value.items()}
    return value


def _integral_numbers_as_integers(raw: bytes) -> bytes:
    """`5.0` is the integer 5 to JSON Schema; strict validation would refuse it."""
    try:
        return orjson.dumps(_integral(orjson.loads(raw)))
    except (orjson.JSONDecodeError, TypeError):
        return raw  # not JSON, or numbers past 64 bits: validation says what is wrong


class StrictJsonRoute(APIRoute):
    """A route whose JSON body is validated as JSON, strictly, before FastAPI reads it:
    `false` or `"5"` is not an integer and `1` not a boolean, as the OpenAPI says (FastAPI
    validates the decoded body in pydantic's lax Python mode, which takes them). Enums
    and dates still arrive as JSON strings; models keep their own validators."""

    #: A subclass's limit on the JSON body's size (`BodyTooLarge` past it, read no
    #: further, which the service maps to a 413); None: no limit of its own.
    body_limit: int | None = None

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        field = self.body_field
        if field is None or field.field_info.annotation is None:
            return handler
        body: TypeAdapter[Any] = TypeAdapter(field.field_info.annotation)
        limit = self.body_limit

        async def strict(request: Request) -> Response:
            if limit is not None:
                # Starlette keeps a body read once in `_body` for FastAPI to read again.
                request._body = await read_limited(request, limit)
            raw = await request.body()  # kept by the request: FastAPI reads it again
            if raw:
                try:
                    body.validate_json(_integral_numbers_as_integers(raw), strict=True)
                except ValidationError as exc:
                    errors = [
                        {**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)
                    ]
                    raise RequestValidationError(errors, body=raw) from None
            return await handler(request)

        return strict


class Health(BaseModel):
    status: str
    service: str


class Readiness(BaseModel):
    status: str
    service: str
    checks: dict[str, bool]


@functools.cache
def asyncapi_json() -> bytes:
    """The committed AsyncAPI document, read once per process."""
    return asyncapi.DOCUMENT.read_bytes()


def health_router(
    service: str,
    metrics: ServiceMetrics,
    checks: Mapping[str, ReadinessCheck],
    timeout: float = 3.0,
) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", summary="The process is alive", response_model=Health)
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": service}

    @router.get(
        "/readyz",
        summary="Kafka and MongoDB answer",
        response_class=JSONResponse,
        response_model=Readiness,
        responses={503: {"model": Readiness, "description": "Kafka or MongoDB does not answer"}},
    )
    async def readyz() -> JSONResponse:
        status = await check_all(timeout)
        ready = all(status.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "service": service, "checks": status},
            status_code=200 if ready else 503,
        )

    async def check_all(limit: float) -> dict[str, bool]:
        async def run(check: ReadinessCheck) -> bool:
            try:
                return await asyncio.wait_for(check(), limit)
            except Exception:  # noqa: BLE001 - a failing check only means not ready
                return False

        results = await asyncio.gather(*(run(c) for c in checks.values()))
        status = dict(zip(checks, results, strict=True))
        for name, up in status.items():
            metrics.dependency_up.labels(name).set(1 if up else 0)
        return status

    async def sample_readiness() -> None:
        # Within the sampler's own limit, so a hanging check still reads as 0, not stale.
        await check_all(min(timeout, SAMPLE_TIMEOUT * 0.75))

    # Prometheus sees what /readyz would say at each scrape: the alerts on a service not
    # ready, or on Kafka or MongoDB unreachable from every service, read it.
    metrics.samplers.append(sample_readiness)

    @router.get(
        "/asyncapi.json",
        summary="The AsyncAPI document of Siang's Kafka topics and events",
        description=(
            "AsyncAPI 3.0: every topic and dead-letter topic, each event type as a "
            "CloudEvent with its data schema, which service publishes and which consumes "
            "it. The same document in every service (`shared/contract/asyncapi.json`)."
        ),
        response_class=Response,
        responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}}},
    )
    async def asyncapi_document() -> Response:
        return Response(asyncapi_json(), media_type="application/json")

    @router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
    async def metrics_endpoint() -> Response:
        await metrics.sample()
        return metrics.render()

    return router


def install_operations(
    app: FastAPI, service: str, metrics: ServiceMetrics, checks: Mapping[str, ReadinessCheck]
) -> None:
    """Correlation ids, security headers, request metrics, the three operational
    endpoints and the default 405."""
    instrument(app, metrics)
    install_correlation(app)
    install_security_headers(app)
    install_method_not_allowed(app, method_not_allowed)
    app.include_router(health_router(service, metrics, checks))
