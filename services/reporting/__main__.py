"""`python -m services.reporting [run]`: serve the reporting service with uvicorn."""

from __future__ import annotations

import argparse
import sys

import uvicorn

from services.reporting.app import SERVICE, create_app
from services.reporting.settings import ReportingSettings
from shared.logs import configure_logging


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.reporting")
    parser.add_argument("command", nargs="?", default="run", choices=["run"])
    parser.parse_args(argv)
    settings = ReportingSettings()
    configure_logging(SERVICE, settings.log_level, settings.log_file)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
