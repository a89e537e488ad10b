"""One read of a collection's index catalogue per write statement, for the local
SecantusDB (installed by `secantusd.py`).

SecantusDB 0.7.0b3 walks a collection's catalogue table, decoding every index's entry,
four times per write statement (its indexes, their partial filters, which are multikey,
their options) and again for each document whose index entries it writes or removes,
whose unique keys it checks or whose geo keys it validates: three or four more walks
per document written. On `cases`, with twelve indexes, a walk costs about 0.06 ms, and
the walks were 40-50% of a one-document insert or update (`bench.secantus_storage`).

Within one attempt of a write statement the catalogue cannot change under it: the
statement holds the collection's lock, which every index build and drop also takes, and
it reads one snapshot. So the catalogue is walked once per attempt and what it held is
shared by those calls. The one change a write makes to its own collection's catalogue
(marking an index multikey, when a document first brings an array to it) drops the
memo, so the next call walks the catalogue again. Outside a write statement (queries,
index builds, listings) every call walks the catalogue as before.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger(__name__)

# SecantusDB's write statements: each attempt (its conflict retries re-run the function
# from scratch) takes the collection's lock and one WiredTiger transaction.
STATEMENTS = (
    "_insert_chunk",
    "_update_chunk",
    "_update_matching_single_txn",
    "_delete_chunk",
    "_delete_matching_single_txn",
)


Row = tuple[str, dict[str, Any], dict[str, Any]]  # an index's name, key and options
Key = tuple[int, str, str]  # the storage, database and collection


class _Read:
    """One collection's catalogue as read in this attempt, and its options map once
    built from it."""

    __slots__ = ("options", "rows")

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows
        self.options: dict[str, dict[str, Any]] | None = None


class _Memo(threading.local):
    # Set while this thread runs a write statement.
    reads: dict[Key, _Read] | None = None


def install() -> bool:
    """Walk the catalogue once per write statement; False (and the server unchanged) if
    this SecantusDB does not have the shape this was written for."""
    try:
        from secantus import storage
    except ImportError:
        return False
    store = getattr(storage, "Storage", None)
    retry = getattr(storage, "_retry_write_conflicts", None)
    walk: Callable[..., Iterable[Row]] | None = getattr(store, "_iter_indexes", None)
    mark_multikey: Callable[..., set[str]] | None = getattr(store, "_maybe_mark_multikey", None)
    raws: dict[str, Callable[..., Any]] = {}
    for name in STATEMENTS:
        raw = getattr(getattr(store, name, None), "__wrapped__", None)
        if raw is not None:
            raws[name] = raw
    if retry is None or walk is None or mark_multikey is None or len(raws) != len(STATEMENTS):
        log.warning("SecantusDB's storage has changed; its catalogue is walked as before")
        return False
    if getattr(walk, "memoised", False):
        return True
    memo = _Memo()

    def read(self: Any, db: str, coll: str) -> _Read | None:
        reads = memo.reads
        if reads is None:
            return None
        key = (id(self), db, coll)
        found = reads.get(key)
        if found is None:
            found = reads[key] = _Read(list(walk(self, db, coll)))
        return found

    def iter_indexes(self: Any, db: str, coll: str) -> Iterable[Row]:
        found = read(self, db, coll)
        return walk(self, db, coll) if found is None else found.rows

    def index_options_map(self: Any, db: str, coll: str) -> dict[str, dict[str, Any]]:
        found = read(self, db, coll)
        if found is None:
            return {name: dict(opts) for name, _key, opts in walk(self, db, coll)}
        if found.options is None:
            found.options = {name: dict(opts) for name, _key, opts in found.rows}
        return found.options

    def forgetting_multikey(
        self: Any, db: str, coll: str, doc: Any, indexes: Any, already: set[str]
    ) -> set[str]:
        before = len(already)
        grown = mark_multikey(self, db, coll, doc, indexes, already)
        if len(grown) != before and memo.reads is not None:
            # It may have written the catalogue: the next call walks it again.
            memo.reads.pop((id(self), db, coll), None)
        return grown

    def scoped(raw: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(raw)
        def statement(self: Any, *args: Any, **kwargs: Any) -> Any:
            if memo.reads is not None:  # a statement within a statement: one scope
                return raw(self, *args, **kwargs)
            memo.reads = {}
            try:
                return raw(self, *args, **kwargs)
            finally:
                memo.reads = None

        return statement

    iter_indexes.memoised = True  # type: ignore[attr-defined]
    store._iter_indexes = iter_indexes  # type: ignore[union-attr]
    store._index_options_map = index_options_map  # type: ignore[union-attr]
    store._maybe_mark_multikey = forgetting_multikey  # type: ignore[union-attr]
    for name, raw in raws.items():
        setattr(store, name, retry(scoped(raw)))
    return True
