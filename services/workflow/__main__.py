"""`python -m services.workflow [run]`: serve the workflow service with uvicorn."""

from __future__ import annotations

import argparse
import sys

import uvicorn

from services.workflow.app import SERVICE, create_app
from services.workflow.settings import WorkflowSettings
from shared.logs import configure_logging


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.workflow")
    parser.add_argument("command", nargs="?", default="run", choices=["run"])
    parser.parse_args(argv)
    settings = WorkflowSettings()
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
