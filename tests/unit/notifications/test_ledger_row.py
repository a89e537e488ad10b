"""A delivery row keeps its notice as JSON text, and older rows' nested notices still read."""

from __future__ import annotations

from datetime import UTC, datetime

from services.notifications.adapters.ledger import ledger_row, stored_notice

from .sample import partner_notice

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def test_a_row_holds_its_notice_as_text_and_gives_it_back_whole() -> None:
    notice = partner_notice(3)
    row = ledger_row(notice, NOW, NOW)
    assert isinstance(row["notice"], str)
    assert stored_notice(row) == notice
    assert (row["_id"], row["state"], row["next_attempt_at"]) == (
        notice.ledger_key,
        "scheduled",
        NOW,
    )


def test_an_older_row_with_a_nested_notice_still_reads() -> None:
    notice = partner_notice(4)
    older = {**ledger_row(notice, NOW, NOW), "notice": notice.model_dump(mode="json")}
    assert stored_notice(older) == notice
