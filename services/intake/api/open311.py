"""Open311 GeoReport v2 at `/open311/v2/`, each resource as `.json` and `.xml`:
`services`, `services/{service_code}`, `requests` (GET searches, POST creates, form
encoded with `api_key`), `requests/{service_request_id}` and `tokens/{token}`; an
optional `jurisdiction_id` must be the office's. Every refusal is in the spec's format
(`[{"code", "description"}]`, `<errors><error>…`) with the same HTTP status; nothing is
ever a 500. Translates HTTP to `Open311Desk`; the decisions are the domain's."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request, Response
from fastapi.routing import APIRoute

from services.intake.api.body import read_limited
from services.intake.api.open311_format import answer, error
from services.intake.context import IntakeContext, context_of
from services.intake.domain.messages import language_of
from services.intake.domain.open311 import (
    LIST_PATTERN,
    MAX_DESCRIPTION,
    STATUS_PATTERN,
    Open311Error,
)
from services.intake.errors import PayloadTooLarge, Unavailable
from services.intake.handlers.ports import StoreUnavailable
from shared.infra import correlation

log = logging.getLogger(__name__)

FORMATS = ("json", "xml")
FORM = "application/x-www-form-urlencoded"


def _format_of(request: Request) -> str:
    return "xml" if request.url.path.endswith(".xml") else "json"


class Open311Route(APIRoute):
    """Every refusal in the spec's format: its own errors with their code, a body over
    the limit 413, the stores away 503 with Retry-After, anything unforeseen 503 too
    (logged once here)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            fmt = _format_of(request)
            try:
                return await handler(request)
            except Open311Error as exc:
                return error(fmt, exc.code, exc.description)
            except PayloadTooLarge as exc:
                return error(fmt, 413, f"the body is over {exc.limit_bytes // 1024} KiB")
            except (Unavailable, StoreUnavailable) as exc:
                seconds = getattr(exc, "retry_after", 5)
                retry = {"Retry-After": str(seconds)}
                return error(fmt, 503, f"not stored; try again in {seconds} s", retry)
            except Exception:
                log.exception("unexpected error on %s %s", request.method, request.url.path)
                retry = {"Retry-After": "5"}
                return error(fmt, 503, "something went wrong; nothing was stored", retry)

        return guarded


router = APIRouter(prefix="/open311/v2", tags=["open311"], route_class=Open311Route)

_ERRORS = {
    "schema": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["code", "description"],
            "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
        },
    }
}


def _content(fmt: str, schema: dict[str, Any]) -> dict[str, Any]:
    if fmt == "xml":
        return {"text/xml": {"schema": {"type": "string"}}}
    return {"application/json": {"schema": schema}}


def _responses(fmt: str, ok: dict[str, Any], *statuses: int) -> dict[int | str, Any]:
    meaning = {
        400: "A parameter or field is wrong (named in the description)",
        403: "No `api_key`, or not an Open311 channel's key",
        404: "Unknown jurisdiction_id, service, request or token",
        413: "The body is over the limit",
        415: "The body is not form encoded",
        503: "Not stored or not readable now; retry after `Retry-After`",
    }
    errors = _content(fmt, _ERRORS)
    out: dict[int | str, Any] = {200: {"description": "OK", "content": _content(fmt, ok)}}
    for status in (*statuses, 404, 503):
        out[status] = {"description": meaning[status], "content": errors}
    out[503]["headers"] = {"Retry-After": {"schema": {"type": "string"}, "required": True}}
    return out


def _query(name: str, description: str, **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", **schema},
    }


_JURISDICTION = _query("jurisdiction_id", "The office's jurisdiction id (optional)")
_OBJECTS = {"type": "array", "items": {"type": "object"}}
Handler = Callable[..., Awaitable[Response]]


def _both(path: str, method: str, make: Callable[[str], Handler], **extra: Any) -> None:
    for fmt in FORMATS:
        router.add_api_route(
            f"{path}.{fmt}",
            make(fmt),
            methods=[method],
            response_class=Response,
            name=f"open311_{method.lower()}_{path.strip('/').replace('/', '_')}_{fmt}",
            **{k: (v(fmt) if callable(v) else v) for k, v in extra.items()},
        )


def _language(request: Request) -> Any:
    return language_of(request.headers.get("accept-language"))


def _services(fmt: str) -> Handler:
    async def services(
        request: Request, intake: Annotated[IntakeContext, Depends(context_of)]
    ) -> Response:
        intake.open311.check_jurisdiction(request.query_params.get("jurisdiction_id"))
        data = intake.open311.services(_language(request))
        return answer(fmt, data, root="services", item="service")

    return services


_both(
    "/services",
    "GET",
    _services,
    summary=lambda f: f"Open311: the services (the catalogue's categories), {f.upper()}",
    openapi_extra={"parameters": [_JURISDICTION]},
    responses=lambda f: _responses(f, _OBJECTS),
)


def _definition(fmt: str) -> Handler:
    async def definition(
        service_code: str, request: Request, intake: Annotated[IntakeContext, Depends(context_of)]
    ) -> Response:
        intake.open311.check_jurisdiction(request.query_params.get("jurisdiction_id"))
        data = intake.open311.definition(service_code, _language(request))
        return answer(fmt, data, root="service_definition", item=None)

    return definition


_both(
    "/services/{service_code}",
    "GET",
    _definition,
    summary=lambda f: f"Open311: a service's definition (its one attribute, kind), {f.upper()}",
    openapi_extra={"parameters": [_JURISDICTION]},
    responses=lambda f: _responses(f, {"type": "object"}),
)


def _search(fmt: str) -> Handler:
    async def search(
        request: Request, intake: Annotated[IntakeContext, Depends(context_of)]
    ) -> Response:
        params = request.query_params
        intake.open311.check_jurisdiction(params.get("jurisdiction_id"))
        data = await intake.open311.search(params, _language(request))
        return answer(fmt, data, root="service_requests", item="request")

    return search


_both(
    "/requests",
    "GET",
    _search,
    summary=lambda f: f"Open311: search the service requests sent through Open311, {f.upper()}",
    description=(
        "Requests made through this API only (other channels' submissions are followed "
        "with their tracking code and PIN). `service_request_id` (comma-separated, at most "
        "1000) overrides the other filters; without dates, the last 90 days; at most 1000, "
        "newest first. Each request shows its status (open or closed, from its case), "
        "service, dates and the unit responsible, never what was written, the place or "
        "who sent it."
    ),
    openapi_extra={
        "parameters": [
            _JURISDICTION,
            _query("service_request_id", "Ids (tracking codes)", pattern=LIST_PATTERN),
            _query("service_code", "Services (category codes)", pattern=LIST_PATTERN),
            _query("start_date", "Requested at or after (w3 date-time)", format="date-time"),
            _query("end_date", "Requested at or before (w3 date-time)", format="date-time"),
            _query("status", "open, closed or both", pattern=STATUS_PATTERN),
        ]
    },
    responses=lambda f: _responses(f, _OBJECTS, 400),
)


def _post(fmt: str) -> Handler:
    async def create(
        request: Request, intake: Annotated[IntakeContext, Depends(context_of)]
    ) -> Response:
        media = request.headers.get("content-type", FORM).split(";")[0].strip().lower()
        if media != FORM:
            raise Open311Error(415, f"the body must be {FORM}")
        raw = await read_limited(request, intake.settings.max_body_bytes)
        try:
            pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            raise Open311Error(400, "the body is not UTF-8") from None
        data = await intake.open311.post(dict(pairs), correlation.current())
        return answer(fmt, data, root="service_requests", item="request")

    return create


_FIELD = {"type": "string", "maxLength": 500}
_BODY = {
    "type": "object",
    "required": ["api_key", "service_code", "description"],
    "properties": {
        "api_key": {"type": "string", "description": "An API key of the open311 channel"},
        "jurisdiction_id": {"type": "string"},
        "service_code": {"type": "string", "description": "A service's code"},
        "description": {"type": "string", "minLength": 1, "maxLength": MAX_DESCRIPTION},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "long": {"type": "number", "minimum": -180, "maximum": 180},
        "address_string": _FIELD,
        "address_id": _FIELD,
        "email": _FIELD,
        "phone": _FIELD,
        "first_name": _FIELD,
        "last_name": _FIELD,
        "device_id": _FIELD,
        "account_id": _FIELD,
        "media_url": _FIELD,
        "attribute[kind]": {"type": "string", "description": "From the service definition"},
    },
}

_both(
    "/requests",
    "POST",
    _post,
    summary=lambda f: f"Open311: make a service request (form encoded, with api_key), {f.upper()}",
    description=(
        "Received like every channel's submission (channel open311): `lat` with `long` "
        "and `address_string` are its place; `first_name`, `last_name`, `email` and "
        "`phone` go to the personal-data store only (and mean the person asks to be "
        "answered); `device_id` and `account_id` are not kept; `media_url` is kept as a "
        "link for staff. The answer's `service_notice` gives the tracking PIN, for the "
        "public tracking page. The key is checked first: 403 for any other."
    ),
    openapi_extra={
        "parameters": [],
        "requestBody": {"required": True, "content": {FORM: {"schema": _BODY}}},
    },
    responses=lambda f: _responses(f, _OBJECTS, 400, 403, 413, 415),
)


def _one(fmt: str) -> Handler:
    async def one(
        service_request_id: str,
        request: Request,
        intake: Annotated[IntakeContext, Depends(context_of)],
    ) -> Response:
        intake.open311.check_jurisdiction(request.query_params.get("jurisdiction_id"))
        data = await intake.open311.one(service_request_id, _language(request))
        return answer(fmt, data, root="service_requests", item="request")

    return one


_both(
    "/requests/{service_request_id}",
    "GET",
    _one,
    summary=lambda f: f"Open311: one service request by its id (the tracking code), {f.upper()}",
    openapi_extra={"parameters": [_JURISDICTION]},
    responses=lambda f: _responses(f, _OBJECTS),
)


def _token(fmt: str) -> Handler:
    async def token(
        token: str, request: Request, intake: Annotated[IntakeContext, Depends(context_of)]
    ) -> Response:
        intake.open311.check_jurisdiction(request.query_params.get("jurisdiction_id"))
        data = await intake.open311.token(token)
        return answer(fmt, data, root="service_requests", item="request")

    return token


_both(
    "/tokens/{token}",
    "GET",
    _token,
    summary=lambda f: f"Open311: the service request id of a token, {f.upper()}",
    openapi_extra={"parameters": [_JURISDICTION]},
    responses=lambda f: _responses(f, _OBJECTS),
)
