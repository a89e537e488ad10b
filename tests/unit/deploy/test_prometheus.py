"""The alert rules and the Prometheus configs, checked by Debian's `promtool` (installed by
`make system`): the rules parse, each alert's unit test fires it and keeps it quiet in
the healthy case, and `make dev`'s generated config scrapes the same jobs as
docker-compose's, at the local ports."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from deploy.local import prometheus
from deploy.local.dev import ports_from

ROOT = Path(__file__).resolve().parents[3]
RULES = ROOT / "deploy" / "prometheus" / "alerts.yml"
STACK_CONFIG = ROOT / "deploy" / "prometheus" / "prometheus.yml"
RULE_TESTS = Path(__file__).parent / "prometheus" / "alerts_test.yml"


def promtool(*args: str, cwd: Path = ROOT) -> str:
    binary = shutil.which("promtool")
    assert binary, "promtool is missing: `make system` installs Debian's prometheus package"
    done = subprocess.run([binary, *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def alerts() -> list[dict[str, Any]]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"] if "alert" in rule]


def test_the_rules_parse() -> None:
    count = sum(len(g["rules"]) for g in yaml.safe_load(RULES.read_text())["groups"])
    assert f"SUCCESS: {count} rules found" in promtool("check", "rules", str(RULES))


def test_the_stack_config_loads_the_rules() -> None:
    out = promtool("check", "config", STACK_CONFIG.name, cwd=STACK_CONFIG.parent)
    assert "1 rule files found" in out and "alerts.yml" in out


def test_every_alert_fires_and_stays_quiet_in_its_unit_test() -> None:
    promtool("test", "rules", RULE_TESTS.name, cwd=RULE_TESTS.parent)


def test_every_alert_has_a_case_that_fires_and_one_that_does_not() -> None:
    checks = [
        check
        for case in yaml.safe_load(RULE_TESTS.read_text())["tests"]
        for check in case["alert_rule_test"]
    ]
    fires = {c["alertname"] for c in checks if c["exp_alerts"]}
    names = {a["alert"] for a in alerts()}
    assert names - fires == set(), "alerts no test shows firing"
    # Quiet: an evaluation expecting nothing, or a firing one whose input has series the
    # alert must leave alone (every firing case here has such a healthy neighbour).
    quiet = {c["alertname"] for c in checks if not c["exp_alerts"]}
    healthy_beside = {"SiangNotificationsFailing"}  # LINE and SMS series stay quiet there
    assert names - quiet - healthy_beside == set(), "alerts no test shows quiet"


def test_every_alert_says_how_bad_and_what_to_do() -> None:
    for alert in alerts():
        assert alert["labels"]["severity"] in {"critical", "warning"}, alert["alert"]
        assert alert["annotations"]["summary"] and alert["annotations"]["description"]


def test_make_dev_scrapes_the_stack_jobs_at_the_local_ports() -> None:
    ports = ports_from({"SIANG_WORKFLOW_PORT": "18002"}).services
    local = prometheus.local_config(ports)
    stack = yaml.safe_load(STACK_CONFIG.read_text())

    def jobs(config: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
        return {
            job["job_name"]: [g.get("labels", {}) for g in job["static_configs"]]
            for job in config["scrape_configs"]
        }

    assert jobs(local) == jobs(stack)  # same jobs, same `service` labels
    targets = {
        g["labels"]["service"]: g["targets"]
        for job in local["scrape_configs"]
        for g in job["static_configs"]
    }
    assert targets == {name: [f"127.0.0.1:{port}"] for name, port in ports.items()}
    assert targets["workflow"] == ["127.0.0.1:18002"]
    assert local["rule_files"] == [str(RULES)]


def test_make_devs_config_is_a_valid_prometheus_config(tmp_path: Path) -> None:
    config = tmp_path / "prometheus.yml"
    config.write_text(yaml.safe_dump(prometheus.local_config(ports_from({}).services)))
    out = promtool("check", "config", str(config))
    assert "SUCCESS" in out and "rules found" in out


def test_a_target_make_dev_does_not_run_is_refused() -> None:
    with pytest.raises(prometheus.ConfigError, match="intake:8000"):
        prometheus.local_config({"workflow": 8002})
