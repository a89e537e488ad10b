"""One POST over HTTP, its outcome classified once for every HTTP channel.

2xx is delivered; 5xx, 408, 429 and network errors are temporary; other 4xx permanent.
A channel may name statuses that also mean "delivered" (LINE answers 409 to a retry key
it has already accepted).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import httpx

from services.notifications.domain.backoff import classify_exception, classify_http

DETAIL_CHARS = 300


async def post(
    client: httpx.AsyncClient,
    url: str,
    *,
    headers: Mapping[str, str],
    content: bytes | None = None,
    json: Any = None,
    timeout: float | None = None,
    also_delivered: Collection[int] = (),
) -> httpx.Response:
    """POST and return the response, or raise TemporaryFailure / PermanentFailure."""
    try:
        response = await client.post(
            url, headers=dict(headers), content=content, json=json, timeout=timeout
        )
    except httpx.HTTPError as exc:
        raise classify_exception(exc) from exc
    if response.status_code in also_delivered:
        return response
    failure = classify_http(response.status_code, response.text[:DETAIL_CHARS].strip())
    if failure is not None:
        raise failure
    return response
