"""The summary views held in dicts, updated exactly as MongoDB applies our upserts.

`update_one(filter=key, {"$inc": ..., "$set": ...}, upsert=True)`: a missing document
is created from the key's equality fields; dotted names reach into (and create)
sub-documents; `$inc` on a missing field sets it; `$inc` on a non-number, a field in both
operators, or a key field, is an error as it is in MongoDB. Used by unit tests, by the
rebuild-equals-incremental property, and as the fake behind the adapter's contract tests.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from services.reporting.domain.views import VIEW_KEYS, Scalar, ViewUpdate
from shared.infra.mongo import Document


class ViewUpdateError(ValueError):
    """An update MongoDB would refuse."""


def _parent(doc: Document, path: str) -> tuple[Document, str]:
    *parents, leaf = path.split(".")
    node = doc
    for name in parents:
        child = node.setdefault(name, {})
        if not isinstance(child, dict):
            raise ViewUpdateError(f"cannot create field {path!r}: {name!r} is not a document")
        node = child
    return node, leaf


def _check_paths(update: ViewUpdate) -> None:
    paths = [*update.inc, *update.set]
    key_fields = set(update.key)
    for path in paths:
        if path.split(".")[0] in key_fields:
            raise ViewUpdateError(f"{path!r} would change a key field")
    if len(set(paths)) != len(paths):
        raise ViewUpdateError("a field is both $inc'ed and $set")
    whole = set(paths)
    for path in paths:
        parts = path.split(".")
        for end in range(1, len(parts)):
            if ".".join(parts[:end]) in whole:
                raise ViewUpdateError(f"updating {path!r} and its parent would conflict")


def apply_update(doc: Document, update: ViewUpdate) -> None:
    """Apply `$inc` then `$set` of one update to `doc` in place."""
    _check_paths(update)
    for path, amount in update.inc.items():
        node, leaf = _parent(doc, path)
        current = node.get(leaf, 0)
        if isinstance(current, bool) or not isinstance(current, int | float):
            raise ViewUpdateError(f"cannot $inc non-numeric field {path!r}")
        node[leaf] = current + amount
    for path, value in update.set.items():
        node, leaf = _parent(doc, path)
        node[leaf] = copy.deepcopy(value)


class MemoryViews:
    """Every view's documents, keyed like the unique index on `VIEW_KEYS`."""

    def __init__(self) -> None:
        self._docs: dict[str, dict[tuple[Scalar, ...], Document]] = {}

    def apply(self, updates: Iterable[ViewUpdate]) -> None:
        """Upsert each update in order."""
        for update in updates:
            collection, values = update.identity()
            docs = self._docs.setdefault(collection, {})
            doc = docs.get(values)
            if doc is None:
                doc = dict(update.key)
                docs[values] = doc
            apply_update(doc, update)

    def documents(self, collection: str) -> list[Document]:
        """Copies of the view's documents (no `_id`), in key order."""
        docs = self._docs.get(collection, {})
        return [copy.deepcopy(docs[k]) for k in sorted(docs, key=_sort_key)]

    def snapshot(self) -> dict[str, list[Document]]:
        """Every view's documents, for comparing two ways of building the views."""
        return {name: self.documents(name) for name in VIEW_KEYS if name in self._docs}


def _sort_key(values: tuple[Scalar, ...]) -> tuple[tuple[int, str], ...]:
    # Key tuples may hold None (no complaint type), which does not compare with str.
    return tuple(
        (0, "") if x is None else (1, f"{x:>12}" if isinstance(x, int) else x) for x in values
    )


def fold(updates: Iterable[ViewUpdate]) -> dict[str, list[Document]]:
    """The views that applying `updates` in order to empty collections leaves."""
    views = MemoryViews()
    views.apply(updates)
    return views.snapshot()
