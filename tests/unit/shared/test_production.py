"""Production mode: a service refuses the development secrets and anonymous Grafana,
and names what to set; the compose stack reads its secrets from an uncommitted file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from services.intake.settings import IntakeSettings
from services.notifications.settings import NotificationsSettings
from services.reporting.settings import ReportingSettings
from services.workflow.settings import WorkflowSettings
from shared.contract.survey_token import SurveySettings
from shared.contract.tracking_pin import TrackingSettings
from shared.infra.auth import AuthSettings
from shared.infra.production import (
    DevelopmentSecretsInProduction,
    UnsafeSettings,
    development_secrets,
    refuse_development_secrets,
)

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {"SIANG_ENV": "production"}
STRONG = "a-real-secret-of-this-office-0123456789"


def test_production_refuses_every_development_secret_by_name() -> None:
    with pytest.raises(DevelopmentSecretsInProduction) as refused:
        refuse_development_secrets(WorkflowSettings(), PRODUCTION)
    assert refused.value.names == ["SIANG_AUTH_SECRET", "SIANG_WORKFLOW_CONTACT_KEY"]
    assert "SIANG_AUTH_SECRET" in str(refused.value)


def test_production_starts_once_every_secret_is_set() -> None:
    settings = WorkflowSettings(auth=AuthSettings(secret=STRONG), contact_key=STRONG)
    refuse_development_secrets(settings, PRODUCTION)


def test_the_tracking_pepper_is_checked_where_pins_are_minted_and_compared() -> None:
    assert "SIANG_TRACKING_PEPPER" in set(development_secrets(IntakeSettings()))
    fixed = IntakeSettings(tracking=TrackingSettings(pepper=STRONG))
    assert "SIANG_TRACKING_PEPPER" not in set(development_secrets(fixed))


def test_the_survey_secret_is_checked_in_both_services_that_use_it() -> None:
    for settings in (IntakeSettings(), NotificationsSettings()):
        assert "SIANG_SURVEY_SECRET" in set(development_secrets(settings))
    fixed = IntakeSettings(survey=SurveySettings(secret=STRONG))
    assert "SIANG_SURVEY_SECRET" not in set(development_secrets(fixed))


def test_development_mode_accepts_the_development_secrets() -> None:
    refuse_development_secrets(WorkflowSettings(), {})
    refuse_development_secrets(WorkflowSettings(), {"SIANG_ENV": "development"})


def test_anonymous_grafana_is_refused_in_production() -> None:
    settings = ReportingSettings(auth=AuthSettings(secret=STRONG))
    refuse_development_secrets(settings, PRODUCTION)
    with pytest.raises(DevelopmentSecretsInProduction) as refused:
        refuse_development_secrets(settings, {**PRODUCTION, "GF_AUTH_ANONYMOUS_ENABLED": "true"})
    assert refused.value.names == ["GF_AUTH_ANONYMOUS_ENABLED"]


def test_a_misspelt_mode_stops_the_start() -> None:
    with pytest.raises(UnsafeSettings, match="development or production"):
        refuse_development_secrets(WorkflowSettings(), {"SIANG_ENV": "prod"})


@pytest.mark.parametrize("service", ["intake", "workflow", "notifications", "reporting"])
def test_a_service_started_in_production_with_defaults_exits_and_says_what_to_set(
    service: str,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIANG_", "GF_"))}
    done = subprocess.run(
        [sys.executable, "-m", f"services.{service}"],
        cwd=ROOT,
        env={**env, "SIANG_ENV": "production"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    assert "SIANG_AUTH_SECRET" in done.stderr or "SIANG_SURVEY_SECRET" in done.stderr
    assert "Traceback" not in done.stderr


def test_compose_reads_secrets_from_an_uncommitted_env_file_that_the_example_covers() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name in ("intake", "workflow", "notifications", "reporting", "grafana"):
        assert compose["services"][name]["env_file"] == ["deploy/siang.env"], name
        assert "GF_AUTH_ANONYMOUS_ENABLED" not in compose["services"][name].get("environment", {})
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "deploy/siang.env"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0, "deploy/siang.env must be ignored by git"
    example = dict(
        line.split("=", 1)
        for line in (ROOT / "deploy" / "siang.env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert example["SIANG_ENV"] == "production"
    assert example["GF_AUTH_ANONYMOUS_ENABLED"] == "false"
    needed: set[str] = set()
    for settings in (
        IntakeSettings(),
        WorkflowSettings(),
        NotificationsSettings(),
        ReportingSettings(),
    ):
        needed |= set(development_secrets(settings))
    assert needed <= set(example), needed - set(example)
