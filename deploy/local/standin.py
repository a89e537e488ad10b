"""What every local stand-in of an internet service (LINE, Facebook, an SMS gateway) does
to run as `python -m deploy.local.<name>_standin`: log plainly, serve its app on
127.0.0.1 at `SIANG_<NAME>_STANDIN_PORT` (host `SIANG_<NAME>_STANDIN_HOST`), and say
which variable moves the port when it is taken."""

from __future__ import annotations

import asyncio
import logging
import os

import uvicorn
from fastapi import FastAPI

log = logging.getLogger("siang.standin")


def setup_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")


def serve(app: FastAPI, name: str, default_port: int) -> int:
    """Serve `app` until stopped; 1 if its port cannot be had."""
    variable = f"SIANG_{name.upper()}_STANDIN_PORT"
    config = uvicorn.Config(
        app,
        host=os.environ.get(f"SIANG_{name.upper()}_STANDIN_HOST", "127.0.0.1"),
        port=int(os.environ.get(variable, default_port)),
        access_log=False,
        log_config=None,
    )
    try:
        asyncio.run(uvicorn.Server(config).serve())
    except OSError as exc:
        log.error("%s (port: %s)", exc, variable)
        return 1
    return 0


def add_health(app: FastAPI) -> None:
    """`/healthz` and `/readyz`, which `make dev` waits on before it says a stand-in is up."""

    async def ready() -> dict[str, str]:
        return {"status": "ok"}

    app.add_api_route("/healthz", ready, methods=["GET"])
    app.add_api_route("/readyz", ready, methods=["GET"])
