"""Logs carry the service and correlation id as JSON and never personal data."""

from __future__ import annotations

import logging

import orjson

from shared.infra import correlation
from shared.infra.logs import JsonFormatter, mask_personal


def test_personal_data_is_masked() -> None:
    text = mask_personal("from somchai.j@example.go.th tel 081-234-5678 or +66812345678")
    assert "somchai" not in text and "234-5678" not in text and "812345678" not in text
    assert "s***@example.go.th" in text


def test_json_line_has_service_and_correlation_id() -> None:
    token = correlation.set_current("abc123def456")
    try:
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "case %s opened", ("c1",), None)
        doc = orjson.loads(JsonFormatter("workflow").format(record))
    finally:
        correlation.reset(token)
    assert doc["service"] == "workflow" and doc["correlation_id"] == "abc123def456"
    assert doc["message"] == "case c1 opened" and doc["level"] == "INFO"


def test_untrusted_correlation_ids_are_replaced() -> None:
    assert correlation.accept("good-id-1234") == "good-id-1234"
    assert correlation.accept("bad id; drop table") != "bad id; drop table"
    assert len(correlation.accept("x" * 500)) == 32
