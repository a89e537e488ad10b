"""The local SecantusDB matches `$in` over strings by set membership and gives exactly
the answers its own matching gives, whatever the documents and lists hold."""

from __future__ import annotations

from typing import Any

from bson.regex import Regex
from hypothesis import given
from hypothesis import strategies as st
from secantus import query
from secantus.storage import Storage

from deploy.local import secantus_membership

assert secantus_membership.install()
shipped = query._op_matches.__wrapped__  # type: ignore[attr-defined]

words = st.sampled_from(["a", "b", "ค", "A", "", "1"])
values = st.one_of(words, st.integers(0, 2), st.none(), st.lists(words, max_size=3))
entries = st.lists(
    st.one_of(words, words, words, st.integers(0, 2), st.none(), st.just(Regex("^a"))),
    max_size=6,
)
documents = st.dictionaries(st.just("f"), values, max_size=1)


def matches_as_shipped(doc: dict[str, Any], filter_: dict[str, Any]) -> bool:
    patched = query._op_matches
    query._op_matches = shipped
    try:
        return bool(query.matches(doc, filter_))
    finally:
        query._op_matches = patched


@given(documents, entries)
def test_in_matches_exactly_as_secantusdb_does(doc: dict[str, Any], listed: list[Any]) -> None:
    filter_ = {"f": {"$in": listed}}
    assert query.matches(doc, filter_) == matches_as_shipped(doc, filter_)


@given(documents, st.lists(words, max_size=6))
def test_in_over_strings_matches_exactly_as_secantusdb_does(
    doc: dict[str, Any], listed: list[str]
) -> None:
    filter_ = {"f": {"$in": listed}}
    assert query.matches(doc, filter_) == matches_as_shipped(doc, filter_)


def test_reads_updates_and_deletes_by_id_lists_touch_exactly_the_listed(store: Storage) -> None:
    store.insert("d", "rows", [{"_id": f"k{n}", "state": "sending"} for n in range(100)])
    listed = [f"k{n}" for n in range(0, 100, 3)] + ["absent"]
    found = {d["_id"] for d in store.find_matching("d", "rows", {"_id": {"$in": listed}})}
    assert found == {f"k{n}" for n in range(0, 100, 3)}
    settled = store.update_matching(
        "d",
        "rows",
        {"_id": {"$in": listed}, "state": "sending"},
        {"$set": {"state": "sent"}},
        multi=True,
    )
    assert settled["modified"] == 34
    sent = {d["_id"] for d in store.find_matching("d", "rows", {"state": "sent"})}
    assert sent == found
    store.delete_matching("d", "rows", {"_id": {"$in": listed}})
    assert len(list(store.find_matching("d", "rows", {}))) == 66


def test_a_collation_still_folds_case(store: Storage) -> None:
    store.insert("d", "rows", [{"_id": 1, "name": "Somchai"}])
    folded = {"locale": "en", "strength": 2}
    found = list(store.find_matching("d", "rows", {"name": {"$in": ["somchai"]}}, collation=folded))
    assert [d["_id"] for d in found] == [1]
