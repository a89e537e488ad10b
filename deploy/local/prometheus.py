"""`make dev`'s Prometheus: Debian's `prometheus` binary as a local process, scraping
every service on its dev port with the scrape jobs of docker-compose's config
(`deploy/prometheus/prometheus.yml`) and the alert rules (`deploy/prometheus/alerts.yml`)
loaded, so the local run shows the same targets, labels and alerts as the stack.

`python -m deploy.local.prometheus` (started by `deploy/local/dev.py`) writes the config
to `.local/prometheus/prometheus.yml` and then becomes the Prometheus process, so stopping
it stops Prometheus. Its data stays in `.local/prometheus/data` for a week.
"""

from __future__ import annotations

import os
import shutil
import sys
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from deploy.local.servers import LOCAL_DIR

REPO = Path(__file__).resolve().parents[2]
STACK_CONFIG = REPO / "deploy" / "prometheus" / "prometheus.yml"
RULES = REPO / "deploy" / "prometheus" / "alerts.yml"
PORT = 9090
RETENTION = "7d"


class ConfigError(ValueError):
    """The stack's config names a target this checkout does not run locally."""


def local_config(service_ports: Mapping[str, int], rules: Path = RULES) -> dict[str, Any]:
    """docker-compose's config with each `<service>:<port>` target moved to the service's
    local port and the rule files named by their absolute path (the generated file lives
    under `.local/`, away from the rules)."""
    config: dict[str, Any] = yaml.safe_load(STACK_CONFIG.read_text())
    config["rule_files"] = [str(rules)]
    for job in config["scrape_configs"]:
        for group in job.get("static_configs", []):
            group["targets"] = [_local(t, service_ports) for t in group["targets"]]
    return config


def _local(target: str, service_ports: Mapping[str, int]) -> str:
    host = target.rpartition(":")[0]
    if host not in service_ports:
        raise ConfigError(f"{STACK_CONFIG.name} scrapes {target}, which make dev does not run")
    return f"127.0.0.1:{service_ports[host]}"


def command(binary: str, config: Path, data: Path, port: int) -> list[str]:
    return [
        binary,
        f"--config.file={config}",
        f"--storage.tsdb.path={data}",
        f"--storage.tsdb.retention.time={RETENTION}",
        f"--web.listen-address=127.0.0.1:{port}",
    ]


def ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/ready", timeout=2) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def main() -> int:
    binary = shutil.which("prometheus")
    if binary is None:
        print("prometheus is not installed (Debian's package): run `make system`", file=sys.stderr)
        return 1
    # Imported here: dev.py starts this module and names its port.
    from deploy.local.dev import ports_from

    home = LOCAL_DIR / "prometheus"
    home.mkdir(parents=True, exist_ok=True)
    config = home / "prometheus.yml"
    config.write_text(yaml.safe_dump(local_config(ports_from(os.environ).services)))
    port = int(os.environ.get("SIANG_PROMETHEUS_PORT", PORT))
    argv = command(binary, config, home / "data", port)
    os.execv(binary, argv)  # noqa: S606 - our own fixed command line
    return 0  # pragma: no cover - execv does not return


if __name__ == "__main__":
    sys.exit(main())
