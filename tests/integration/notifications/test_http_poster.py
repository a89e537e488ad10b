"""The HTTP channels' real poster (aiohttp) against real loopback servers: what arrives,
and how refusals, silence, redirects and error answers are classified."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from services.notifications.adapters.channels.http_post import AiohttpPoster, post
from services.notifications.domain.backoff import PermanentFailure, TemporaryFailure
from tests.integration.notifications.receivers import HttpReceiver, free_port


@pytest.fixture
async def receiver() -> AsyncIterator[HttpReceiver]:
    r = HttpReceiver()
    await r.start()
    yield r
    await r.stop()


@pytest.fixture
async def poster() -> AsyncIterator[AiohttpPoster]:
    p = AiohttpPoster("Siang-Test/1")
    yield p
    await p.close()


async def test_the_body_and_headers_arrive_as_sent(
    receiver: HttpReceiver, poster: AiohttpPoster
) -> None:
    body = "เรื่องร้องเรียน SG-7K2P-9QXM".encode()
    reply = await post(
        poster,
        f"{receiver.url}/hooks/partner",
        headers={"Content-Type": "application/json", "Idempotency-Key": "n-1"},
        content=body,
        timeout=5,
    )
    assert reply.status == 200
    [call] = receiver.calls
    assert call.body == body
    assert call.headers["idempotency-key"] == "n-1"
    assert call.headers["user-agent"] == "Siang-Test/1"


async def test_json_is_sent_as_utf8_json(receiver: HttpReceiver, poster: AiohttpPoster) -> None:
    await post(poster, f"{receiver.url}/sms", headers={}, json={"text": "รับเรื่องแล้ว"}, timeout=5)
    [call] = receiver.calls
    assert call.json() == {"text": "รับเรื่องแล้ว"}
    assert call.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize(
    ("status", "kind"),
    [(503, TemporaryFailure), (429, TemporaryFailure), (404, PermanentFailure)],
)
async def test_error_answers_are_classified_with_the_receivers_words(
    receiver: HttpReceiver, poster: AiohttpPoster, status: int, kind: type[Exception]
) -> None:
    receiver.fail("/hook", status)
    with pytest.raises(kind, match=f"HTTP {status}") as raised:
        await post(poster, f"{receiver.url}/hook", headers={}, content=b"{}", timeout=5)
    words = "try later" if status >= 500 else '"no"'
    assert words in str(raised.value)


async def test_a_redirect_is_not_followed_and_not_counted_as_delivered(
    receiver: HttpReceiver, poster: AiohttpPoster
) -> None:
    receiver.fail("/moved", 301)
    with pytest.raises(PermanentFailure, match="redirected"):
        await post(poster, f"{receiver.url}/moved", headers={}, content=b"{}", timeout=5)
    assert len(receiver.attempts("/moved")) == 1


async def test_a_refused_connection_is_temporary(poster: AiohttpPoster) -> None:
    with pytest.raises(TemporaryFailure):
        await post(poster, f"http://127.0.0.1:{free_port()}/hook", headers={}, timeout=5)


async def test_a_receiver_that_never_answers_is_temporary_after_the_timeout(
    poster: AiohttpPoster,
) -> None:
    held: list[asyncio.StreamWriter] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)  # read nothing, answer nothing

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        with pytest.raises(TemporaryFailure, match=r"within 0\.3 s"):
            await post(poster, f"http://127.0.0.1:{port}/hook", headers={}, timeout=0.3)
    finally:
        for w in held:
            w.close()
        server.close()
        await server.wait_closed()


async def test_a_closed_poster_sends_again_on_a_fresh_pool(
    receiver: HttpReceiver, poster: AiohttpPoster
) -> None:
    await post(poster, f"{receiver.url}/hook", headers={}, content=b"{}", timeout=5)
    await poster.close()
    await post(poster, f"{receiver.url}/hook", headers={}, content=b"{}", timeout=5)
    assert len(receiver.accepted("/hook")) == 2
