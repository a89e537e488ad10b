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

Adding up a year of cells still costs ~45 ms at 9,500 cells. So a selection also
remembers, per grouping asked of it, the measures added up per group, and the deltas
are added to those sums as they are applied: a report after a batch then costs the
batch's updates, not a walk over every cell (`CellSelection.totals_by`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from services.reporting.domain.selection import GroupTotals, Selection
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


_MemoKey = tuple[str, tuple[tuple[str, Scalar], ...], tuple[str, ...]]
# Each remembered grouping costs a match per update of every batch applied afterwards.
_MEMOS = 32


class CellSelection(Selection):
    """The cells a query selected, which can add themselves up per group from sums the
    cells keep current (see `summary.totals_by`)."""

    def __init__(self, cells: Iterable[Cell], source: Cells, view: str, query: Query) -> None:
        super().__init__(cells)
        self._source = source
        self._view = view
        self._query = dict(query)

    def totals_by(self, dims: Sequence[str]) -> GroupTotals:
        """Every measure added up per combination of `dims` values (a copy)."""
        return self._source.totals_by(self._view, self._query, tuple(dims))


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
        self._memos: dict[_MemoKey, GroupTotals] = {}

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
            self._add_to_memos(u)
        self.batches = batch

    def _add_to_memos(self, u: ViewUpdate) -> None:
        for memo_key in list(self._memos):
            view, query, dims = memo_key
            if view != u.collection or not all(u.key.get(f) == want for f, want in query):
                continue
            if u.set:  # a sum cannot follow a value replaced: add it up again when asked
                del self._memos[memo_key]
                continue
            sums = self._memos[memo_key].setdefault(tuple(u.key[d] for d in dims), {})
            for path, amount in u.inc.items():
                sums[path] = sums.get(path, 0) + amount

    def totals_by(self, view: str, query: Query, dims: tuple[str, ...]) -> GroupTotals:
        """The integer measures of the cells `query` selects, added up per combination
        of `dims` values; remembered and kept current as batches are applied."""
        if not set(query) | set(dims) <= set(VIEW_KEYS[view]):  # sums follow key fields only
            return _add_up(self.select(view, query), VIEW_KEYS[view], dims)
        memo_key = (view, tuple(sorted(query.items(), key=lambda kv: kv[0])), dims)
        memo = self._memos.get(memo_key)
        if memo is None:
            if len(self._memos) >= _MEMOS:
                self._memos.clear()
            memo = self._memos[memo_key] = _add_up(self.select(view, query), VIEW_KEYS[view], dims)
        return {group: dict(sums) for group, sums in memo.items()}

    def select(self, view: str, query: Query | None = None) -> CellSelection:
        """The cells of `view` matching `query` (equality only). Do not mutate them."""
        query = dict(query or {})
        for value in query.values():
            if isinstance(value, Mapping):
                raise ValueError(f"only equality is supported in a cell query, not {value!r}")
        cells = self._cells[view].values()
        chosen = [c for c in cells if matches(c, query)] if query else list(cells)
        return CellSelection(chosen, self, view, query)


def _add_up(cells: Iterable[Cell], key: Sequence[str], dims: Sequence[str]) -> GroupTotals:
    skip = set(key)
    out: GroupTotals = {}
    for cell in cells:
        sums = out.setdefault(tuple(cell.get(d) for d in dims), {})
        for name, value in cell.items():
            if type(value) is int and name not in skip:
                sums[name] = sums.get(name, 0) + value
    return out
