"""`python -m services.participation [run]` serves the participation service."""

from __future__ import annotations

import argparse
import sys

import uvicorn

from services.participation.app import SERVICE, create_app
from services.participation.settings import ParticipationSettings
from shared.infra.logs import configure_logging
from shared.infra.production import UnsafeSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.participation")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="serve the participation service (the default)")
    parser.parse_args(argv)
    settings = ParticipationSettings()
    configure_logging(SERVICE, settings.log_level, settings.log_file)
    try:
        app = create_app(settings)
    except UnsafeSettings as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
