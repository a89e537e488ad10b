"""The whole pipeline under load: submissions through intake's HTTP API until every case
is assigned, its assignee notified and the case counted in the reports, with all four
services as their own processes on the real Kafka and SecantusDB (and a real SMTP server).

    .venv/bin/python -m bench.pipeline [--count 3000] [--rate 200 --seconds 15] [--warmup 5]

A warm-up, two loads on one running system, then the baselines in the same run:
- warm-up: `--warmup` seconds (5) at `--rate`, its cases finished and not counted. The
  first minutes after a start are not what a sustained load costs: Kafka's JIT compiler
  was still busy then (on a broker just started, Kafka's CPU per case read 1.04 ms
  against 0.49-0.69 ms in the runs after), and each service makes its first statements
  and renders its first templates;
- steady: an open loop of `--rate` submissions/s for `--seconds`; per submission, the
  end-to-end latency from intake's HTTP answer to the last of: the case assigned, the
  assignee's notice sent, both applied to the report views;
- saturation: `--count` submissions from `--concurrency` clients as fast as accepted;
  accepted/s at the door, and end-to-end throughput (count / time from the first request
  to the last case done);
- baselines: the same number of `submission.received` events produced and consumed with
  plain aiokafka (acks=all, idempotent), and one bare MongoDB insert per event.

When a case is done is read from the reporting journal, which stamps each event with the
time its view update committed (`stored_at`); the journal is read incrementally by that
indexed field, so watching costs little while the load runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from tempfile import mkdtemp
from typing import Any

import orjson
import uvloop
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer  # type: ignore[import-untyped]
from pymongo import ASCENDING, AsyncMongoClient

from bench import loadgen
from bench.common import infra, machine, table, yardstick
from bench.costs import Costs, snapshot
from deploy.local.servers import servers
from services.reporting.adapters.event_docs import journal_entries
from services.workflow.handlers.submissions import case_id_for
from tests.e2e.system import System, running_system
from tests.support import delete_topics

OPENED = "th.go.siang.case.opened.v1"
ASSIGNED = "th.go.siang.case.assigned.v1"
SENT = "th.go.siang.notification.sent.v1"
# (category, kind) pairs the catalogue allows, spread over five units.
TOPICS = [
    ("service-quality", "suggestion"),
    ("documents", "complaint"),
    ("school-admission", "question"),
    ("school-lunch", "feedback"),
    ("teaching-quality", "complaint"),
    ("procurement", "question"),
    ("student-welfare", "suggestion"),
]


def body(i: int) -> bytes:
    category, kind = TOPICS[i % len(TOPICS)]
    doc: dict[str, Any] = {
        "kind": kind,
        "category": category,
        "subject": f"เรื่องที่ {i}: ขอให้ปรับปรุงการให้บริการ",
        "description": "ยื่นคำขอแล้วยังไม่ได้รับคำตอบภายในกำหนด ขอให้ติดตามให้ด้วย " * 3,
        "language": "th" if i % 4 else "en",
    }
    if kind == "complaint":
        doc["complaint_type"] = "service"
    if i % 2:  # half leave an address and may be contacted: they are told too
        doc["contact"] = {"name": f"ผู้ร้อง {i}", "email": f"person{i}@example.com"}
        doc["consent"] = {"contact_me": True}
    return orjson.dumps(doc)


@dataclass
class Case:
    answered_at: float  # epoch seconds of intake's 202
    opened: float | None = None  # views updated with the case (counted)
    assigned: float | None = None  # when the workflow assigned it (event time)
    assigned_counted: float | None = None
    notified: float | None = None  # when the notice was sent (event time)
    notified_counted: float | None = None

    def done(self) -> float | None:
        marks = (self.opened, self.assigned_counted, self.notified, self.notified_counted)
        return None if any(m is None for m in marks) else max(m for m in marks if m)


# What the watcher reads of a journal page: its entries' marks, and the events' JSON text
# (a string each, cheap to read), parsed only for a notice's template.
WATCHED = {
    "stored_at": 1,
    **{f"events.{f}": 1 for f in ("case_id", "type", "time", "stored_at", "value")},
}


@dataclass
class Watch:
    """Reads the reporting journal forward by `stored_at` and fills in the cases."""

    cases: dict[str, Case] = field(default_factory=dict)  # by case id
    last: datetime = datetime(2000, 1, 1, tzinfo=UTC)
    seen: set[str] = field(default_factory=set)

    async def poll(self, journal: Any) -> None:
        cursor = journal.find({"stored_at": {"$gte": self.last}}, WATCHED).sort(
            [("stored_at", ASCENDING), ("n", ASCENDING)]
        )
        async for page in cursor:
            if page["_id"] in self.seen:
                continue
            self.seen.add(page["_id"])
            self.last = max(self.last, _aware(page["stored_at"]))
            for doc in journal_entries(page):
                self._note(doc)

    def _note(self, doc: Mapping[str, Any]) -> None:
        case = self.cases.get(doc.get("case_id") or "")
        if case is not None:
            stored = _aware(doc["stored_at"]).timestamp()
            if doc["type"] == OPENED:
                case.opened = stored
            elif doc["type"] == ASSIGNED:
                case.assigned = _event_time(doc)
                case.assigned_counted = stored
            elif doc["type"] == SENT and _template(doc) == "case_assigned":
                case.notified = _event_time(doc)
                case.notified_counted = stored

    def pending(self) -> int:
        return sum(1 for c in self.cases.values() if c.done() is None)


def _template(doc: Mapping[str, Any]) -> str | None:
    template = orjson.loads(doc["value"])["data"].get("template")
    return template if isinstance(template, str) else None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _event_time(doc: Mapping[str, Any]) -> float:
    value = doc["time"]
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return float(_aware(value).timestamp())


@dataclass
class Outcome:
    run: loadgen.Run
    cases: dict[str, Case]
    first_sent: float
    last_done: float
    unfinished: int
    costs: Costs

    def latencies(self, stage: str) -> list[float]:
        out = []
        for c in self.cases.values():
            mark = c.done() if stage == "done" else getattr(c, stage)
            if mark is not None:
                out.append(mark - c.answered_at)
        return sorted(out)

    def end_to_end_rate(self) -> float:
        done = len(self.cases) - self.unfinished
        return done / (self.last_done - self.first_sent)

    def pace(self) -> Pace:
        """Whether the pipeline kept pace with the load, which `end_to_end_rate` cannot
        say of a steady one: it counts until the last case is done, so a pipeline that
        keeps up still reads below the offered rate by its latency (0.7 s behind a
        20-second load at 250/s: 241/s)."""
        sending = self.run.seconds
        start, end = self.first_sent + sending / 2, self.first_sent + sending
        done = [d for c in self.cases.values() if (d := c.done()) is not None]
        by_answer = sorted(self.cases.values(), key=lambda c: c.answered_at)
        fifth = max(1, len(by_answer) // 5)
        return Pace(
            done_per_second=sum(1 for d in done if start <= d < end) / (end - start),
            first_fifth=_median_latency(by_answer[:fifth]),
            last_fifth=_median_latency(by_answer[-fifth:]),
        )


@dataclass(frozen=True)
class Pace:
    """Cases done per second over the second half of the sending (the pipeline filled
    by then), and the median latency of the first and the last fifth of the cases sent:
    a pipeline keeping up does the offered rate, and its latency does not grow."""

    done_per_second: float
    first_fifth: float
    last_fifth: float


def _median_latency(cases: list[Case]) -> float:
    values = [d - c.answered_at for c in cases if (d := c.done()) is not None]
    return statistics.median(values) if values else float("nan")


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(len(values) * q))]


async def drive(system: System, load: str, args: argparse.Namespace, offset: int) -> Outcome:
    port = system.services["intake"].port
    host = f"127.0.0.1:{port}"

    def request(i: int) -> bytes:
        return loadgen.post("/v1/submissions", host, body(offset + i), {})

    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(system.mongo_url)
    journal = client[system.database]["report_journal"]
    watch = Watch()
    pids = processes(system)
    before = await snapshot(client, system.database, pids, starting=True)
    watch.last = datetime.now(UTC)
    first_sent = time.time()
    if load == "steady":
        run = await loadgen.steady("127.0.0.1", port, request, args.rate, args.seconds)
    else:
        run = await loadgen.saturate("127.0.0.1", port, request, args.count, args.concurrency)
    for answer in run.answers:
        if answer.status == 202:
            submission_id = orjson.loads(answer.body)["submission_id"]
            watch.cases[case_id_for(submission_id)] = Case(answered_at=answer.at)
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        await watch.poll(journal)
        if not watch.pending():
            break
        await asyncio.sleep(0.5)
    done = [d for c in watch.cases.values() if (d := c.done()) is not None]
    after = await snapshot(client, system.database, pids, starting=False)
    # Per case opened, which is the work done: a submission answered 503 may still have
    # become a case (intake relays through Kafka when MongoDB is slow), and is not watched.
    opened = after.documents.get("cases", 0) - before.documents.get("cases", 0)
    costs = Costs.between(before, after, max(opened, len(done)))
    await client.close()
    last = max(done, default=first_sent)
    return Outcome(run, watch.cases, first_sent, last, watch.pending(), costs)


def processes(system: System) -> dict[str, int]:
    """Every process the pipeline runs on, by name: the services, the servers (shared
    with whatever else runs on the machine) and this one (the load generator, the SMTP
    receiver and the watcher of the journal)."""
    pids = {n: s.proc.pid for n, s in system.services.items() if s.proc is not None}
    for server in servers():
        if (pid := server.pid()) is not None:
            pids["SecantusDB" if server.name == "mongo" else server.name] = pid
    pids["load generator, SMTP receiver, watcher"] = os.getpid()
    return pids


async def kafka_baseline(bootstrap: str, values: list[bytes]) -> tuple[float, list[float]]:
    """Events/s and per-event latencies of produce (acks=all) → consume with plain aiokafka."""
    topic = f"bench.pipeline-baseline.{uuid.uuid4().hex[:8]}"
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"bench-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        metadata_max_age_ms=500,
    )
    await producer.start()
    await consumer.start()
    latencies: list[float] = []
    try:
        start = time.time()
        sends = [
            await producer.send(topic, value=orjson.dumps({"t": time.time(), "v": v.decode()}))
            for v in values
        ]
        await asyncio.gather(*sends)
        while len(latencies) < len(values):
            batch = await consumer.getmany(timeout_ms=500, max_records=1000)
            now = time.time()
            latencies += [now - orjson.loads(r.value)["t"] for rs in batch.values() for r in rs]
        return len(values) / (time.time() - start), sorted(latencies)
    finally:
        await consumer.stop()
        await producer.stop()
        await delete_topics(bootstrap, topic)


async def mongo_baseline(url: str, values: list[bytes], concurrency: int) -> float:
    """Documents/s of one bare insert per event (majority, journaled), `concurrency` at once."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url, w="majority", journal=True)
    collection = client[f"bench_baseline_{uuid.uuid4().hex[:8]}"]["events"]
    pending = iter(values)

    async def writer() -> None:
        for v in pending:
            await collection.insert_one({"_id": uuid.uuid4().hex, "event": v})

    try:
        start = time.time()
        await asyncio.gather(*(writer() for _ in range(concurrency)))
        return len(values) / (time.time() - start)
    finally:
        await client.drop_database(collection.database.name)
        await client.close()


def answers(run: loadgen.Run) -> str:
    statuses = Counter(a.status for a in run.answers)
    return f"answers {dict(sorted(statuses.items()))}, connection errors {run.errors}"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def report(
    steady: Outcome,
    saturated: Outcome,
    kafka: tuple[float, list[float]],
    mongo: float,
    sticks: list[float],
) -> str:
    rows = []
    for name, o in (("steady", steady), ("saturation", saturated)):
        done = o.latencies("done")
        rows.append(
            (
                f"{name} ({o.run.mode})",
                f"{o.run.accepted}/{o.run.sent}",
                f"{o.run.rate:,.0f}/s",
                f"{o.end_to_end_rate():,.0f}/s",
                ms(statistics.median(done)) if done else "-",
                ms(pct(done, 0.99)),
                str(o.unfinished),
            )
        )
    lines = [
        f"machine: {machine()}",
        "yardstick (ms of fixed Python work, the pipeline idle) before each load and after: "
        + ", ".join(f"{v:.1f}" for v in sticks),
        table(
            rows,
            (
                "load",
                "accepted/sent",
                "accepted/s at intake",
                "end to end/s",
                "p50 end to end",
                "p99 end to end",
                "unfinished",
            ),
        ),
        "",
        "pace at the steady load (keeping up: done/s near the offered rate, latency not growing):",
        table(
            [
                (
                    f"{steady.run.mode}",
                    f"{(pace := steady.pace()).done_per_second:,.0f}/s",
                    ms(pace.first_fifth),
                    ms(pace.last_fifth),
                )
            ],
            (
                "load",
                "done/s, second half of the sending",
                "p50, first fifth sent",
                "p50, last fifth sent",
            ),
        ),
        "",
        "stages at the steady load (from intake's answer):",
        table(
            [
                (
                    stage,
                    ms(statistics.median(v)) if (v := steady.latencies(attr)) else "-",
                    ms(pct(v, 0.99)),
                )
                for stage, attr in (
                    ("case assigned (workflow)", "assigned"),
                    ("case counted (reporting)", "opened"),
                    ("assignee's notice sent (notifications)", "notified"),
                    ("all of it in the views", "done"),
                )
            ],
            ("stage", "p50", "p99"),
        ),
        "",
        "baselines in the same run:",
        table(
            [
                (
                    "aiokafka produce (acks=all) + consume",
                    f"{kafka[0]:,.0f}/s",
                    ms(statistics.median(kafka[1])),
                    ms(pct(kafka[1], 0.99)),
                    f"{saturated.end_to_end_rate() / kafka[0]:.3f}",
                ),
                (
                    "bare MongoDB insert, one per event",
                    f"{mongo:,.0f}/s",
                    "",
                    "",
                    f"{saturated.end_to_end_rate() / mongo:.3f}",
                ),
            ],
            ("baseline", "events/s", "p50", "p99", "pipeline end to end / baseline"),
        ),
    ]
    for name, o in (("steady", steady), ("saturation", saturated)):
        lines += ["", f"costs at the {name} load: {o.costs.summary()}", o.costs.render()]
    return "\n".join(lines)


async def measure(system: System, args: argparse.Namespace) -> str:
    if args.warmup > 0:
        warm = await drive(
            system,
            "steady",
            argparse.Namespace(**{**vars(args), "seconds": args.warmup}),
            2_000_000,
        )
        print(
            f"warm-up, not counted: {answers(warm.run)}, {warm.unfinished} unfinished", flush=True
        )
    sticks = [yardstick()]  # the pipeline idle before each load and after the last
    steady = await drive(system, "steady", args, 0)
    print(f"steady: {answers(steady.run)}, {steady.unfinished} unfinished", flush=True)
    print(f"steady costs: {steady.costs.summary()}", flush=True)
    sticks.append(yardstick())
    saturated = await drive(system, "saturation", args, 1_000_000)
    print(f"saturation: {answers(saturated.run)}, {saturated.unfinished} unfinished", flush=True)
    print(f"saturation costs: {saturated.costs.summary()}", flush=True)
    sticks.append(yardstick())
    values = [body(i) for i in range(args.count)]
    kafka = await kafka_baseline(system.kafka_bootstrap, values)
    mongo = await mongo_baseline(system.mongo_url, values, args.concurrency)
    return report(steady, saturated, kafka, mongo, sticks)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pipeline")
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=5, help="seconds at --rate, not counted")
    parser.add_argument("--timeout", type=float, default=300, help="for the cases to finish")
    args = parser.parse_args()
    bootstrap, mongo_url = infra()
    logs = Path(mkdtemp(prefix="siang-bench-pipeline-"))
    with running_system(bootstrap, mongo_url, logs) as system:
        print(f"services up; logs in {logs}", flush=True)
        # On uvloop, as the services run: the load generator and the watcher share the
        # machine with the services they measure.
        print(uvloop.run(measure(system, args)))


if __name__ == "__main__":
    main()
