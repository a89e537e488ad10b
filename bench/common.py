"""Shared pieces of the benchmarks: real servers, fresh topics and databases, a service
started as its own process, and a small results table."""

from __future__ import annotations

import asyncio
import os
import platform
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from deploy.local.servers import servers  # noqa: E402


def infra() -> tuple[str, str]:
    """Bootstrap address and MongoDB URL of the running (or freshly started) local servers."""
    kafka, mongo = servers()
    mongo.ensure_running()
    kafka.ensure_running()
    return kafka.bootstrap, mongo.url


def fresh_names(tag: str) -> tuple[str, str]:
    run = uuid.uuid4().hex[:8]
    return f"bench.{tag}.{run}.", f"bench_{tag}_{run}"


@contextmanager
def service_process(
    module: str, env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", module],
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        try:
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def yardstick() -> float:
    """Milliseconds a fixed piece of pure-Python work takes (the best of five). The
    two-core machine's own speed moves by up to about a third from one minute to the
    next, and every process's CPU per case with it: runs are read beside this."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        numbers = {str(i): i * 2 for i in range(100_000)}
        sum(len(k) + v for k, v in numbers.items())
        best = min(best, time.perf_counter() - start)
    return best * 1000


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


class Stopwatch:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    def seconds(self) -> float:
        return time.perf_counter() - self.start


def _scrape(url: str, name: str) -> float | None:
    try:
        with urlopen(url, timeout=2) as answer:
            text = answer.read().decode()
    except (URLError, OSError):
        return None  # not listening yet
    total = None
    for line in text.splitlines():
        if line.startswith(name) and line[len(name) : len(name) + 1] in (" ", "{"):
            total = (total or 0.0) + float(line.rsplit(" ", 1)[1])
    return total if total is not None else 0.0


async def metric(url: str, name: str) -> float | None:
    """The value of a service's Prometheus metric (summed over its labels), None while the
    service does not answer. Benchmarks poll this instead of counting documents: on
    SecantusDB even a count without a filter reads the whole collection under a lock
    every other client waits for."""
    return await asyncio.to_thread(_scrape, url, name)
