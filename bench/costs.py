"""What a stretch of load cost, per unit of work: CPU seconds of each process (from
/proc/<pid>/stat before and after), and on the database the statements each collection
of the run's database served, the server time they took and the documents each kept.

The statements come from SecantusDB's `top` (per namespace, one count per command, as
mongod counts it; transactions' commits are not namespaced and are left out); it is
kept by the server whatever we do, so reading it adds no cost to the run measured. The
documents kept are counted per collection before and after (a count on SecantusDB reads
the whole collection, so this happens only at the edges of a load); rows written and
deleted within the load, such as outbox rows once published, show in the statements
only. The machine and the servers are shared: the CPU not spent by the processes named
is printed as "the rest of the machine", so a busy neighbour shows.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pymongo import AsyncMongoClient

from bench.common import table

TICK = os.sysconf("SC_CLK_TCK")
# `top`'s sections for the statements that write, then the ones that read.
WRITES = ("insert", "update", "remove")
READS = ("queries", "getmore", "commands")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a process so far; None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # After the command name: state is field 3, utime field 14, stime field 15.
    return (int(fields[11]) + int(fields[12])) / TICK


def machine_busy_seconds() -> float:
    """CPU seconds every core spent on anything but idling, since boot."""
    with open("/proc/stat", encoding="ascii") as fh:
        ticks = [int(v) for v in fh.readline().split()[1:]]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return (sum(ticks[:8]) - idle) / TICK


@dataclass(frozen=True)
class Snapshot:
    cpu: dict[str, float]  # process name -> CPU seconds
    busy: float  # the whole machine
    top: dict[str, dict[str, dict[str, int]]]  # collection -> section -> {time, count}
    documents: dict[str, int]  # collection -> documents held


async def snapshot(
    client: AsyncMongoClient[dict[str, Any]],
    database: str,
    pids: Mapping[str, int],
    *,
    starting: bool,
) -> Snapshot:
    """The counters now. The documents are counted outside the stretch measured: before
    reading the CPU when it `starting`, after it when it ends. Counting a collection on
    SecantusDB reads it whole, and the load before (the steady phase's cases, under the
    saturation) would otherwise be charged to the stretch (SecantusDB's share of the CPU
    was about 0.7 points higher with it, some 0.06 ms per case)."""
    documents: dict[str, int] = {}
    if starting:
        documents = await _documents(client, database)
    cpu = {name: s for name, pid in pids.items() if (s := cpu_seconds(pid)) is not None}
    busy = machine_busy_seconds()
    totals = (await client.admin.command("top"))["totals"]
    prefix = f"{database}."
    top = {ns[len(prefix) :]: v for ns, v in totals.items() if ns.startswith(prefix)}
    if not starting:
        documents = await _documents(client, database)
    return Snapshot(cpu, busy, top, documents)


async def _documents(client: AsyncMongoClient[dict[str, Any]], database: str) -> dict[str, int]:
    db = client[database]
    return {
        name: int((await db.command("collStats", name))["count"])
        for name in await db.list_collection_names()
    }


@dataclass(frozen=True)
class Costs:
    """The difference of two snapshots, divided by the units of work done between them."""

    units: int
    cpu: dict[str, float]  # seconds per unit
    rest: float  # seconds per unit spent by processes not named
    statements: dict[str, dict[str, float]]  # collection -> section -> per unit
    server_ms: dict[str, float]  # collection -> ms of server time per unit
    documents: dict[str, float]  # collection -> documents kept per unit

    @staticmethod
    def between(before: Snapshot, after: Snapshot, units: int) -> Costs:
        n = max(units, 1)
        cpu = {k: (after.cpu[k] - before.cpu.get(k, 0.0)) / n for k in after.cpu}
        rest = (after.busy - before.busy) / n - sum(cpu.values())
        statements: dict[str, dict[str, float]] = {}
        server_ms: dict[str, float] = {}
        for coll, sections in after.top.items():
            old = before.top.get(coll, {})
            counts = {
                s: (v["count"] - old.get(s, {}).get("count", 0)) / n
                for s, v in sections.items()
                if s in WRITES + READS
            }
            if any(counts.values()):
                statements[coll] = counts
                old_time = old.get("total", {}).get("time", 0)
                server_ms[coll] = (sections["total"]["time"] - old_time) / 1000 / n
        documents = {
            k: (v - before.documents.get(k, 0)) / n
            for k, v in after.documents.items()
            if v != before.documents.get(k, 0)
        }
        return Costs(units, cpu, max(rest, 0.0), statements, server_ms, documents)

    def statements_per_unit(self, sections: tuple[str, ...] = WRITES + READS) -> float:
        return sum(v for c in self.statements.values() for s, v in c.items() if s in sections)

    def documents_per_unit(self) -> float:
        return sum(self.documents.values())

    def summary(self) -> str:
        return (
            f"{self.statements_per_unit():.2f} statements per case "
            f"({self.statements_per_unit(WRITES):.2f} writes), "
            f"{self.documents_per_unit():.2f} documents kept per case, "
            f"CPU {sum(self.cpu.values()) * 1000:.1f} ms per case in the processes named"
        )

    def render(self, unit: str = "case") -> str:
        cpu_rows = [(name, f"{s * 1000:.2f}") for name, s in self.cpu.items()]
        cpu_rows.append(("the rest of the machine (not this run)", f"{self.rest * 1000:.2f}"))
        colls = sorted(
            set(self.statements) | set(self.documents),
            key=lambda c: -self.server_ms.get(c, 0.0),
        )
        db_rows = []
        for c in colls:
            counts = self.statements.get(c, {})
            if sum(counts.values()) < 0.005 and abs(self.documents.get(c, 0.0)) < 0.005:
                continue  # collections the load did not touch
            db_rows.append(
                (
                    c,
                    f"{sum(counts.get(s, 0.0) for s in WRITES):.2f}",
                    f"{sum(counts.get(s, 0.0) for s in READS):.2f}",
                    f"{self.server_ms.get(c, 0.0):.2f}",
                    f"{self.documents.get(c, 0.0):.2f}",
                )
            )
        db_rows.append(
            (
                "all",
                f"{self.statements_per_unit(WRITES):.2f}",
                f"{self.statements_per_unit(READS):.2f}",
                f"{sum(self.server_ms.values()):.2f}",
                f"{self.documents_per_unit():.2f}",
            )
        )
        return "\n".join(
            [
                f"CPU per {unit} over {self.units} {unit}s:",
                table(cpu_rows, ("process", f"CPU ms per {unit}")),
                "",
                f"database per {unit} (the run's collections; commits not counted):",
                table(
                    db_rows,
                    (
                        "collection",
                        "write statements",
                        "read statements",
                        "server ms",
                        "documents kept",
                    ),
                ),
            ]
        )
