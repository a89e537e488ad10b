"""The routing rules and SLA policies as shipped, read from their YAML files
(`deploy/config/routing.yaml`, `deploy/config/sla.yaml`) and validated into the domain's
configs. Copies that admins saved through the API live in MongoDB instead and are read at
start-up; the models and the decisions made from them stay in the domain.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from services.workflow.domain.routing import RoutingConfig
from services.workflow.domain.sla import SlaConfig

CONFIG_DIR = Path(__file__).resolve().parents[3] / "deploy" / "config"
ROUTING_PATH = CONFIG_DIR / "routing.yaml"
SLA_PATH = CONFIG_DIR / "sla.yaml"


def load_routing_config(path: Path | str | None = None) -> RoutingConfig:
    """Read and validate the routing rules; `path` defaults to the shipped file."""
    return RoutingConfig.model_validate(_read(path or ROUTING_PATH))


def load_sla_config(path: Path | str | None = None) -> SlaConfig:
    """Read and validate the SLA policies; `path` defaults to the shipped file."""
    return SlaConfig.model_validate(_read(path or SLA_PATH))


def _read(path: Path | str) -> Any:
    # An empty file is an empty config: the models' defaults apply.
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}
