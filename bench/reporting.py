"""Reporting throughput and report latency on the real Kafka and MongoDB-wire server.

    .venv/bin/python -m bench.reporting [--events 100000] [--queries 200] [--batch-size 1000]

1. Pre-loads `--events` CloudEvents (a fiscal year of cases: opened, triaged, assigned,
   in progress, resolved, surveyed, closed, notified) onto fresh, prefixed topics, and
   the same events into a raw-event collection.
2. Starts the reporting service's real app (its batch consumer) and times until every
   event is applied: events/s, with and without the consumer group's join.
3. Baseline in the same run: one aggregation pipeline over the raw events computing the
   same headline summary (received, closed, resolved, surveys, rating sum per unit,
   category, channel and month): its time.
4. Report latency: GET /v1/reports/summary for the fiscal year through the app (in
   process, no network), plain, grouped by channel and for one unit, p50 and p99: first
   after start (every cell loaded), right after a live batch changed the views (the
   dashboard case), and with the views unchanged since the same question.
5. A rebuild of every view from the events: its time.

Needs the local servers (`make dev` or the test session start them). The default is the
issue's 100,000 events, about three minutes here with the rebuild; `--events 20000` and
`--skip-rebuild` make a quicker run.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import random
import statistics
import time
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer  # type: ignore[import-untyped]

from services.reporting.app import create_app
from services.reporting.handlers.rebuild import Rebuilder
from services.reporting.metrics import ReportingMetrics
from services.reporting.settings import ReportingSettings
from shared.contract import topics
from shared.contract.catalogue import load_catalogue
from shared.contract.events import (
    CaseAssigned,
    CaseClosed,
    CaseOpened,
    CaseStatus,
    CaseStatusChanged,
    CaseTriaged,
    Channel,
    Clock,
    CloseReason,
    CloudEvent,
    ComplaintType,
    Kind,
    NotificationSent,
    Priority,
    SurveyAnswered,
    make_event,
)
from shared.infra.auth import AuthSettings, StaffRole, issue_token
from shared.infra.sessions import STAFF_COLLECTION
from shared.infra.settings import KafkaSettings, MongoSettings
from shared.thai.dates import BANGKOK
from tests.support import delete_topics

YEAR_START = datetime(2025, 10, 1, 8, 0, tzinfo=BANGKOK)  # FY 2569
FISCAL_YEAR = 2569


_catalogue = functools.cache(load_catalogue)


def case_events(rng: random.Random, n: int) -> list[CloudEvent[Any]]:
    """One case's events, 3 to 9 of them."""
    cat = _catalogue()
    category = rng.choice(cat.categories)
    units = [u.code for u in cat.units if not u.triage]
    cid = f"c{n}-{uuid.uuid4().hex[:6]}"
    at = YEAR_START + timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
    kind = rng.choice(list(category.kinds))

    def ev(data: Any, moment: datetime) -> CloudEvent[Any]:
        return make_event(data, source="/bench", subject=cid, time=moment)

    out = [
        ev(
            CaseOpened(
                case_id=cid,
                submission_id=f"s-{cid}",
                tracking_code=f"SG-{cid}",
                channel=rng.choice(list(Channel)),
                kind=kind,
                complaint_type=rng.choice(list(ComplaintType)) if kind == Kind.complaint else None,
                category=category.code,
                unit=category.unit,
                priority=Priority.normal,
                subject="bench",
                received_at=at,
                deadlines={Clock.resolution: at + timedelta(days=15)},
            ),
            at,
        )
    ]
    unit = rng.choice(units) if rng.random() < 0.2 else category.unit
    steps = [
        (
            CaseTriaged(
                case_id=cid, unit=unit, priority=Priority.normal, category=category.code, actor="t"
            ),
            2,
        ),
        (CaseAssigned(case_id=cid, unit=unit, assignee="staff", actor="s"), 4),
        (_status(cid, CaseStatus.assigned, CaseStatus.in_progress), 24),
        (_status(cid, CaseStatus.in_progress, CaseStatus.resolved), 24 * rng.randint(1, 25)),
    ]
    depth = rng.randint(0, len(steps))
    for data, hours in steps[:depth]:
        at = at + timedelta(hours=hours)
        out.append(ev(data, at))
    if depth == len(steps):
        if rng.random() < 0.5:
            at += timedelta(hours=5)
            out.append(
                ev(
                    SurveyAnswered(
                        case_id=cid, rating=rng.randint(1, 5), solved=True, answered_at=at
                    ),
                    at,
                )
            )
        at += timedelta(days=2)
        out.append(ev(CaseClosed(case_id=cid, reason=CloseReason.resolved, actor="s"), at))
    out.append(
        ev(
            NotificationSent(
                notification_id=uuid.uuid4().hex,
                case_id=cid,
                source_event_id=out[0].id,
                channel=rng.choice(["email", "line", "sms"]),
                template="case_opened",
                recipient_role="complainant",
                attempts=1,
            ),
            out[0].time + timedelta(minutes=1),
        )
    )
    return out


def _status(cid: str, frm: CaseStatus, to: CaseStatus) -> CaseStatusChanged:
    return CaseStatusChanged.model_validate(
        {"case_id": cid, "from": frm, "to": to, "command": "bench", "actor": "s"}
    )


def history(count: int, seed: int = 2569) -> list[CloudEvent[Any]]:
    rng = random.Random(seed)
    events: list[CloudEvent[Any]] = []
    n = 0
    while len(events) < count:
        events.extend(case_events(rng, n))
        n += 1
    return events


def applied_so_far(metrics: ReportingMetrics) -> int:
    return int(
        sum(
            sample.value
            for family in metrics.applied.collect()
            for sample in family.samples
            if sample.name.endswith("_total")
        )
    )


async def preload(kafka: KafkaSettings, events: list[CloudEvent[Any]]) -> float:
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka.bootstrap_servers, acks="all", linger_ms=20, max_batch_size=1 << 20
    )
    await producer.start()
    started = time.perf_counter()
    try:
        for i in range(0, len(events), 5000):
            futures = [
                await producer.send(
                    topics.with_prefix(kafka.topic_prefix, e.topic),
                    e.to_json(),
                    key=e.subject.encode(),
                )
                for e in events[i : i + 5000]
            ]
            await asyncio.gather(*futures)
    finally:
        await producer.stop()
    return time.perf_counter() - started


BASELINE = [
    {
        "$group": {
            "_id": "$case_id",
            "opened": {
                "$max": {
                    "$cond": [{"$eq": ["$type", "th.go.siang.case.opened.v1"]}, "$event.data", None]
                }
            },
            "unit": {"$last": {"$ifNull": ["$event.data.unit", None]}},
            "closed": {"$max": {"$cond": [{"$eq": ["$type", "th.go.siang.case.closed.v1"]}, 1, 0]}},
            "resolved": {"$max": {"$cond": [{"$eq": ["$event.data.to", "resolved"]}, 1, 0]}},
            "surveys": {
                "$sum": {"$cond": [{"$eq": ["$type", "th.go.siang.survey.answered.v1"]}, 1, 0]}
            },
            "rating": {"$sum": {"$ifNull": ["$event.data.rating", 0]}},
        }
    },
    {"$match": {"opened": {"$ne": None}}},
    {
        "$group": {
            "_id": {
                "unit": "$unit",
                "category": "$opened.category",
                "channel": "$opened.channel",
                "month": {"$substr": ["$opened.received_at", 0, 7]},
            },
            "received": {"$sum": 1},
            "closed": {"$sum": "$closed"},
            "resolved": {"$sum": "$resolved"},
            "surveys": {"$sum": "$surveys"},
            "rating_sum": {"$sum": "$rating"},
        }
    },
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


async def run(args: argparse.Namespace) -> None:
    run_id = uuid.uuid4().hex[:8]
    kafka = KafkaSettings(bootstrap_servers=args.kafka, topic_prefix=f"bench.{run_id}.")
    mongo = MongoSettings(url=args.mongo, database=f"bench_reporting_{run_id}")
    events = history(args.events)
    print(f"events: {len(events)} ({len({e.subject for e in events})} cases), run {run_id}")
    loaded = await preload(kafka, events)
    print(f"pre-loaded onto Kafka in {loaded:.1f}s")

    settings = ReportingSettings(
        kafka=kafka, mongo=mongo, batch_size=args.batch_size, consumer_group=f"bench-{run_id}"
    )
    app = create_app(settings)
    ctx = app.state.ctx
    async with app.router.lifespan_context(app):
        started = time.perf_counter()
        first: float | None = None
        while True:
            # The service's own counter: counting the ledger would read all of it under
            # SecantusDB's lock twenty times a second and slow the consumer it measures.
            done = applied_so_far(ctx.metrics)
            if done and first is None:
                first = time.perf_counter()
            if done >= len(events):
                break
            if time.perf_counter() - started > args.timeout:
                raise SystemExit(f"only {done} of {len(events)} applied after {args.timeout}s")
            await asyncio.sleep(0.05)
        total = time.perf_counter() - started
        applying = time.perf_counter() - (first or started)
        print(
            f"incremental: all applied {total:.1f}s after start ({len(events) / total:,.0f} events/s);"
            f" {applying:.1f}s from the first batch ({len(events) / applying:,.0f} events/s)"
        )

        raw = ctx.store.db["bench_raw_events"]
        for i in range(0, len(events), 5000):
            await raw.insert_many(
                [
                    {
                        "_id": e.id,
                        "case_id": e.subject,
                        "type": e.type,
                        "event": e.model_dump(mode="json", by_alias=True),
                    }
                    for e in events[i : i + 5000]
                ]
            )
        t0 = time.perf_counter()
        rows = await (await raw.aggregate(BASELINE)).to_list()
        baseline = time.perf_counter() - t0
        print(
            f"baseline: one aggregation pipeline over the raw events {baseline * 1000:,.0f} ms ({len(rows)} cells)"
        )

        # Reporting checks a token against its account in workflow's `staff` collection.
        await ctx.store.db[STAFF_COLLECTION].update_one(
            {"_id": "bench"}, {"$set": {"name": "bench", "role": "committee"}}, upsert=True
        )
        token = issue_token(
            AuthSettings(), id="bench", name="bench", role=StaffRole.committee, unit=None
        )
        headers = {"Authorization": f"Bearer {token}"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as http:
            queries: tuple[tuple[str, dict[str, str | int]], ...] = (
                ("summary", {"fiscal_year": FISCAL_YEAR}),
                ("summary by channel", {"fiscal_year": FISCAL_YEAR, "group_by": "channel"}),
                ("summary of one unit", {"fiscal_year": FISCAL_YEAR, "unit": "admin"}),
            )
            rng = random.Random(7)
            extra = 0
            for label, params in queries:
                for mode in ("first", "changed", "unchanged"):
                    times = []
                    rounds = {"first": 5, "changed": max(args.queries // 2, 20)}
                    for _ in range(rounds.get(mode, args.queries)):
                        if mode == "first":
                            ctx.store._cells = None  # as just started: loads every cell
                        elif mode == "changed":
                            # A live batch (one more case) lands before each question.
                            await ctx.store.apply(case_events(rng, len(events) + extra))
                            extra += 1
                        t0 = time.perf_counter()
                        r = await http.get("/v1/reports/summary", params=params, headers=headers)
                        times.append(time.perf_counter() - t0)
                        assert r.status_code == 200, r.text
                    received = r.json()["summary"]["received"]
                    print(
                        f"{label} ({mode}): p50 {statistics.median(times) * 1000:.1f} ms, "
                        f"p99 {pct(times, 0.99) * 1000:.1f} ms ({received} cases)"
                    )
            views = await ctx.store.current()
            cells = await ctx.store.db[views.name("report_cases")].estimated_document_count()
            print(f"view cells (report_cases documents): {cells}")
        if not args.skip_rebuild:
            rebuilt = await Rebuilder(ctx.store, raw).run()
            print(
                f"rebuild: {rebuilt.events} events of {rebuilt.cases} cases "
                f"in {rebuilt.seconds:.1f}s"
            )
    client = ctx.store.client
    if not args.keep:
        from pymongo import AsyncMongoClient

        dropper: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(args.mongo)
        await dropper.drop_database(mongo.database)
        await dropper.close()
        await delete_topics(kafka.bootstrap_servers, kafka.topic_prefix)
    del client


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reporting")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--kafka", default="127.0.0.1:9092")
    parser.add_argument("--mongo", default=MongoSettings().url)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--skip-rebuild", action="store_true", help="measure no rebuild")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
