"""Every Grafana dashboard's queries, and every alert rule's, ask for metrics the services
really expose: the five services run on the real Kafka and MongoDB-wire server (as the
access tests run them), a complaint goes through so the flow's metrics have samples,
and each PromQL selector's metric must be in a live `/metrics` scrape (of the service
its `service="..."` matcher names, if any), with the labels it matches on."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.access.calls import BODY
from tests.integration.access.office import SERVICES, running
from tests.support import eventually

ROOT = Path(__file__).resolve().parents[3]
DASHBOARDS = ROOT / "deploy" / "grafana" / "provisioning" / "dashboards"
RULES = ROOT / "deploy" / "prometheus" / "alerts.yml"
WANTED = {"overview", "intake", "workflow", "notifications", "reporting", "participation"}
WANTED |= {"kafka-lag", "sla"}
# Labels Prometheus adds to every sample (prometheus.yml), and the series it makes itself.
TARGET_LABELS = {"job", "instance", "service"}
PROMETHEUS_OWN = {"up"}
# Words of PromQL that look like names but are not metrics.
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool"}
KEYWORDS |= {"and", "or", "unless", "offset", "inf", "nan"}
SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_sum", "_count", "_created"),
    "summary": ("", "_sum", "_count", "_created"),
    "gauge": ("",),
    "unknown": ("",),
}


@dataclass(frozen=True)
class Selector:
    metric: str
    labels: frozenset[str]
    service: str | None  # the service a `service="..."` matcher names


def selectors(expr: str) -> Iterator[Selector]:
    """The metric selectors of a PromQL expression: names not called as functions, with
    the label names their `{...}` matchers use."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # no name inside a string counts...
    text = re.sub(r"\[[^\]]*\]", "", text)  # ...nor a range's duration
    # ...nor the labels a `by (...)` or `on (...)` names (checked by the result, not here).
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    kept = re.sub(r"\[[^\]]*\]", "", expr)
    for m in re.finditer(r"(?<![\w.:])([a-zA-Z_:][\w:]*)\s*(\{[^}]*\})?\s*(\()?", text):
        name, matchers, call = m.groups()
        if call or name in KEYWORDS:
            continue
        found = re.search(re.escape(name) + r"\s*(\{[^}]*\})", kept[m.start() :])
        literal = found.group(1) if found and matchers else ""
        service = re.search(r'\bservice\s*=\s*"([^"]+)"', literal)
        yield Selector(
            name,
            frozenset(re.findall(r"([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)", matchers or "")),
            service.group(1) if service else None,
        )


def dashboards() -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(DASHBOARDS.glob("*.json"))}


def panel_queries() -> list[tuple[str, str]]:
    return [
        (f"{name}: {panel['title']}", target["expr"])
        for name, board in dashboards().items()
        for panel in board["panels"]
        for target in panel.get("targets", [])
    ]


def rules() -> list[dict[str, Any]]:
    return [r for g in yaml.safe_load(RULES.read_text())["groups"] for r in g["rules"]]


def test_the_dashboards_are_there_and_every_panel_asks_something() -> None:
    boards = dashboards()
    assert {name.removeprefix("siang-") for name in boards} >= WANTED
    assert len({b["uid"] for b in boards.values()}) == len(boards)
    for name, board in boards.items():
        for panel in board["panels"]:
            assert panel.get("targets") and all(t["expr"] for t in panel["targets"]), (
                f"{name}: {panel['title']}"
            )
    provider = yaml.safe_load((DASHBOARDS / "siang.yml").read_text())["providers"][0]
    # docker-compose mounts deploy/grafana/provisioning at /etc/grafana/provisioning.
    assert provider["options"]["path"] == "/etc/grafana/provisioning/dashboards"


def test_the_parser_finds_what_a_query_asks_for() -> None:
    found = list(
        selectors(
            "histogram_quantile(0.95, sum by (le, route) (rate(siang_http_request_seconds_bucket"
            '{service="intake", route!~"/metrics"}[5m]))) / on (service) group_left up'
            " offset 10m > 0.5 unless x:y:z"
        )
    )
    assert found == [
        Selector("siang_http_request_seconds_bucket", frozenset({"service", "route"}), "intake"),
        Selector("up", frozenset(), None),
        Selector("x:y:z", frozenset(), None),
    ]


@dataclass
class Scrape:
    names: set[str]
    labels: dict[str, set[str]]  # label names seen on each sample name


def scrape(text: str) -> Scrape:
    out = Scrape(set(), {})
    for family in text_string_to_metric_families(text):
        # A family is exposed even before its first sample (a counter of dead letters).
        out.names |= {family.name + s for s in SUFFIXES[family.type]}
        for sample in family.samples:
            out.names.add(sample.name)
            out.labels.setdefault(sample.name, set()).update(sample.labels)
    return out


@pytest.fixture(scope="module")
def scrapes(infra: Any) -> dict[str, Scrape]:
    """Each service's `/metrics`, after one complaint went through the whole flow."""
    import asyncio
    import uuid

    run = uuid.uuid4().hex[:8]
    kafka = KafkaSettings(bootstrap_servers=infra.kafka_bootstrap, topic_prefix=f"dash.{run}.")
    mongo = MongoSettings(url=infra.mongo_url, database=f"dash_{run}")

    async def go() -> dict[str, Scrape]:
        async with running(kafka, mongo) as office:
            await office.submit(BODY)

            async def flowed() -> bool:
                texts = [(await office.http[n].get("/metrics")).text for n in SERVICES]
                return all(
                    metric in " ".join(texts)
                    for metric in (
                        "siang_notifications_planned_total{",
                        "siang_reporting_events_applied_total{",
                        "siang_consumer_lag{",
                    )
                )

            await eventually(flowed, timeout=60, interval=0.5, what="the complaint's metrics")
            return {n: scrape((await office.http[n].get("/metrics")).text) for n in SERVICES}

    try:
        return asyncio.run(go())
    finally:
        from pymongo import MongoClient

        client: MongoClient[dict[str, Any]] = MongoClient(infra.mongo_url)
        client.drop_database(mongo.database)
        client.close()


def problems(where: str, expr: str, scrapes: dict[str, Scrape], recorded: set[str]) -> list[str]:
    out = []
    for sel in selectors(expr):
        if sel.metric in PROMETHEUS_OWN or sel.metric in recorded:
            continue
        if sel.service is not None and sel.service not in scrapes:
            out.append(f"{where}: no service {sel.service!r}")
            continue
        sources = [scrapes[sel.service]] if sel.service else list(scrapes.values())
        having = [s for s in sources if sel.metric in s.names]
        if not having:
            whose = sel.service or "any service"
            out.append(f"{where}: {sel.metric} is not in the /metrics of {whose}")
            continue
        seen = set().union(*(s.labels.get(sel.metric, set()) for s in having))
        if seen and not sel.labels <= seen | TARGET_LABELS:
            out.append(f"{where}: {sel.metric} has no label {sorted(sel.labels - seen)}")
    return out


def test_every_dashboard_query_asks_for_metrics_the_services_expose(
    scrapes: dict[str, Scrape],
) -> None:
    recorded = {r["record"] for r in rules() if "record" in r}
    found = [p for where, expr in panel_queries() for p in problems(where, expr, scrapes, recorded)]
    assert not found, "\n".join(found)


def test_every_alert_rule_asks_for_metrics_the_services_expose(
    scrapes: dict[str, Scrape],
) -> None:
    recorded = {r["record"] for r in rules() if "record" in r}
    found = [
        p
        for rule in rules()
        for p in problems(rule.get("alert") or rule["record"], rule["expr"], scrapes, recorded)
    ]
    assert not found, "\n".join(found)


def test_a_misspelt_or_foreign_metric_is_caught(scrapes: dict[str, Scrape]) -> None:
    """The check can fail: a name no service exposes, a metric asked of the wrong
    service, a label the metric does not have."""
    assert problems("x", "rate(siang_http_requests_totl[5m])", scrapes, set())
    assert problems("x", 'siang_intake_backlog_records{service="workflow"}', scrapes, set())
    assert problems("x", 'siang_http_requests_total{colour="red"}', scrapes, set())
    assert not problems("x", 'siang_intake_backlog_records{service="intake"}', scrapes, set())
