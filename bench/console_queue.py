"""The console's queue page at 10,000 cases: how long `GET /console` takes, signed in,
over a few hundred requests across the tabs, filters, searches and a second page, beside
a bare baseline in the same run: the same filter, order and limit as one PyMongo `find`
(no count, no page, no sign-in check, no template).

    .venv/bin/python -m bench.console_queue [--cases 10000] [--rounds 30]

1. Writes `--cases` cases into a fresh database on the local SecantusDB, as the workflow
   writes them (`deploy/local/busy_office.py`: a year of an office's cases in their states).
2. Starts the workflow service as its own process on that database (it builds its
   indexes on start), signs in a member of staff, a supervisor and an admin.
3. Asks each combination `--rounds` times, round-robin (so a busy spell on the machine
   falls on all alike), each page over HTTP on loopback, one at a time; then the
   baseline `find` of each, as many times.
4. Prints p50 and p99 per combination and over all pages, the machine's load average
   before and after (the machine is shared), and drops the database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import time
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from html import unescape
from typing import Any

import httpx
from pymongo import AsyncMongoClient

from bench.common import ROOT, fresh_names, infra, machine, service_process, table
from deploy.local.busy_office import CONTACT_KEY, office, write
from services.workflow.adapters.case_queries import (
    ORDERS,
    CaseFilter,
    Position,
    Sort,
    case_query,
)
from services.workflow.domain.case_search import read_search
from services.workflow.handlers.queues import PAGE_SIZE, Queue, QueueAsk, queue_filter
from shared.infra.auth import Principal
from shared.thai.calendar import ThaiCalendar
from shared.thai.dates import to_bangkok
from tests.support import delete_topics

PORT = 18912
PASSWORD = "siang-demo-2569"
#: Who asks: the staff member, the supervisor and an admin of the demo directory.
PEOPLE = {"staff": "promotion.a", "supervisor": "promotion.head", "admin": "admin"}
ROLES = {"staff": "staff", "supervisor": "supervisor", "admin": "admin"}


@dataclass(frozen=True)
class Combo:
    label: str
    who: str
    ask: QueueAsk
    params: dict[str, str]


def combos(code: str, today: date) -> list[Combo]:
    first = (today - timedelta(days=90)).isoformat()
    return [
        Combo("staff: my cases", "staff", QueueAsk(queue=Queue.mine), {"view": "mine"}),
        Combo("supervisor: unit, open", "supervisor", QueueAsk(queue=Queue.unit), {"view": "unit"}),
        Combo(
            "supervisor: due soon",
            "supervisor",
            QueueAsk(queue=Queue.due_soon, sort=Sort.due),
            {"view": "due_soon"},
        ),
        Combo(
            "supervisor: overdue",
            "supervisor",
            QueueAsk(queue=Queue.overdue, sort=Sort.due),
            {"view": "overdue"},
        ),
        Combo(
            "supervisor: escalated",
            "supervisor",
            QueueAsk(queue=Queue.escalated),
            {"view": "escalated"},
        ),
        Combo(
            "supervisor: unassigned",
            "supervisor",
            QueueAsk(queue=Queue.unassigned),
            {"view": "unassigned"},
        ),
        Combo(
            "supervisor: any status, LINE, last 90 days",
            "supervisor",
            QueueAsk(
                queue=Queue.unit,
                statuses=(),
                channels=("line",),
                received_from=today - timedelta(days=90),
                received_to=today,
            ),
            {
                "view": "unit",
                "status": "all",
                "channel": "line",
                "from": first,
                "to": today.isoformat(),
            },
        ),
        Combo(
            "supervisor: a word, open",
            "supervisor",
            QueueAsk(queue=Queue.unit, search=read_search("นม", CONTACT_KEY)),
            {"view": "unit", "q": "นม"},
        ),
        Combo(
            "supervisor: a tracking code",
            "supervisor",
            QueueAsk(queue=Queue.unit, search=read_search(code, CONTACT_KEY)),
            {"view": "unit", "q": code},
        ),
        Combo(
            "supervisor: unit, open, most urgent first",
            "supervisor",
            QueueAsk(queue=Queue.unit, sort=Sort.priority),
            {"view": "unit", "sort": "priority"},
        ),
        Combo(
            "supervisor: unit, any status, page 2",
            "supervisor",
            QueueAsk(queue=Queue.unit, statuses=()),
            {"view": "unit", "status": "all"},  # + the "after" of page 1, found at start
        ),
        Combo("admin: every unit, open", "admin", QueueAsk(queue=Queue.unit), {"view": "unit"}),
        Combo(
            "admin: every unit, any status",
            "admin",
            QueueAsk(queue=Queue.unit, statuses=()),
            {"view": "unit", "status": "all"},
        ),
    ]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def ms(values: list[float]) -> tuple[str, str]:
    return f"{statistics.median(values) * 1000:.0f}", f"{pct(values, 0.99) * 1000:.0f}"


async def wait_ready(http: httpx.AsyncClient, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if (await http.get("/readyz")).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.5)
    raise SystemExit("the workflow service did not become ready")


async def sign_in(http: httpx.AsyncClient, username: str) -> str:
    answer = await http.post("/v1/auth/login", json={"username": username, "password": PASSWORD})
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def baseline_filter(combo: Combo, now: datetime, after: tuple[datetime, str] | None) -> CaseFilter:
    who = Principal.model_validate(
        {"sub": PEOPLE[combo.who], "name": combo.who, "role": ROLES[combo.who],
         "unit": None if combo.who == "admin" else "promotion", "exp": 0}
    )  # fmt: skip
    wanted = queue_filter(who, combo.ask, now, ThaiCalendar(), 3)
    assert wanted is not None
    return replace(wanted, after=after)


def find_sort(sort: Sort) -> list[tuple[str, int]]:
    """The order as a plain `find` can sort: a deadline by its field, a priority by its
    word (a find has no rank to sort by; the cost is the same)."""
    fields = {"received_at": "received_at", "due": "clocks.resolution.due_at", "rank": "priority"}
    order = [(fields[name], direction) for name, direction in ORDERS[sort]]
    return [*order, ("_id", order[0][1])]


async def run(args: argparse.Namespace, kafka_bootstrap: str, mongo_url: str) -> None:
    prefix, db_name = fresh_names("console_queue")
    load_before = os.getloadavg()
    now = datetime.now(UTC)
    started = time.perf_counter()
    busy = office(args.cases, now)
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url, tz_aware=True)
    await write(client[db_name], busy)
    print(f"{args.cases} cases written in {time.perf_counter() - started:.1f}s ({machine()})")
    code = next(c["tracking_code"] for c in busy.cases if c["unit"] == "promotion")
    plan = combos(code, to_bangkok(now).date())
    env = {
        "SIANG_KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "SIANG_KAFKA_TOPIC_PREFIX": prefix,
        "SIANG_MONGO_URL": mongo_url,
        "SIANG_MONGO_DATABASE": db_name,
        "SIANG_WORKFLOW_PORT": str(PORT),
        "SIANG_WORKFLOW_LOG_LEVEL": "WARNING",
        "SIANG_WORKFLOW_SCAN_INTERVAL_SECONDS": "3600",
    }
    log = ROOT / ".local" / "logs" / "bench-console-queue.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    pages: dict[str, list[float]] = {c.label: [] for c in plan}
    bare: dict[str, list[float]] = {c.label: [] for c in plan}
    totals: dict[str, str] = {}
    try:
        with service_process("services.workflow", env, log):
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{PORT}", timeout=60) as http:
                await wait_ready(http)
                tokens = {who: await sign_in(http, name) for who, name in PEOPLE.items()}
                # Page 2 of the unit's cases: the "next page" link of page 1.
                page2 = next(c for c in plan if c.label.endswith("page 2"))
                first = await http.get(
                    "/console", params=page2.params, cookies={"siang_token": tokens["supervisor"]}
                )
                after = re.search(r'href="/console\?([^"]+)" rel="next"', first.text)
                assert after, "page 1 has no next page"
                page2.params.update(
                    {k: v for k, v in httpx.QueryParams(unescape(after.group(1))).items()}
                )
                for combo in plan * 2:  # warm: templates, index pages, connections
                    await http.get(
                        "/console", params=combo.params, cookies={"siang_token": tokens[combo.who]}
                    )
                for _ in range(args.rounds):
                    for combo in plan:
                        t0 = time.perf_counter()
                        answer = await http.get(
                            "/console",
                            params=combo.params,
                            cookies={"siang_token": tokens[combo.who]},
                        )
                        pages[combo.label].append(time.perf_counter() - t0)
                        if answer.status_code != 200:
                            raise SystemExit(
                                f"{combo.label}: {answer.status_code} {answer.text[:300]}"
                            )
                        said = re.search(
                            r'<p class="q-count" role="status">\s*([^<]+)', answer.text
                        )
                        totals[combo.label] = said.group(1).strip() if said else "?"
        cases = client[db_name]["cases"]
        page2_after = _after(page2.params.get("after"))
        for _ in range(args.rounds):
            for combo in plan:
                wanted = baseline_filter(combo, now, page2_after if combo is page2 else None)
                t0 = time.perf_counter()
                found = cases.find(case_query(wanted), {"timeline": 0, "description": 0})
                rows = await found.sort(find_sort(combo.ask.sort)).limit(PAGE_SIZE + 1).to_list()
                bare[combo.label].append(time.perf_counter() - t0)
                if len(rows) > PAGE_SIZE + 1:
                    raise SystemExit(f"{combo.label}: the baseline ignored its limit")
    finally:
        await client.drop_database(db_name)
        await client.close()
        await delete_topics(kafka_bootstrap, prefix)
    lines = [(label, totals[label], *ms(pages[label]), *ms(bare[label])) for label in pages]
    print(table(lines, (f"queue ({args.cases:,} cases)", "page says", "page p50 ms", "page p99 ms",
                       "bare find p50 ms", "bare find p99 ms")))  # fmt: skip
    every = [t for times in pages.values() for t in times]
    staff = [t for c in plan if c.who != "admin" for t in pages[c.label]]
    print(f"all pages: {len(every)} requests, p50 {ms(every)[0]} ms, p99 {ms(every)[1]} ms")
    print(f"staff and supervisor pages: p50 {ms(staff)[0]} ms, p99 {ms(staff)[1]} ms")
    load_after = os.getloadavg()
    print(
        "load average (1, 5, 15 min) before "
        + ", ".join(f"{x:.1f}" for x in load_before)
        + "; after "
        + ", ".join(f"{x:.1f}" for x in load_after)
        + f" on {os.cpu_count()} cores"
    )


def _after(token: str | None) -> tuple[datetime, str] | None:
    """The (received_at, case id) a newest-first page position names, for the baseline's
    keyset (`CaseFilter.after`)."""
    if not token:
        return None
    position = Position.parse(token, Sort.newest)
    at = position.keys[0]
    assert isinstance(at, datetime)
    return at, position.case_id


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.console_queue")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    kafka_bootstrap, mongo_url = infra()  # before the event loop: it checks readiness synchronously
    asyncio.run(run(args, kafka_bootstrap, mongo_url))


if __name__ == "__main__":
    main()
