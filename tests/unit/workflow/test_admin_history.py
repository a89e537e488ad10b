"""What the history records of an admin's change: each field that differs, before and
after, never a password or its hash, and no more than an entry lists."""

from __future__ import annotations

from services.workflow.domain.admin_history import (
    MAX_CHANGES,
    FieldChange,
    changes_between,
)


def test_only_the_fields_that_differ_are_listed_by_their_path() -> None:
    before = {"priority": {"default": "normal", "by_category": {"corruption": "high"}}}
    after = {"priority": {"default": "normal", "by_category": {"corruption": "urgent"}}}
    changes, more = changes_between(before, after)
    assert changes == [
        FieldChange(field="priority.by_category.corruption", before="high", after="urgent")
    ]
    assert more == 0


def test_a_field_added_or_removed_has_no_value_on_one_side() -> None:
    changes, _ = changes_between({"category_units": {}}, {"category_units": {"documents": "legal"}})
    assert changes == [FieldChange(field="category_units.documents", before=None, after="legal")]
    changes, _ = changes_between({"category_units": {"documents": "legal"}}, {})
    assert changes == [FieldChange(field="category_units.documents", before="legal", after=None)]


def test_list_items_are_numbered_from_one_in_number_order() -> None:
    before = {"rules": [{"resolution": 10}] * 12}
    after = {"rules": [{"resolution": 9}] * 12}
    fields = [c.field for c in changes_between(before, after)[0]]
    assert fields[:3] == ["rules.1.resolution", "rules.2.resolution", "rules.3.resolution"]
    assert fields[-1] == "rules.12.resolution"  # after rules.2, not between 1 and 2


def test_a_new_account_shows_its_fields_and_never_its_secrets() -> None:
    after = {
        "name": "สมชาย ใจดี",
        "role": "staff",
        "active": True,
        "password": "never-this",
        "password_hash": "$argon2...",
        "session_version": 3,
        "open_cases": 7,
    }
    changes, _ = changes_between(None, after)
    assert {c.field: c.after for c in changes} == {
        "active": "true",
        "name": "สมชาย ใจดี",
        "role": "staff",
    }
    assert "never-this" not in repr(changes) and "argon2" not in repr(changes)


def test_a_long_value_is_cut_and_a_huge_change_is_counted_not_listed() -> None:
    changes, _ = changes_between({}, {"note": "ก" * 500})
    assert changes[0].after is not None and len(changes[0].after) == 120
    many = {f"f{i:03}": i for i in range(MAX_CHANGES + 15)}
    listed, more = changes_between({}, many)
    assert len(listed) == MAX_CHANGES and more == 15
