"""Two intake replicas on the real MongoDB-wire server share the per-address limits of the
public doors: the web channel (API without a key and the form) and the tracking door
refuse the request past the limit with 429 and Retry-After, whichever replica the earlier
ones reached, once each has added its requests to the shared count (every
`rate_limit_flush_seconds`; here the test says when, as that time passing would)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from pymongo import AsyncMongoClient

from services.intake.adapters.rate_counts import COLLECTION
from services.intake.app import create_app
from services.intake.context import IntakeContext
from services.intake.settings import IntakeSettings
from shared.infra.settings import KafkaSettings, MongoSettings

BODY = {
    "kind": "suggestion",
    "category": "school-lunch",
    "subject": "ผลไม้ในมื้อกลางวัน",
    "description": "ขอให้เพิ่มผลไม้",
}
LIMIT = 4
# Four requests per ten minutes: the test runs inside one window (see `in_one_window`).
RATE_PER_MINUTE = 0.4
WINDOW_SECONDS = 600


@dataclass
class Replica:
    client: httpx.AsyncClient
    ctx: IntakeContext

    async def post(self, url: str, **kw: Any) -> httpx.Response:
        return await self.client.post(url, **kw)

    async def get(self, url: str, **kw: Any) -> httpx.Response:
        return await self.client.get(url, **kw)

    async def flush(self) -> None:
        """What the replica does on its own every flush period."""
        await self.ctx.web_limiter.flush()
        await self.ctx.track_limiter.flush()


@contextlib.asynccontextmanager
async def replicas(
    kafka: KafkaSettings, mongo: MongoSettings
) -> AsyncIterator[tuple[Replica, Replica]]:
    settings = IntakeSettings(
        kafka=kafka,
        mongo=mongo,
        web_burst=LIMIT,
        web_rate_per_minute=RATE_PER_MINUTE,
        track_burst=LIMIT,
        track_rate_per_minute=RATE_PER_MINUTE,
        rate_limit_flush_seconds=3600,  # never on its own within the test
    )
    async with contextlib.AsyncExitStack() as stack:
        clients = []
        for name in ("intake-a", "intake-b"):
            app = create_app(settings)
            await stack.enter_async_context(app.router.lifespan_context(app))
            await app.state.runtime.wait_connected(60)
            client = await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{name}")
            )
            clients.append(Replica(client, app.state.ctx))
        yield clients[0], clients[1]


async def in_one_window() -> None:
    """Start with most of a window ahead, so no boundary resets the counts mid-test."""
    left = WINDOW_SECONDS - time.time() % WINDOW_SECONDS
    if left < 20:
        await asyncio.sleep(left + 0.1)


def refused_with_retry_after(r: httpx.Response) -> None:
    assert r.status_code == 429, r.text
    assert 1 <= int(r.headers["Retry-After"]) <= WINDOW_SECONDS


async def test_the_web_limit_holds_across_two_replicas(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    async with replicas(kafka_settings, mongo_settings) as (a, b):
        await in_one_window()
        statuses = [
            (await replica.post("/v1/submissions", json=BODY)).status_code
            for replica in (a, b, a, b)
        ]
        assert statuses == [202] * LIMIT
        await a.flush()
        await b.flush()
        # b has seen only two of the four and refuses the fifth.
        refused_with_retry_after(await b.post("/v1/submissions", json=BODY))
        # a added its two before b's were there: it lets one more through (the margin
        # the limit allows: what the other replica took since a's last batch), then knows.
        assert (await a.post("/v1/submissions", json=BODY)).status_code == 202
        await a.flush()
        refused_with_retry_after(await a.post("/v1/submissions", json=BODY))
        # The form is the same door: refused too, on the page, in Thai.
        form = await b.post("/submit", data={**BODY, "kind": "suggestion"})
        refused_with_retry_after(form)
        assert "ส่งเรื่องถี่เกินไป" in form.text
        await a.flush()
        await b.flush()
    # One small document per address and window, not one per request.
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_settings.url)
    try:
        docs = await client[mongo_settings.database][COLLECTION].find({}).to_list()
        indexes = await client[mongo_settings.database][COLLECTION].index_information()
    finally:
        await client.close()
    # Every request counted, the refused ones too: 5 accepted, 3 refused.
    assert [(d["_id"].split("@")[0], d["n"]) for d in docs] == [("web:127.0.0.1", LIMIT + 4)]
    assert any(i.get("expireAfterSeconds") == 0 for i in indexes.values()), indexes


async def test_the_tracking_limit_holds_across_two_replicas(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    async with replicas(kafka_settings, mongo_settings) as (a, b):
        await in_one_window()
        # The submission to look up: the web door, counted apart from the tracking door.
        made = await a.post("/v1/submissions", json=BODY)
        assert made.status_code == 202, made.text
        code, pin = made.json()["tracking_code"], made.json()["tracking_pin"]
        headers = {"X-Tracking-PIN": pin}
        statuses = [
            (await replica.get(f"/v1/track/{code}", headers=headers)).status_code
            for replica in (a, b, a, b)
        ]
        assert statuses == [200] * LIMIT
        await a.flush()
        await b.flush()
        refused_with_retry_after(await b.get(f"/v1/track/{code}", headers=headers))
        # The tracking page on the other replica: the same address, the same count once
        # a knows b's lookups (its first post is the margin, as on the web door).
        page = await a.get(f"/track/{code}")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token, page.text
        form = {"pin": pin, "csrf_token": token.group(1)}
        assert (await a.post(f"/track/{code}", data=form)).status_code == 200
        await a.flush()
        refused_with_retry_after(await a.post(f"/track/{code}", data=form))
