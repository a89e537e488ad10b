"""Reading a request body with a hard size limit, before any parsing."""

from __future__ import annotations

from fastapi import Request

from services.intake.errors import PayloadTooLarge


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, or `PayloadTooLarge` as soon as it is known to be over `limit` bytes —
    from Content-Length when given, else while streaming (never buffering more)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)
