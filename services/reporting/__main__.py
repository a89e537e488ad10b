"""`python -m services.reporting [run]` serves the reporting service with uvicorn;
`python -m services.reporting rebuild` recomputes every view from the event store and
the reporting journal into a new version and swaps it in (the service may keep running)."""

from __future__ import annotations

import argparse
import asyncio
import sys

import uvicorn

from services.reporting.adapters.view_store import ViewStore
from services.reporting.app import SERVICE, create_app
from services.reporting.handlers.rebuild import Rebuilder, RebuildReport, summary_line
from services.reporting.settings import ReportingSettings
from shared.infra.logs import configure_logging
from shared.infra.mongo import create_mongo_client, database
from shared.infra.production import UnsafeSettings


async def rebuild(settings: ReportingSettings) -> RebuildReport:
    client = create_mongo_client(settings.mongo)
    try:
        db = database(client, settings.mongo)
        store = ViewStore(client, db)
        return await Rebuilder(store, db[settings.event_store_collection]).run()
    finally:
        await client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.reporting")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="serve the reporting service (the default)")
    sub.add_parser("rebuild", help="recompute every view from the events and swap them in")
    args = parser.parse_args(argv)
    settings = ReportingSettings()
    configure_logging(SERVICE, settings.log_level, settings.log_file)
    if args.command == "rebuild":
        report = asyncio.run(rebuild(settings))
        print(f"rebuilt: {summary_line(report)}")
        return 0
    try:
        app = create_app(settings)
    except UnsafeSettings as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
