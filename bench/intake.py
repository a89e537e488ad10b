"""Bounded load on loopback against one uvicorn worker of intake, and in the same run the
same load against a bare FastAPI endpoint that answers 202 without work.

    .venv/bin/python -m bench.intake [--requests 5000] [--concurrency 64] [--rate 500 --seconds 10]

Needs the real Kafka and MongoDB-wire server (the local ones of `deploy/local` are started
if they are not running). Two measurements per target:
- saturation: `--requests` submissions from `--concurrency` clients, as fast as accepted;
  reports accepted/s and p50/p99 latency;
- steady: an open-loop `--rate` per second for `--seconds`; reports p50/p99 latency.
Uses an API key (the `api` channel), so the web channel's rate limit does not apply.
The load generator (`bench.loadgen`, lean keep-alive HTTP/1.1) runs on the same two cores:
the bare endpoint's figures show how much of the ceiling is the generator itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
from fastapi import FastAPI, Response

from bench import loadgen
from tests.support import delete_topics

BODY: dict[str, Any] = {
    "kind": "complaint",
    "complaint_type": "service",
    "category": "documents",
    "subject": "ขอหนังสือรับรองการทำงานแล้วไม่ได้รับภายในกำหนด",
    "description": "ยื่นคำขอเมื่อวันที่ 3 มีนาคม เจ้าหน้าที่แจ้งว่าจะได้รับภายใน 7 วัน " * 4,
    "language": "th",
    "contact": {"name": "สมชาย ใจดี", "phone": "081-234-5678"},
    "consent": {"contact_me": True},
}


def bare_app() -> FastAPI:
    """The baseline: same route, no validation, no storage, no Kafka."""
    app = FastAPI()

    @app.post("/v1/submissions", status_code=202)
    async def accept() -> Response:
        return Response(b"{}", status_code=202, media_type="application/json")

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


@dataclass
class Result:
    target: str
    mode: str
    sent: int
    accepted: int
    seconds: float
    latencies: list[float]

    def line(self) -> str:
        lat = sorted(self.latencies) or [0.0]
        p50 = statistics.median(lat) * 1000
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
        return (
            f"{self.target:<7} {self.mode:<11} sent={self.sent:<6} accepted={self.accepted:<6} "
            f"accepted/s={self.accepted / self.seconds:8.1f}  p50={p50:6.2f} ms  p99={p99:6.2f} ms"
        )

    @property
    def rate(self) -> float:
        return self.accepted / self.seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(factory: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            factory,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        env={**os.environ, **env},
    )


async def wait_ready(base: str, path: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=base) as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(path)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{base}{path} not ready after {timeout}s")


def requests_for(port: int, headers: dict[str, str]) -> loadgen.Request:
    raw = loadgen.post("/v1/submissions", f"127.0.0.1:{port}", orjson.dumps(BODY), headers)
    return lambda i: raw


def as_result(run: loadgen.Run) -> Result:
    return Result(
        "", run.mode, run.sent, run.accepted, run.seconds, [a.seconds for a in run.answers]
    )


async def saturate(port: int, headers: dict[str, str], requests: int, concurrency: int) -> Result:
    return as_result(
        await loadgen.saturate(
            "127.0.0.1", port, requests_for(port, headers), requests, concurrency
        )
    )


async def steady(port: int, headers: dict[str, str], rate: float, seconds: float) -> Result:
    return as_result(
        await loadgen.steady("127.0.0.1", port, requests_for(port, headers), rate, seconds)
    )


async def make_key(env: dict[str, str]) -> str:
    from services.intake.adapters.api_keys import ApiKeys
    from services.intake.domain.api_keys import issue_key
    from shared.contract.events import Channel
    from shared.infra.mongo import create_mongo_client, database
    from shared.infra.settings import MongoSettings

    settings = MongoSettings(url=env["SIANG_MONGO_URL"], database=env["SIANG_MONGO_DATABASE"])
    client = create_mongo_client(settings)
    try:
        issued = issue_key(Channel.api, label="bench", now=datetime.now(UTC))
        await ApiKeys(database(client, settings)).add(issued.record)
        return issued.key
    finally:
        await client.close()


async def drop(env: dict[str, str]) -> None:
    from pymongo import AsyncMongoClient

    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(env["SIANG_MONGO_URL"])
    try:
        await client.drop_database(env["SIANG_MONGO_DATABASE"])
    finally:
        await client.close()
    await delete_topics(env["SIANG_KAFKA_BOOTSTRAP_SERVERS"], env["SIANG_KAFKA_TOPIC_PREFIX"])


async def run(args: argparse.Namespace, kafka_bootstrap: str, mongo_url: str) -> None:
    run_id = uuid.uuid4().hex[:8]
    env = {
        "SIANG_KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "SIANG_KAFKA_TOPIC_PREFIX": f"bench.{run_id}.",
        "SIANG_MONGO_URL": mongo_url,
        "SIANG_MONGO_DATABASE": f"bench_{run_id}",
        "SIANG_TRACKING_PEPPER": uuid.uuid4().hex,
    }
    key = await make_key(env)
    targets = {
        "bare": ("bench.intake:bare_app", "/healthz", {}),
        "intake": ("services.intake.app:create_app", "/readyz", {"X-API-Key": key}),
    }
    results: dict[str, list[Result]] = {}
    try:
        for name, (factory, ready, headers) in targets.items():
            port = free_port()
            server = start_server(factory, port, env)
            try:
                base = f"http://127.0.0.1:{port}"
                await wait_ready(base, ready)
                await saturate(port, headers, min(500, args.requests), args.concurrency)  # warm-up
                results[name] = [
                    await saturate(port, headers, args.requests, args.concurrency),
                    await steady(port, headers, args.rate, args.seconds),
                ]
                for r in results[name]:
                    r.target = name
                    print(r.line(), flush=True)
            finally:
                server.terminate()
                server.wait(10)
    finally:
        await drop(env)
    ratio = results["intake"][0].rate / results["bare"][0].rate
    print(f"intake / bare (saturation accepted/s): {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.intake")
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    from deploy.local.servers import servers

    # Outside the event loop: these checks run their own.
    kafka, mongo = servers()
    mongo.ensure_running()
    kafka.ensure_running()
    asyncio.run(run(args, kafka.bootstrap, mongo.url))


if __name__ == "__main__":
    main()
