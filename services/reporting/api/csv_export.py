"""Any report table as CSV: UTF-8 with a byte-order mark, so spreadsheet programs open
Thai text correctly, and a file name that says what it is."""

from __future__ import annotations

import csv
import io
import re

from fastapi.responses import Response

from services.reporting.domain.tables import Table

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
# A cell starting with one of these is a formula to a spreadsheet program: quote it away.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return "" if value is None else value


def to_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()


def csv_response(table: Table, name: str) -> Response:
    filename = _SAFE.sub("-", name).strip("-") or "report"
    return Response(
        ("\ufeff" + to_csv(table)).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
    )
