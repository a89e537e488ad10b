"""JSON logs, one object per line, with the service name and correlation id, and
personal data masked."""

from __future__ import annotations

import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

import orjson

from shared.infra import correlation

_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+)")
_PHONE = re.compile(r"(?<!\d)(\+?\d[\d -]{6,}\d)(?!\d)")


def mask_personal(text: str) -> str:
    """Mask e-mail addresses and phone numbers so logs carry no personal data (PDPA)."""
    text = _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)
    return _PHONE.sub(lambda m: "***" + m.group(1)[-2:], text)


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": mask_personal(record.getMessage()),
        }
        cid = getattr(record, "correlation_id", None) or correlation.current()
        if cid:
            doc["correlation_id"] = cid
        for key in ("event_id", "event_type", "case_id", "topic"):
            value = getattr(record, key, None)
            if value is not None:
                doc[key] = value
        if record.exc_info:
            doc["error"] = mask_personal(self.formatException(record.exc_info))
        return orjson.dumps(doc).decode()


def configure_logging(service: str, level: str = "INFO", file: str | None = None) -> None:
    """Route every logger (ours, uvicorn's, FastStream's) to one JSON handler."""
    handler: logging.Handler = (
        logging.FileHandler(file, encoding="utf-8") if file else logging.StreamHandler(sys.stderr)
    )
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "faststream", "aiokafka"):
        lg = logging.getLogger(name)
        lg.handlers[:] = []
        lg.propagate = True
    logging.getLogger("aiokafka").setLevel("WARNING")
    logging.getLogger("pymongo").setLevel("WARNING")
