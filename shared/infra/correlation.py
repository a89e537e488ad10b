"""The correlation id: from the first HTTP request, through Kafka headers, into every log line."""

from __future__ import annotations

import contextvars
import uuid

HTTP_HEADER = "X-Correlation-ID"
KAFKA_HEADER = "correlation_id"

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "correlation_id", default=None
)


def current() -> str | None:
    return _current.get()


def set_current(value: str | None) -> contextvars.Token[str | None]:
    return _current.set(value)


def reset(token: contextvars.Token[str | None]) -> None:
    _current.reset(token)


def new() -> str:
    return uuid.uuid4().hex


def accept(value: str | None) -> str:
    """A caller's correlation id if it is sane, else a fresh one (never trust it to be short)."""
    if value and 8 <= len(value) <= 64 and all(c.isalnum() or c in "-_." for c in value):
        return value
    return new()
