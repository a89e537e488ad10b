"""Reading a form that may carry a file (multipart/form-data, or a plain urlencoded
form) with a limit on its size: the body is read no further than the limit, so a large
upload costs the service no more than the limit in memory, and the caller gets a 413
instead of a stalled request."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

# What a form's other fields and the multipart boundaries may add to the file's limit.
FORM_OVERHEAD = 64 * 1024


class BodyTooLarge(Exception):
    """The body is past the limit (declared, or read so far)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the body is larger than {limit} bytes")
        self.limit = limit


class NotAForm(Exception):
    """The body is not a form this reader understands (or a malformed one)."""


@dataclass
class Form:
    items: list[tuple[str, str]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        """The field's last value, stripped."""
        found = [v for k, v in self.items if k == name]
        return found[-1].strip() if found else default

    def getlist(self, name: str) -> list[str]:
        return [v.strip() for k, v in self.items if k == name]


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, or `BodyTooLarge` once it passes `limit` bytes (read no further)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def read_form(request: Request, file_limit: int) -> Form:
    """The form's fields and files; a file may be up to `file_limit` bytes."""
    limit = file_limit + FORM_OVERHEAD
    raw = await read_limited(request, limit)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        text = raw.decode("utf-8", errors="replace")
        return Form(items=parse_qsl(text, keep_blank_values=True))
    if kind != "multipart/form-data":
        raise NotAForm(f"expected multipart/form-data, not {kind or 'nothing'}")

    async def once() -> AsyncGenerator[bytes, None]:
        yield raw

    parser = MultiPartParser(
        request.headers, once(), max_files=4, max_fields=1000, max_part_size=limit
    )
    try:
        parsed = await parser.parse()
    except MultiPartException as exc:
        raise NotAForm(str(exc)) from exc
    form = Form()
    try:
        for name, value in parsed.multi_items():
            if isinstance(value, UploadFile):
                data = await value.read()
                # A file input left empty still posts a part (no name, no bytes).
                if data or value.filename:
                    form.files[name] = data
            else:
                form.items.append((name, value))
    finally:
        await parsed.close()
    return form
