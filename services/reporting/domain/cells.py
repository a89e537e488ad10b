"""A reader's copy of the summary views, as flat cells, kept current by replaying deltas.

A year's summary folds every cell of the year. Reading those cells from the database
took ~250 ms on SecantusDB for 3,900 cells, far over the 50 ms a report may take, and a
dashboard asks again after every batch. So each reporting process keeps the cells of the
current version in memory and, when the views move on, applies the `$inc` updates of the
batches committed since (the deltas the writer stores with each batch) instead of
reading the cells again. Any process can write a batch, so the deltas come from the
database, not from this process's own consumer.

A cell is flat: its key fields, then each measure under its dotted path
(`{"unit": "admin", ..., "open.assigned": 3}`), which is what the figures in `summary`
fold without walking sub-documents. Cells are replaced, never changed in place, so a
list handed to a reader stays as it was while later deltas are applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from services.reporting.domain.views import VIEW_KEYS, Scalar, ViewUpdate

Cell = dict[str, Any]
Query = Mapping[str, Scalar]


def flat_cell(doc: Mapping[str, Any], key: Iterable[str]) -> Cell:
    """A view document (measures nested, as MongoDB holds them) as a flat cell, no `_id`."""
    keys = tuple(key)
    cell: Cell = {k: doc.get(k) for k in keys}
    _flatten_into(cell, {k: x for k, x in doc.items() if k not in keys and k != "_id"}, "")
    return cell


def _flatten_into(out: Cell, node: Mapping[str, Any], prefix: str) -> None:
    for name, value in node.items():
        if isinstance(value, Mapping):
            _flatten_into(out, value, f"{prefix}{name}.")
        else:
            out[prefix + name] = value


def matches(cell: Mapping[str, Any], query: Query) -> bool:
    """Equality on every queried field (None matches a null or missing field)."""
    return all(cell.get(name) == want for name, want in query.items())


def _set(cell: Cell, path: str, value: Any) -> None:
    # `$set` replaces a whole sub-document: drop what was under the path first.
    for name in [n for n in cell if n.startswith(path + ".")]:
        del cell[name]
    if isinstance(value, Mapping):
        cell.pop(path, None)
        _flatten_into(cell, value, path + ".")
    else:
        cell[path] = value


class StaleCells(LookupError):
    """The deltas on hand do not continue from these cells: load them afresh."""


class Cells:
    """The flat cells of every view of one version, as of a number of committed batches."""

    def __init__(
        self, version: int, batches: int, views: Mapping[str, Iterable[Mapping[str, Any]]]
    ) -> None:
        self.version = version
        self.batches = batches
        self._cells: dict[str, dict[tuple[Scalar, ...], Cell]] = {name: {} for name in VIEW_KEYS}
        for name, docs in views.items():
            key = VIEW_KEYS[name]
            into = self._cells[name]
            for doc in docs:
                cell = flat_cell(doc, key)
                into[tuple(cell[k] for k in key)] = cell

    @property
    def stamp(self) -> tuple[int, int]:
        return self.version, self.batches

    def advance(self, batch: int, version: int, updates: Iterable[ViewUpdate]) -> None:
        """Apply the updates of the batch that made the count `batch`, the next one."""
        if version != self.version or batch != self.batches + 1:
            raise StaleCells(
                f"delta {batch} of version {version} does not follow "
                f"batch {self.batches} of version {self.version}"
            )
        for u in updates:
            _, values = u.identity()
            cells = self._cells[u.collection]
            old = cells.get(values)
            cell: Cell = dict(old) if old else {k: u.key[k] for k in VIEW_KEYS[u.collection]}
            for path, amount in u.inc.items():
                cell[path] = cell.get(path, 0) + amount
            for path, value in u.set.items():
                _set(cell, path, value)
            cells[values] = cell
        self.batches = batch

    def select(self, view: str, query: Query | None = None) -> list[Cell]:
        """The cells of `view` matching `query` (equality only). Do not mutate them."""
        cells = self._cells[view].values()
        if not query:
            return list(cells)
        for value in query.values():
            if isinstance(value, Mapping):
                raise ValueError(f"only equality is supported in a cell query, not {value!r}")
        return [c for c in cells if matches(c, query)]
