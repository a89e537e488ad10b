"""Reading a request body with a hard size limit, before any parsing, as intake's own
typed error (`PayloadTooLarge`, which its error mapping answers with a 413)."""

from __future__ import annotations

from fastapi import Request

from services.intake.errors import PayloadTooLarge
from shared.infra import uploads


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, or `PayloadTooLarge` as soon as it is known to be over `limit` bytes —
    from Content-Length when given, else while streaming (never buffering more)."""
    try:
        return await uploads.read_limited(request, limit)
    except uploads.BodyTooLarge:
        raise PayloadTooLarge(limit) from None
