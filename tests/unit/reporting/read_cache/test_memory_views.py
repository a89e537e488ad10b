"""In-memory views behave as MongoDB upserts with $inc/$set; updates combine exactly."""

from __future__ import annotations

from typing import Any

import pytest

from services.reporting.domain import views as v
from services.reporting.domain.views import ViewUpdate, combine
from services.reporting.read_cache.memory_views import MemoryViews, ViewUpdateError, fold

from ..histories import KEY


def up(inc: dict[str, int], set_: dict[str, Any] | None = None, **key: Any) -> ViewUpdate:
    return ViewUpdate(v.CASES, {**KEY, **key}, inc, set_ or {})


def test_upsert_creates_the_document_from_the_key_and_nests_dotted_fields() -> None:
    assert fold([up({"received": 1, "open.received": 1})]) == {
        v.CASES: [{**KEY, "received": 1, "open": {"received": 1}}]
    }


def test_inc_adds_and_set_replaces() -> None:
    views = MemoryViews()
    views.apply([up({"received": 1}, {"note.x": "a"}), up({"received": 2}, {"note.x": "b"})])
    assert views.documents(v.CASES) == [{**KEY, "received": 3, "note": {"x": "b"}}]


def test_documents_are_per_key_and_none_is_a_key_value() -> None:
    views = MemoryViews()
    views.apply([up({"received": 1}), up({"received": 1}, complaint_type="service")])
    assert [d["complaint_type"] for d in views.documents(v.CASES)] == [None, "service"]


def test_documents_are_copies() -> None:
    views = MemoryViews()
    views.apply([up({"open.received": 1})])
    views.documents(v.CASES)[0]["open"]["received"] = 99
    assert views.documents(v.CASES)[0]["open"]["received"] == 1


@pytest.mark.parametrize(
    ("inc", "set_"),
    [
        ({"open": 1, "open.received": 1}, {}),  # a field and its parent
        ({"received": 1}, {"received": 2}),  # both operators
        ({"unit": 1}, {}),  # a key field
    ],
)
def test_what_mongodb_refuses_is_refused(inc: dict[str, int], set_: dict[str, Any]) -> None:
    with pytest.raises(ViewUpdateError):
        MemoryViews().apply([up(inc, set_)])


def test_inc_on_a_non_number_is_refused() -> None:
    views = MemoryViews()
    views.apply([up({}, {"x": "text"})])
    with pytest.raises(ViewUpdateError, match="non-numeric"):
        views.apply([up({"x": 1})])


def test_an_update_needs_something_to_do_and_the_right_key() -> None:
    with pytest.raises(ValueError, match="something"):
        up({})
    with pytest.raises(ValueError, match="keyed by"):
        ViewUpdate(v.CASES, {"unit": "admin"}, {"received": 1})
    with pytest.raises(ValueError, match="unknown view"):
        ViewUpdate("nope", KEY, {"received": 1})


def test_to_mongo_leaves_out_empty_operators() -> None:
    u = up({"received": 1})
    assert u.filter() == KEY
    assert u.to_mongo() == {"$inc": {"received": 1}}
    assert up({"a": 1}, {"b": 2}).to_mongo() == {"$inc": {"a": 1}, "$set": {"b": 2}}


def test_combine_sums_per_document_and_keeps_cancelled_fields_as_zero() -> None:
    updates = [
        up({"received": 1, "open.received": 1}),
        up({"open.received": -1, "open.triaged": 1}),
        up({"received": 1}, unit="legal"),
    ]
    combined = combine(updates)
    assert len(combined) == 2
    assert combined[0].inc == {"received": 1, "open.received": 0, "open.triaged": 1}
    assert fold(combined) == fold(updates)
