"""`python -m deploy.kubernetes.render`: write the Kubernetes manifests of the five services
to `deploy/kubernetes/*.yaml`, plain YAML for `kubectl apply -f deploy/kubernetes/`.

One table (`SERVICES`) says how each service runs: its replicas and autoscaling range,
its resources, its own settings. Kafka and the MongoDB replica set are the operator's
(`siang-settings` names the brokers, the `siang-secrets` Secret the MongoDB URL); the
office's policy files come from `deploy/config/` in the `siang-office-config` ConfigMap.
Secrets are referenced by name only, never written here. `tests/unit/deploy/` renders
again and compares, validates every object against the Kubernetes API schemas and checks
every variable against the services' settings.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
CONFIG = HERE.parent / "config"
IMAGE = "siang:1"
PORT = 8000
OFFICE_DIR = "/etc/siang/config"
SEED_DIR = "/etc/siang/staff"
# The office's policy files (demo data and the demo staff directory stay out: the first
# staff accounts come from the `siang-staff-seed` Secret).
OFFICE_FILES = (
    "catalogue.yaml",
    "routing.yaml",
    "sla.yaml",
    "missions.yaml",
    "stakeholder_groups.yaml",
)
SECRETS = "siang-secrets"
SETTINGS = "siang-settings"
OFFICE = "siang-office-config"
STAFF_SEED = "siang-staff-seed"

# Shared by every service (envFrom): where Kafka is, how topics are made, production mode.
SHARED_SETTINGS: dict[str, str] = {
    "SIANG_ENV": "production",
    "SIANG_KAFKA_BOOTSTRAP_SERVERS": "kafka-0.kafka:9092,kafka-1.kafka:9092,kafka-2.kafka:9092",
    "SIANG_KAFKA_PARTITIONS": "6",
    "SIANG_KAFKA_REPLICATION_FACTOR": "3",
    "SIANG_MONGO_DATABASE": "siang",
    # Every service's pages are behind the one host: their sign-in is the console's there.
    "SIANG_AUTH_SIGN_IN_URL": "/console/login",
}

# Environment variable -> key of `siang-secrets`.
SECRET_KEYS: dict[str, str] = {
    "SIANG_MONGO_URL": "mongo-url",
    "SIANG_AUTH_SECRET": "auth-secret",
    "SIANG_TRACKING_PEPPER": "tracking-pepper",
    "SIANG_SURVEY_SECRET": "survey-secret",
    "SIANG_WORKFLOW_CONTACT_KEY": "contact-key",
}


@dataclass(frozen=True)
class Service:
    name: str
    summary: str
    min_replicas: int
    max_replicas: int
    cpu: str
    memory: str
    memory_limit: str
    secrets: tuple[str, ...]
    settings: dict[str, str] = field(default_factory=dict)
    staff_seed: bool = False

    @property
    def prefix(self) -> str:
        return f"SIANG_{self.name.upper()}_"


def _office(name: str) -> str:
    return f"{OFFICE_DIR}/{name}"


# Replicas beyond the topics' partitions (SIANG_KAFKA_PARTITIONS) consume nothing: a
# consumer's `max_replicas` stays at or under it; their HTTP side still shares the load.
SERVICES: tuple[Service, ...] = (
    Service(
        "intake",
        "every channel's submissions, the public form and tracking",
        min_replicas=2,
        max_replicas=6,
        cpu="250m",
        memory="256Mi",
        memory_limit="512Mi",
        secrets=(
            "SIANG_MONGO_URL",
            "SIANG_AUTH_SECRET",
            "SIANG_TRACKING_PEPPER",
            "SIANG_SURVEY_SECRET",
        ),
        settings={
            "SIANG_INTAKE_CATALOGUE_PATH": _office("catalogue.yaml"),
            "SIANG_INTAKE_PUBLIC_BASE_URL": "https://siang.example.go.th",
        },
    ),
    Service(
        "workflow",
        "cases, routing, deadlines and the staff console",
        min_replicas=2,
        max_replicas=6,
        cpu="250m",
        memory="256Mi",
        memory_limit="512Mi",
        secrets=("SIANG_MONGO_URL", "SIANG_AUTH_SECRET", "SIANG_WORKFLOW_CONTACT_KEY"),
        settings={
            "SIANG_WORKFLOW_CATALOGUE_PATH": _office("catalogue.yaml"),
            "SIANG_WORKFLOW_ROUTING_PATH": _office("routing.yaml"),
            "SIANG_WORKFLOW_SLA_PATH": _office("sla.yaml"),
            "SIANG_WORKFLOW_STAFF_SEED_PATH": f"{SEED_DIR}/staff.yaml",
            "SIANG_WORKFLOW_INTAKE_URL": "http://siang-intake",
        },
        staff_seed=True,
    ),
    Service(
        "notifications",
        "notices by e-mail, LINE, SMS and webhooks",
        min_replicas=2,
        max_replicas=6,
        cpu="200m",
        memory="256Mi",
        memory_limit="512Mi",
        secrets=("SIANG_MONGO_URL", "SIANG_AUTH_SECRET", "SIANG_SURVEY_SECRET"),
        settings={
            "SIANG_NOTIFICATIONS_CATALOGUE_PATH": _office("catalogue.yaml"),
            "SIANG_NOTIFICATIONS_OFFICE__TRACKING_URL": "https://siang.example.go.th/track",
            "SIANG_NOTIFICATIONS_SURVEY_URL_TEMPLATE": "https://siang.example.go.th/survey/{token}",
        },
    ),
    Service(
        "reporting",
        "dashboards, reports and the transparency pages",
        min_replicas=2,
        max_replicas=6,
        cpu="250m",
        # Each process keeps its own copy of the report cells (read_cache/).
        memory="384Mi",
        memory_limit="768Mi",
        secrets=("SIANG_MONGO_URL", "SIANG_AUTH_SECRET"),
        settings={
            "SIANG_REPORTING_CATALOGUE_PATH": _office("catalogue.yaml"),
            "SIANG_REPORTING_STAKEHOLDER_GROUPS_PATH": _office("stakeholder_groups.yaml"),
        },
    ),
    Service(
        "participation",
        "consultations, committees, mission surveys",
        min_replicas=2,
        max_replicas=4,
        cpu="200m",
        memory="256Mi",
        memory_limit="512Mi",
        secrets=("SIANG_MONGO_URL", "SIANG_AUTH_SECRET", "SIANG_SURVEY_SECRET"),
        settings={
            "SIANG_PARTICIPATION_CATALOGUE_PATH": _office("catalogue.yaml"),
            "SIANG_PARTICIPATION_MISSIONS_PATH": _office("missions.yaml"),
            "SIANG_PARTICIPATION_STAKEHOLDER_GROUPS_PATH": _office("stakeholder_groups.yaml"),
            "SIANG_PARTICIPATION_PUBLIC_BASE_URL": "https://siang.example.go.th/participation",
            # Where /missions sends people: intake's form and Open311, reporting's report.
            "SIANG_PARTICIPATION_CONTACTS__WEB_FORM_URL": "https://siang.example.go.th/",
            "SIANG_PARTICIPATION_CONTACTS__OPEN311_URL": "https://siang.example.go.th/open311/v2",
            "SIANG_PARTICIPATION_CONTACTS__PARTICIPATION_REPORT_URL": (
                "https://siang.example.go.th/reporting/transparency/participation"
            ),
        },
    ),
)


def _labels(service: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": f"siang-{service}", "app.kubernetes.io/part-of": "siang"}


def _meta(service: str) -> dict[str, Any]:
    return {"name": f"siang-{service}", "labels": _labels(service)}


def _env(s: Service) -> list[dict[str, Any]]:
    env: list[dict[str, Any]] = [
        {"name": f"{s.prefix}HOST", "value": "0.0.0.0"},
        {"name": f"{s.prefix}PORT", "value": str(PORT)},
    ]
    env += [{"name": k, "value": v} for k, v in s.settings.items()]
    env += [
        {
            "name": name,
            "valueFrom": {"secretKeyRef": {"name": SECRETS, "key": SECRET_KEYS[name]}},
        }
        for name in s.secrets
    ]
    return env


def _probe(path: str, period: int, failures: int) -> dict[str, Any]:
    return {
        "httpGet": {"path": path, "port": "http"},
        "periodSeconds": period,
        "timeoutSeconds": 5,
        "failureThreshold": failures,
    }


def deployment(s: Service) -> dict[str, Any]:
    mounts: list[dict[str, Any]] = [
        {"name": "office-config", "mountPath": OFFICE_DIR, "readOnly": True},
        # The root file system is read-only: Python and uvicorn get a writable /tmp.
        {"name": "tmp", "mountPath": "/tmp"},  # noqa: S108 - an emptyDir of its own
    ]
    volumes: list[dict[str, Any]] = [
        {"name": "office-config", "configMap": {"name": OFFICE}},
        {"name": "tmp", "emptyDir": {}},
    ]
    if s.staff_seed:
        mounts.append({"name": "staff-seed", "mountPath": SEED_DIR, "readOnly": True})
        volumes.append({"name": "staff-seed", "secret": {"secretName": STAFF_SEED}})
    container = {
        "name": s.name,
        "image": IMAGE,
        "command": ["python", "-m", f"services.{s.name}"],
        "ports": [{"name": "http", "containerPort": PORT}],
        "envFrom": [{"configMapRef": {"name": SETTINGS}}],
        "env": _env(s),
        "resources": {
            "requests": {"cpu": s.cpu, "memory": s.memory},
            "limits": {"memory": s.memory_limit},
        },
        # Started: the process answers. Ready: Kafka and MongoDB answer it (/readyz), so
        # a replica cut off from either gets no traffic but is not restarted for it.
        "startupProbe": _probe("/healthz", 2, 30),
        "readinessProbe": _probe("/readyz", 10, 3),
        "livenessProbe": _probe("/healthz", 20, 3),
        "volumeMounts": mounts,
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
        },
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {**_meta(s.name), "annotations": {"siang/summary": s.summary}},
        "spec": {
            "replicas": s.min_replicas,
            "selector": {"matchLabels": _labels(s.name)},
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1},
            },
            "template": {
                "metadata": {
                    "labels": _labels(s.name),
                    "annotations": {
                        "prometheus.io/scrape": "true",
                        "prometheus.io/port": str(PORT),
                    },
                },
                "spec": {
                    # Consumers commit after their transaction; 30 s lets one finish.
                    "terminationGracePeriodSeconds": 30,
                    "securityContext": {
                        "runAsNonRoot": True,
                        "runAsUser": 10001,
                        "seccompProfile": {"type": "RuntimeDefault"},
                    },
                    "topologySpreadConstraints": [
                        {
                            "maxSkew": 1,
                            "topologyKey": "kubernetes.io/hostname",
                            "whenUnsatisfiable": "ScheduleAnyway",
                            "labelSelector": {"matchLabels": _labels(s.name)},
                        }
                    ],
                    "containers": [container],
                    "volumes": volumes,
                },
            },
        },
    }


def service(s: Service) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _meta(s.name),
        "spec": {
            "selector": _labels(s.name),
            "ports": [{"name": "http", "port": 80, "targetPort": "http"}],
        },
    }


def disruption_budget(s: Service) -> dict[str, Any]:
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": _meta(s.name),
        "spec": {"minAvailable": 1, "selector": {"matchLabels": _labels(s.name)}},
    }


def autoscaler(s: Service) -> dict[str, Any]:
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": _meta(s.name),
        "spec": {
            "scaleTargetRef": {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "name": f"siang-{s.name}",
            },
            "minReplicas": s.min_replicas,
            "maxReplicas": s.max_replicas,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": 70},
                    },
                }
            ],
            # A consumer group rebalances on every change: scale down slowly.
            "behavior": {"scaleDown": {"stabilizationWindowSeconds": 300}},
        },
    }


def shared_objects() -> list[dict[str, Any]]:
    return [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": SETTINGS, "labels": {"app.kubernetes.io/part-of": "siang"}},
            "data": dict(SHARED_SETTINGS),
        },
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": OFFICE, "labels": {"app.kubernetes.io/part-of": "siang"}},
            "data": {name: (CONFIG / name).read_text(encoding="utf-8") for name in OFFICE_FILES},
        },
    ]


def manifests() -> dict[str, list[dict[str, Any]]]:
    """File name -> the objects it holds."""
    out = {"00-shared.yaml": shared_objects()}
    for s in SERVICES:
        out[f"{s.name}.yaml"] = [deployment(s), service(s), disruption_budget(s), autoscaler(s)]
    return out


class _Dumper(yaml.SafeDumper):
    """Multi-line strings (the office's YAML files) as literal blocks, readable in review."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)

HEADER = (
    "# Generated by `python -m deploy.kubernetes.render` from deploy/kubernetes/render.py"
    " and deploy/config/: edit those and render again (a test compares).\n"
)


def render(objects: list[dict[str, Any]]) -> str:
    docs = [
        yaml.dump(o, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        for o in objects
    ]
    return HEADER + "---\n" + "---\n".join(docs)


def main() -> int:
    for name, objects in manifests().items():
        (HERE / name).write_text(render(objects), encoding="utf-8")
    print(f"wrote {len(manifests())} files to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
