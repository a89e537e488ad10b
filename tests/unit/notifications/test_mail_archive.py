"""What settles a mail archive's purge, and how the notices are named to it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from services.notifications.adapters.mail_archive import (
    CHUNK,
    ArchiveUnavailable,
    MailArchive,
    confirmed,
    purge_urls,
    removed_count,
)
from shared.infra.kafka import TRANSIENT


@pytest.mark.parametrize("status", [200, 202, 204, 404, 410])
def test_done_or_nothing_held_settles_the_purge(status: int) -> None:
    assert confirmed(status)


@pytest.mark.parametrize("status", [301, 400, 401, 403, 405, 422, 429, 500, 502, 503])
def test_anything_else_is_tried_again(status: int) -> None:
    assert not confirmed(status)


def test_an_unconfirmed_purge_is_retried_by_the_consumer_never_dead_lettered() -> None:
    assert issubclass(ArchiveUnavailable, TRANSIENT)


def test_every_notice_is_named_once_in_requests_of_bounded_length() -> None:
    ids = [f"{n:08d}-0000-5000-8000-000000000000" for n in range(CHUNK * 2 + 5)]
    urls = purge_urls("http://127.0.0.1:8025/purge", [*ids, ids[0], ""])

    assert len(urls) == 3
    assert all(len(u) < 2048 for u in urls)
    named = [i for u in urls for i in parse_qs(urlsplit(u).query)["notification_id"]]
    assert named == ids
    # A URL that already has a query keeps it.
    assert purge_urls("https://archive.example/purge?tenant=siang", ids[:1]) == [
        f"https://archive.example/purge?tenant=siang&notification_id={ids[0]}"
    ]


async def test_nothing_to_forget_asks_nobody() -> None:
    # An unreachable URL: a request would fail, so none may be made.
    assert await MailArchive("http://127.0.0.1:9/purge", 0.1).forget([]) == 0


def test_the_count_is_read_when_the_archive_gives_it() -> None:
    assert removed_count(b'{"removed": 3}') == 3
    assert removed_count(b"") == 0
    assert removed_count(b"OK") == 0
    assert removed_count(b'{"removed": "3"}') == 0
