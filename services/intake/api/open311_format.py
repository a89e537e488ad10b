"""Open311's two encodings of one answer: JSON as the data are, and XML as the spec shows
it (`<service_requests><request>…`, `<errors><error><code>…`), UTF-8 with its
declaration. A list inside an item (a definition's `attributes`, their `values`) is an
element of that name holding one element per entry, named in the singular."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

import orjson
from fastapi import Response

JSON = "application/json; charset=utf-8"
XML = "text/xml; charset=utf-8"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, data: dict[str, Any]) -> None:
    for key, value in data.items():
        child = ET.SubElement(element, key)
        if isinstance(value, list):
            for entry in value:
                _fill(ET.SubElement(child, key.removesuffix("s")), entry)
        else:
            child.text = _text(value)


def xml_of(root: str, item: str | None, data: Any) -> bytes:
    """`data` (a list of items, or one object) under `root`."""
    top = ET.Element(root)
    if isinstance(data, list):
        for entry in data:
            _fill(ET.SubElement(top, item or "item"), entry)
    else:
        _fill(top, data)
    body: bytes = ET.tostring(top, encoding="unicode").encode()
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def answer(
    fmt: str,
    data: Any,
    *,
    root: str,
    item: str | None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    if fmt == "xml":
        return Response(xml_of(root, item, data), status, headers, media_type=XML)
    return Response(orjson.dumps(data), status, headers, media_type=JSON)


def error(fmt: str, code: int, description: str, headers: dict[str, str] | None = None) -> Response:
    """The spec's error answer: `[{"code", "description"}]` or `<errors><error>…`."""
    body = [{"code": code, "description": description}]
    return answer(fmt, body, root="errors", item="error", status=code, headers=headers)
