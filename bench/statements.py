"""Statements per unit of shared plumbing, counted exactly on a fresh database by
SecantusDB's `top` (one count per command): what an outbox relay costs per commit it
publishes, and what one live reporting batch costs. Unlike `bench.pipeline`, whose
counts per case also hold every poll made while a slow run lasts, these do not depend
on how busy the machine is.

    .venv/bin/python -m bench.statements [--commits 200] [--events 400]
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from pymongo import AsyncMongoClient

from bench.common import fresh_names, infra
from bench.reporting import history
from services.reporting.adapters.view_store import ViewStore
from shared.infra.kafka import EventPublisher
from shared.infra.outbox import Outbox, OutboxRelay
from shared.infra.settings import KafkaSettings
from tests.support import comment, delete_topics

SECTIONS = ("insert", "update", "remove", "queries", "getmore", "commands")
Counts = dict[str, dict[str, int]]


async def top(client: AsyncMongoClient[dict[str, Any]], db: str) -> Counts:
    totals = (await client.admin.command("top"))["totals"]
    return {
        ns.split(".", 1)[1]: {k: v["count"] for k, v in s.items() if k in SECTIONS}
        for ns, s in totals.items()
        if ns.startswith(f"{db}.")
    }


def between(before: Counts, after: Counts) -> Counts:
    out: Counts = {}
    for coll, sections in after.items():
        old = before.get(coll, {})
        moved = {k: v - old.get(k, 0) for k, v in sections.items() if v != old.get(k, 0)}
        if moved:
            out[coll] = moved
    return out


async def relay_cost(
    client: AsyncMongoClient[dict[str, Any]], db: str, bootstrap: str, prefix: str, commits: int
) -> str:
    """Commits of one row each, 20 ms apart, a running relay woken after each."""
    outbox = Outbox(client[db])
    await outbox.ensure_indexes()
    settings = KafkaSettings(bootstrap_servers=bootstrap, topic_prefix=prefix)
    async with EventPublisher(settings) as publisher:
        relay = OutboxRelay(outbox, publisher, name="bench-statements")
        relay.start()
        await asyncio.sleep(1.0)
        before = await top(client, db)
        for i in range(commits):
            await outbox.add([comment(f"case-{i}", "x")])
            relay.wake()
            await asyncio.sleep(0.02)
        await asyncio.sleep(1.5)
        await relay.stop()
        moved = between(before, await top(client, db)).get("outbox", {})
    left = await client[db]["outbox"].count_documents({})
    besides = sum(moved.values()) - moved.get("insert", 0)
    return (
        f"outbox relay, {commits} commits of one row: {moved}; "
        f"{besides / commits:.2f} statements per commit besides its insert; {left} rows left"
    )


async def batch_cost(client: AsyncMongoClient[dict[str, Any]], db: str, events: int) -> str:
    """Live reporting batches of ten events of a scripted history."""
    store = ViewStore(client, client[db])
    await store.ensure()
    history_events = history(events)
    before = await top(client, db)
    for i in range(0, len(history_events), 10):
        await store.apply(history_events[i : i + 10])
    batches = (len(history_events) + 9) // 10
    moved = between(before, await top(client, db))
    per_coll = {c: round(sum(s.values()) / batches, 2) for c, s in sorted(moved.items())}
    total = sum(sum(s.values()) for s in moved.values())
    return (
        f"reporting, {batches} batches of 10 events: {total / batches:.2f} statements "
        f"per batch; by collection {per_coll}"
    )


async def measure(bootstrap: str, url: str, args: argparse.Namespace) -> None:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url)
    prefix, db = fresh_names("statements")
    try:
        print(await relay_cost(client, db, bootstrap, prefix, args.commits), flush=True)
        print(await batch_cost(client, db, args.events), flush=True)
    finally:
        await client.drop_database(db)
        await client.close()
        await delete_topics(bootstrap, prefix)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.statements")
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--events", type=int, default=400)
    args = parser.parse_args()
    bootstrap, url = infra()  # before the event loop: it checks the servers with its own
    asyncio.run(measure(bootstrap, url, args))


if __name__ == "__main__":
    main()
