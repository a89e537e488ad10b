"""The Kubernetes manifests (`deploy/kubernetes/`): rendered from their one table, valid
against the Kubernetes API schemas (kubernetes-validate ships them: no download), and
wired to settings the services really read, with every development secret replaced."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from pydantic_settings import BaseSettings

from deploy.config_doc import rows
from deploy.kubernetes.render import (
    CONFIG,
    HERE,
    OFFICE_FILES,
    SECRET_KEYS,
    SERVICES,
    SHARED_SETTINGS,
    manifests,
    render,
)
from shared.infra.production import DeploymentSettings, development_secrets

KUBERNETES = "1.30.0"  # the oldest release the manifests promise to run on
NAMES = [s.name for s in SERVICES]


def committed() -> list[dict[str, Any]]:
    return [
        doc
        for path in sorted(HERE.glob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8"))
        if doc
    ]


def of_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in committed() if o["kind"] == kind}


def test_committed_manifests_are_rendered_from_the_table() -> None:
    files = manifests()
    assert sorted(p.name for p in HERE.glob("*.yaml")) == sorted(files)
    for name, objects in files.items():
        assert (HERE / name).read_text(encoding="utf-8") == render(objects), (
            f"{name} is stale: run `python -m deploy.kubernetes.render` and commit it"
        )


@pytest.mark.parametrize("version", [KUBERNETES, kubernetes_validate.latest_version()])
def test_every_object_is_valid_against_the_kubernetes_api(version: str) -> None:
    objects = committed()
    assert len(objects) == 2 + 4 * len(SERVICES)
    for obj in objects:
        # strict: a misspelt field (say `readinesProbe`) is an error, not ignored
        kubernetes_validate.validate(obj, version, strict=True)


def test_a_broken_manifest_is_refused() -> None:
    broken = of_kind("Deployment")["siang-intake"]
    broken["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES, strict=True)


def _settings_class(service: str) -> type[BaseSettings]:
    module = importlib.import_module(f"services.{service}.settings")
    cls: type[BaseSettings] = getattr(module, f"{service.capitalize()}Settings")
    return cls


def _known(service: str) -> set[str]:
    """The variables a service reads: the shared settings, its own (`SIANG_<NAME>_*`) and
    the deployment mode."""
    own = f"SIANG_{service.upper()}_"
    others = tuple(f"SIANG_{s.upper()}_" for s in NAMES if s != service)
    mode = {f"SIANG_{n.upper()}" for n in DeploymentSettings.model_fields}
    return {n for n, _ in rows() if n.startswith(own) or not n.startswith(others)} | mode


def _container(service: str) -> dict[str, Any]:
    deployment = of_kind("Deployment")[f"siang-{service}"]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    return dict(container)


@pytest.mark.parametrize("service", NAMES)
def test_every_variable_is_a_setting_of_the_service(service: str) -> None:
    given = {e["name"] for e in _container(service)["env"]} | set(
        of_kind("ConfigMap")["siang-settings"]["data"]
    )
    assert given - _known(service) == set()
    assert set(SHARED_SETTINGS) <= given


@pytest.mark.parametrize("service", NAMES)
def test_production_mode_finds_no_development_secret(service: str) -> None:
    """Every secret a service refuses to start without in production comes from the
    `siang-secrets` Secret, by name."""
    env = {e["name"]: e for e in _container(service)["env"]}
    needed = set(development_secrets(_settings_class(service)()))
    assert needed, "the settings mark their development secrets"
    for name in needed:
        ref = env[name]["valueFrom"]["secretKeyRef"]
        assert ref == {"name": "siang-secrets", "key": SECRET_KEYS[name]}
    assert of_kind("ConfigMap")["siang-settings"]["data"]["SIANG_ENV"] == "production"


@pytest.mark.parametrize("service", NAMES)
def test_probes_resources_budget_and_autoscaler(service: str) -> None:
    container = _container(service)
    env = {e["name"]: e.get("value") for e in container["env"]}
    port = int(env[f"SIANG_{service.upper()}_PORT"])
    assert env[f"SIANG_{service.upper()}_HOST"] == "0.0.0.0"
    assert container["ports"] == [{"name": "http", "containerPort": port}]
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert set(container["resources"]["requests"]) == {"cpu", "memory"}
    assert container["command"] == ["python", "-m", f"services.{service}"]
    labels = of_kind("Deployment")[f"siang-{service}"]["spec"]["selector"]["matchLabels"]
    assert of_kind("Service")[f"siang-{service}"]["spec"]["selector"] == labels
    budget = of_kind("PodDisruptionBudget")[f"siang-{service}"]["spec"]
    assert budget["selector"]["matchLabels"] == labels and budget["minAvailable"] == 1
    hpa = of_kind("HorizontalPodAutoscaler")[f"siang-{service}"]["spec"]
    assert hpa["scaleTargetRef"]["name"] == f"siang-{service}"
    assert hpa["metrics"][0]["resource"]["name"] == "cpu"
    # Two replicas at least, so the budget lets a node drain without an outage; no more
    # consumers than partitions, or the extra ones read nothing.
    assert 2 <= hpa["minReplicas"] < hpa["maxReplicas"]
    assert hpa["maxReplicas"] <= int(SHARED_SETTINGS["SIANG_KAFKA_PARTITIONS"])


def test_office_config_is_deploy_config_and_every_path_points_into_a_volume() -> None:
    data = of_kind("ConfigMap")["siang-office-config"]["data"]
    assert data == {n: (CONFIG / n).read_text(encoding="utf-8") for n in OFFICE_FILES}
    for service in NAMES:
        container = _container(service)
        mounts = [m["mountPath"] for m in container["volumeMounts"]]
        for e in container["env"]:
            if e["name"].endswith("_PATH"):
                path = Path(e["value"])
                assert any(path.is_relative_to(m) for m in mounts), e
                if path.parent.as_posix() == "/etc/siang/config":
                    assert path.name in data, e
