"""docker-compose.yml, Prometheus and the settings agree (no Docker engine here to try it)."""

from __future__ import annotations

from pathlib import Path

import yaml

from services.intake.settings import IntakeSettings
from services.notifications.settings import NotificationsSettings
from services.participation.settings import ParticipationSettings
from services.reporting.settings import ReportingSettings
from services.workflow.settings import WorkflowSettings
from shared.infra.settings import KafkaSettings, MongoSettings

ROOT = Path(__file__).resolve().parents[3]
SERVICES = {
    "intake": IntakeSettings,
    "workflow": WorkflowSettings,
    "notifications": NotificationsSettings,
    "reporting": ReportingSettings,
    "participation": ParticipationSettings,
}


def _known_env_names() -> set[str]:
    names = {f"SIANG_KAFKA_{f.upper()}" for f in KafkaSettings.model_fields}
    names |= {f"SIANG_MONGO_{f.upper()}" for f in MongoSettings.model_fields}
    for svc, cls in SERVICES.items():
        names |= {f"SIANG_{svc.upper()}_{f.upper()}" for f in cls.model_fields}
    return names


def test_compose_sets_only_variables_the_services_read() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    known = _known_env_names()
    for svc in SERVICES:
        env = compose["services"][svc]["environment"]
        unknown = {k for k in env if k.startswith("SIANG_")} - known
        assert not unknown, f"{svc} sets unknown variables {unknown}"
        assert compose["services"][svc]["command"][-1] == f"services.{svc}"


def test_prometheus_scrapes_every_service() -> None:
    prom = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text())
    targets = {
        t for sc in prom["scrape_configs"] for c in sc["static_configs"] for t in c["targets"]
    }
    assert targets == {f"{svc}:8000" for svc in SERVICES}


def test_each_service_reads_its_own_prefix(monkeypatch) -> None:
    monkeypatch.setenv("SIANG_WORKFLOW_PORT", "9102")
    monkeypatch.setenv("SIANG_KAFKA_BOOTSTRAP_SERVERS", "k:1")
    assert WorkflowSettings().port == 9102 and WorkflowSettings().kafka.bootstrap_servers == "k:1"
    assert ReportingSettings().port == 8004
