"""What one claim of the notifications' delivery ledger costs while a backlog is due: the
worker claims whenever a slot frees, so under overload this is paid many times a
second. The baseline, in the same run, is the claim reading every due row (the full
read it makes every few seconds anyway, and made on every claim before).

    .venv/bin/python -m bench.claims [--backlog 500 5000] [--claims 40]
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import AsyncMongoClient

import services.notifications.adapters.ledger as ledger_module
from bench.common import infra, table
from services.notifications.adapters.ledger import DeliveryLedger
from tests.unit.notifications.sample import partner_notice

LEASE = timedelta(seconds=60)
RATE = 300  # deliveries planned per second of the backlog: about the pipeline's peak


async def claim_ms(url: str, backlog: int, claims: int, *, full_every: float) -> float:
    """Milliseconds per claim of 32 from `backlog` rows due over `backlog / RATE` s."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url, tz_aware=True)
    name = f"bench_claims_{uuid.uuid4().hex[:8]}"
    try:
        ledger = DeliveryLedger(client[name])
        await ledger.ensure_indexes()
        start = datetime.now(UTC) - timedelta(seconds=backlog / RATE)
        planned = [
            (partner_notice(f"b{i}"), start + timedelta(seconds=i / RATE)) for i in range(backlog)
        ]
        for i in range(0, backlog, 500):
            chunk = planned[i : i + 500]
            await ledger.schedule_many(chunk, now=chunk[0][1])
        previous = ledger_module._FULL_READ_SECONDS
        ledger_module._FULL_READ_SECONDS = full_every
        try:
            now = datetime.now(UTC)
            await ledger.claim(now, LEASE, 32)  # the first claim reads everything either way
            began = time.perf_counter()
            for _ in range(claims):
                await ledger.claim(now, LEASE, 32)
            return (time.perf_counter() - began) / claims * 1000
        finally:
            ledger_module._FULL_READ_SECONDS = previous
    finally:
        await client.drop_database(name)
        await client.close()


async def main(args: argparse.Namespace, url: str) -> None:
    rows = []
    for backlog in args.backlog:
        every = await claim_ms(url, backlog, args.claims, full_every=0.0)
        windows = await claim_ms(url, backlog, args.claims, full_every=10.0)
        rows.append([f"{backlog:,}", f"{windows:.1f} ms", f"{every:.1f} ms"])
    print(table(rows, ["rows due", "claim of 32 (windows)", "baseline: reading every due row"]))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.claims")
    parser.add_argument("--backlog", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--claims", type=int, default=40)
    _, mongo_url = infra()  # before the event loop: it checks readiness synchronously
    asyncio.run(main(parser.parse_args(), mongo_url))
