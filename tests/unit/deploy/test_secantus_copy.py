"""The local SecantusDB's updates copy a document with a plain tree copy: equal to the
original, independent of it at every level, and the updates give the same documents."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import bson
from hypothesis import given
from hypothesis import strategies as st
from secantus.storage import Storage

from deploy.local import secantus_copy

assert secantus_copy.install()

leaves = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=5),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.binary(max_size=5),
    st.builds(bson.ObjectId),
    st.builds(bson.Int64, st.integers(-5, 5)),
    st.builds(bson.Regex, st.sampled_from(["^a", "b$"])),
    st.datetimes(timezones=st.just(datetime.UTC)),
)
keys = st.text(st.characters(exclude_characters="\0", exclude_categories=["Cs"]), max_size=3)
trees = st.recursive(
    leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=20,
)


def containers(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from containers(v)
    elif isinstance(value, list):
        yield value
        for v in value:
            yield from containers(v)


@given(st.dictionaries(keys, trees, max_size=5))
def test_a_copy_is_equal_and_shares_no_container(doc: dict[str, Any]) -> None:
    copied = secantus_copy.tree_copy(doc)
    assert bson.encode(copied) == bson.encode(doc)
    originals = {id(c) for c in containers(doc)}
    assert not originals & {id(c) for c in containers(copied)}


def test_an_update_leaves_the_stored_nesting_it_did_not_touch(store: Storage) -> None:
    notice = {"context": {"deadlines": {"resolve": "2026-12-31"}, "tags": ["a", "b"]}}
    store.insert("d", "rows", [{"_id": 1, "state": "sending", "notice": notice, "n": [1, 2]}])
    store.update_matching(
        "d", "rows", {"_id": 1}, {"$set": {"state": "sent", "notice.context.tags.1": "c"}}
    )
    store.update_matching("d", "rows", {"_id": 1}, {"$push": {"n": 3}, "$unset": {"state": ""}})
    (doc,) = store.find_matching("d", "rows", {"_id": 1})
    assert doc == {
        "_id": 1,
        "notice": {"context": {"deadlines": {"resolve": "2026-12-31"}, "tags": ["a", "c"]}},
        "n": [1, 2, 3],
    }
