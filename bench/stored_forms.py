"""What the forms Siang stores its events in cost the database server, in CPU time per
statement (the server process's /proc figures, so the client's own work is left out).

- outbox reads: a relay holding 32 published rows, not yet swept, reads what is still
  to publish. Baseline: every row but the held ones (`_id $nin`), which the server walks
  in `seq` order, reading each held row whole before it can skip it; now: only rows
  numbered after the last held one (`seq > after`), on the `seq` index.
- events as text: the workflow's event store documents of opened cases (five events
  each), inserted twenty at a time and read back by case. Baseline: each event a nested
  document, as before; now: each event its JSON text.

Kinds alternate `--rounds` times; each row is the median and range.

    .venv/bin/python -m bench.stored_forms [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from bench.common import infra, machine, table
from bench.costs import cpu_seconds
from deploy.local.servers import servers
from shared.contract.events import CaseStatus
from shared.infra.event_store import store_document
from shared.infra.outbox import Outbox, outbox_documents
from tests.support import comment
from tests.unit.reporting.histories import Case

HELD = 32  # rows a relay holds at most before it sweeps
READS = 100
CASES = 1000


async def server_ms(pid: int, work: Callable[[], Awaitable[Any]], statements: int) -> float:
    before = cpu_seconds(pid) or 0.0
    await work()
    return ((cpu_seconds(pid) or 0.0) - before) * 1000 / statements


async def outbox_read_ms(db: AsyncDatabase[Any], pid: int, events: int) -> tuple[float, float]:
    """(reading past the held rows, reading after them), ms per read."""
    outbox = Outbox(db, f"outbox_{events}_{uuid.uuid4().hex[:6]}")
    await outbox.ensure_indexes()
    rows = []
    for r in range(HELD + 1):
        written = outbox_documents([comment(f"c-{r}-{i}", "x" * 300) for i in range(events)])
        await outbox.collection.insert_many(written)
        rows += written
    held = rows[:HELD]
    ids, after = [r["_id"] for r in held], int(held[-1]["seq"])

    async def past() -> None:
        for _ in range(READS):
            found = await outbox.collection.find({"_id": {"$nin": ids}}).sort("seq").to_list(8)
            assert len(found) == 1

    async def beyond() -> None:
        for _ in range(READS):
            assert len(await outbox.pending(events, after)) == 1

    return await server_ms(pid, past, READS), await server_ms(pid, beyond, READS)


def nested(doc: dict[str, Any]) -> dict[str, Any]:
    """The store document as it was before: each event a nested JSON document."""
    out = {k: v for k, v in doc.items() if k != "values"}
    out["events"] = [orjson.loads(v) for v in doc["values"]]
    return out


async def store_ms(db: AsyncDatabase[Any], pid: int, text: bool) -> tuple[float, float]:
    """(insert of twenty cases' opening documents, read of one case), ms per statement."""
    coll = db[f"case_events_{'text' if text else 'nested'}_{uuid.uuid4().hex[:6]}"]
    await coll.create_index([("case_id", 1), ("seq", 1)], unique=True)
    docs = []
    for i in range(CASES):
        case = Case(f"c{i}")
        events = [
            case.opened(),
            case.status(CaseStatus.received, CaseStatus.triaged),
            case.triaged(),
            case.status(CaseStatus.triaged, CaseStatus.assigned),
            case.assigned(),
        ]
        doc = store_document(f"c{i}", 0, events)
        docs.append(doc if text else nested(doc))

    async def insert() -> None:
        for i in range(0, CASES, 20):
            await coll.insert_many(docs[i : i + 20])

    async def read() -> None:
        for i in range(CASES):
            assert await coll.find_one({"case_id": f"c{i}"}) is not None

    return await server_ms(pid, insert, CASES // 20), await server_ms(pid, read, CASES)


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


async def main(args: argparse.Namespace, url: str, pid: int) -> None:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url)
    db = client[f"bench_stored_forms_{uuid.uuid4().hex[:8]}"]
    results: dict[str, list[float]] = {}

    def note(statement: str, ms: float) -> None:
        results.setdefault(statement, []).append(ms)

    try:
        for _ in range(args.rounds):
            for events in (5, 150):
                past, beyond = await outbox_read_ms(db, pid, events)
                note(f"outbox read, held rows of {events} events: past", past)
                note(f"outbox read, held rows of {events} events: after", beyond)
            for text in (False, True):
                form = "text" if text else "nested"
                insert, read = await store_ms(db, pid, text)
                note(f"event store insert of 20 cases: {form}", insert)
                note(f"event store read of a case: {form}", read)
    finally:
        await client.drop_database(db.name)
        await client.close()
    print(machine())
    print(table([[k, spread(v)] for k, v in results.items()], ["statement", "server CPU ms"]))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.stored_forms")
    parser.add_argument("--rounds", type=int, default=5)
    _, mongo_url = infra()  # before the event loop: it checks readiness synchronously
    mongo = next(s for s in servers() if s.name == "mongo")
    mongo_pid = mongo.pid()
    if mongo_pid is None:
        raise SystemExit("SecantusDB's process is not known: start it with deploy.local up")
    asyncio.run(main(parser.parse_args(), mongo_url, mongo_pid))
