"""The local SecantusDB walks a collection's index catalogue once per write statement
instead of several times per statement and per document, and its writes still honour
every index: unique keys (with their collation), indexes built or dropped between
statements, and an index that becomes multikey mid-statement."""

from __future__ import annotations

from typing import Any

import pytest
from secantus.storage import Storage

from deploy.local import secantus_catalogue

assert secantus_catalogue.install()


class CountedWalks:
    """The storage's catalogue cursor, counting the walks started on it (a walk begins
    with `search_near`; a lookup of one index, with `search`)."""

    def __init__(self, cursor: Any, walks: list[str]) -> None:
        self._cursor = cursor
        self._walks = walks

    def search_near(self) -> Any:
        self._walks.append("walk")
        return self._cursor.search_near()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)

    def __setitem__(self, key: Any, value: Any) -> None:
        self._cursor[key] = value


def catalogue_walks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    walks: list[str] = []
    cursor = Storage._cursor

    def counted(self: Storage, table: str, *args: Any, **kwargs: Any) -> Any:
        opened = cursor(self, table, *args, **kwargs)
        return CountedWalks(opened, walks) if table == "table:secantus_indexes" else opened

    monkeypatch.setattr(Storage, "_cursor", counted)
    return walks


def with_indexes(store: Storage, count: int) -> None:
    for n in range(count):
        store.create_index("d", "cases", f"f{n}_1", {f"f{n}": 1})
    store.create_index("d", "cases", "ref_1", {"ref": 1}, {"unique": True})


def test_a_batch_insert_reads_the_catalogue_per_statement_not_per_document(
    store: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_indexes(store, 10)
    walks = catalogue_walks(monkeypatch)
    docs = [{"_id": n, "ref": f"r{n}", **{f"f{i}": n for i in range(10)}} for n in range(50)]
    assert store.insert("d", "cases", docs) == (50, [])
    # Before: 3 per document written, so 150 and more.
    assert len(walks) < 10
    walks.clear()
    updated = store.update_matching(
        "d", "cases", {"f0": {"$lt": 20}}, {"$inc": {"f1": 1}}, multi=True
    )
    assert updated["modified"] == 20
    # Before: 86.
    assert len(walks) < 10


def test_unique_keys_are_still_refused_within_and_across_statements(store: Storage) -> None:
    with_indexes(store, 2)
    inserted, errors = store.insert(
        "d",
        "cases",
        [{"_id": 1, "ref": "a"}, {"_id": 2, "ref": "b"}, {"_id": 3, "ref": "a"}],
        ordered=False,
    )
    assert inserted == 2 and [e["code"] for e in errors] == [11000]
    _, errors = store.insert("d", "cases", [{"_id": 4, "ref": "b"}])
    assert [e["code"] for e in errors] == [11000]


def test_an_index_built_between_statements_is_honoured_by_the_next(store: Storage) -> None:
    with_indexes(store, 1)
    store.insert("d", "cases", [{"_id": 1, "ref": "a", "case": "x"}])
    store.create_index(
        "d",
        "cases",
        "case_1",
        {"case": 1},
        {"unique": True, "collation": {"locale": "en", "strength": 2}},
    )
    # The new index's collation folds case: "X" is the same key as "x".
    _, errors = store.insert("d", "cases", [{"_id": 2, "ref": "b", "case": "X"}])
    assert [e["code"] for e in errors] == [11000]
    store.drop_index("d", "cases", "case_1")
    assert store.insert("d", "cases", [{"_id": 3, "ref": "c", "case": "X"}]) == (1, [])


def test_an_index_made_multikey_mid_statement_still_finds_every_element(store: Storage) -> None:
    with_indexes(store, 1)
    store.insert(
        "d", "cases", [{"_id": 1, "ref": "a", "f0": 5}, {"_id": 2, "ref": "b", "f0": [6, 7]}]
    )
    store.insert(
        "d", "cases", [{"_id": 3, "ref": "c", "f0": [7, 8]}, {"_id": 4, "ref": "d", "f0": 7}]
    )
    found = sorted(d["_id"] for d in store.find_matching("d", "cases", {"f0": 7}))
    assert found == [2, 3, 4]
    assert store.index_is_multikey("d", "cases", "f0_1")
