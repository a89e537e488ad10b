"""W3C Trace Context (`traceparent`): one trace from the first HTTP request, through the
outbox and Kafka, to every consumer and the last notice, beside the correlation id.

A service's work on a request or an event is a span: it keeps the caller's trace id and
gets a span id of its own, whose parent is the caller's span. Each event it emits carries
a child span of it (`for_event`), in the CloudEvent (`traceparent`, the CloudEvents
distributed-tracing extension, kept by the outbox row) and as a Kafka header; a consumer
takes it as its parent (`EventConsumer.handle`, or `for_event(cause)` where a batch
handler knows the event it acts on); a notice carries it as an e-mail or webhook header.

The helpers are pure (parse, mint, child); the current span is a context variable like
the correlation id. Spans are not exported: OpenTelemetry's SDK is no dependency and no
collector runs here. The extension point is `set_current`, called where a span begins
(the HTTP middleware in `http.py`, `EventConsumer.handle`): an exporter would start an
OpenTelemetry span there with this trace id and parent, behind a setting, off by default.
"""

from __future__ import annotations

import contextvars
import re
import secrets
from dataclasses import dataclass

HTTP_HEADER = "traceparent"
KAFKA_HEADER = "traceparent"
# W3C Trace Context Level 2: the server's own span, returned to the caller.
RESPONSE_HEADER = "traceresponse"

_FORMAT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$")
_ZERO_TRACE = "0" * 32
_ZERO_SPAN = "0" * 16


@dataclass(frozen=True, slots=True)
class TraceContext:
    trace_id: str
    span_id: str
    sampled: bool = True

    @property
    def header(self) -> str:
        """The `traceparent` value (version 00)."""
        return f"00-{self.trace_id}-{self.span_id}-{'01' if self.sampled else '00'}"

    def child(self) -> TraceContext:
        """A new span in the same trace, whose parent is this one."""
        return TraceContext(self.trace_id, _span_id(), self.sampled)


def _span_id() -> str:
    while (value := secrets.token_hex(8)) == _ZERO_SPAN:
        pass
    return value


def _trace_id() -> str:
    while (value := secrets.token_hex(16)) == _ZERO_TRACE:
        pass
    return value


def parse(value: str | bytes | None) -> TraceContext | None:
    """The context a `traceparent` header names, or None when it is absent or invalid
    (the specification: an invalid header is ignored and a new trace started). Versions
    after 00 are read by their first four fields, as it asks; version ff never."""
    if value is None:
        return None
    text = (value.decode("ascii", "replace") if isinstance(value, bytes) else value).strip()
    match = _FORMAT.match(text)
    if match is None:
        return None
    version, trace_id, span_id, flags, rest = match.groups()
    if version == "ff" or (version == "00" and rest) or trace_id == _ZERO_TRACE:
        return None
    if span_id == _ZERO_SPAN:
        return None
    return TraceContext(trace_id, span_id, sampled=bool(int(flags, 16) & 1))


def mint() -> TraceContext:
    """A new trace (sampled: nothing here drops spans)."""
    return TraceContext(_trace_id(), _span_id())


def continue_from(value: str | bytes | None) -> TraceContext:
    """This service's span for work a caller (or an event) started: a child of the
    caller's span when its `traceparent` is valid, else the root of a new trace."""
    parent = parse(value)
    return parent.child() if parent is not None else mint()


_current: contextvars.ContextVar[TraceContext | None] = contextvars.ContextVar(
    "trace_context", default=None
)


def current() -> TraceContext | None:
    return _current.get()


def set_current(value: TraceContext | None) -> contextvars.Token[TraceContext | None]:
    return _current.set(value)


def reset(token: contextvars.Token[TraceContext | None]) -> None:
    _current.reset(token)


def for_event(cause: str | None = None) -> str | None:
    """The `traceparent` of an event emitted now: a child of `cause` (the traceparent of
    the event being acted on, where a batch handler knows it), else of the current span;
    None outside any trace (a scheduled job), so the consumer starts one."""
    parent = parse(cause) if cause else current()
    return parent.child().header if parent is not None else None
