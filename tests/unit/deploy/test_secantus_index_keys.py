"""The local SecantusDB keys plain top-level fields directly and gives exactly the index
keys, and multikey verdicts, its own general walk gives, whatever the documents and
indexes hold; queries through those indexes find what they should."""

from __future__ import annotations

import datetime
from typing import Any

import bson
from hypothesis import given
from hypothesis import strategies as st
from secantus import storage
from secantus.collation import parse as parse_collation
from secantus.storage import Storage

from deploy.local import secantus_index_keys

assert secantus_index_keys.install()
shipped_keys = storage._index_key_variants.__wrapped__  # type: ignore[attr-defined]
shipped_multikey = storage._doc_makes_multikey.__wrapped__  # type: ignore[attr-defined]

fields = st.sampled_from(["a", "b", "c", "a.x", "0"])
single = st.one_of(
    st.sampled_from(["", "a", "ข", "A", "ค้นหา"]),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.binary(max_size=3),
    st.builds(bson.ObjectId),
    st.builds(bson.Int64, st.integers(-5, 5)),
    st.builds(bson.Timestamp, st.integers(0, 2**31), st.integers(0, 9)),
    st.datetimes(timezones=st.just(datetime.UTC)),
    st.datetimes(),
)
values = st.recursive(
    single,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["x", "y"]), inner, max_size=2)
    ),
    max_leaves=6,
)
documents = st.dictionaries(st.sampled_from(["a", "b", "c", "0", "d"]), values, max_size=4)
specs = st.dictionaries(
    fields, st.sampled_from([1, -1, 1.0, bson.Int64(-1)]), min_size=1, max_size=3
)
collations = st.sampled_from([None, parse_collation({"locale": "en", "strength": 2})])


@given(documents, specs, st.booleans(), collations)
def test_keys_are_exactly_those_secantusdb_gives(
    doc: dict[str, Any], spec: dict[str, Any], sparse: bool, collation: Any
) -> None:
    direct = storage._index_key_variants(doc, spec, sparse=sparse, collation=collation)
    assert direct == shipped_keys(doc, spec, sparse=sparse, collation=collation)


@given(documents, specs)
def test_multikey_verdicts_are_those_secantusdb_gives(
    doc: dict[str, Any], spec: dict[str, Any]
) -> None:
    assert storage._doc_makes_multikey(doc, spec) == shipped_multikey(doc, spec)


def test_queries_through_the_indexes_find_what_they_should(store: Storage) -> None:
    store.create_index("d", "cases", "unit_1_received_at_-1", {"unit": 1, "received_at": -1})
    store.create_index("d", "cases", "merged_into_1", {"merged_into": 1}, {"sparse": True})
    store.create_index("d", "cases", "tracking_code_1", {"tracking_code": 1}, {"unique": True})
    day = datetime.datetime(2026, 12, 7, tzinfo=datetime.UTC)
    store.insert(
        "d",
        "cases",
        [
            {
                "_id": f"C-{n}",
                "unit": "u1" if n % 2 else "u2",
                "received_at": day + datetime.timedelta(hours=n),
                "tracking_code": f"T{n}",
                **({"merged_into": "C-0"} if n in (3, 4) else {}),
            }
            for n in range(6)
        ],
    )

    newest_first = store.find_matching(
        "d", "cases", {"unit": "u1"}, sort={"received_at": -1}, hint="unit_1_received_at_-1"
    )
    assert [d["_id"] for d in newest_first] == ["C-5", "C-3", "C-1"]
    merged = store.find_matching("d", "cases", {"merged_into": "C-0"}, hint="merged_into_1")
    assert sorted(d["_id"] for d in merged) == ["C-3", "C-4"]
    taken = store.insert("d", "cases", [{"_id": "C-9", "unit": "u1", "tracking_code": "T2"}])
    assert taken[0] == 0 and taken[1][0]["code"] == 11000
