"""What a service measures when Prometheus scrapes it (shared.infra.metrics): the disk of
the watched paths, and samplers that may fail or hang without costing the scrape."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from shared.infra.metrics import ServiceMetrics


def samples(metrics: ServiceMetrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = generate_latest(metrics.registry).decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_the_disk_of_each_watched_path_is_reported(tmp_path: Path) -> None:
    metrics = ServiceMetrics("unit")
    metrics.watch_disks([tmp_path, tmp_path / "not-created-yet"])
    found = samples(metrics)
    st = os.statvfs(tmp_path)
    key = (("path", str(tmp_path)),)
    assert found[("siang_disk_size_bytes", key)] == st.f_blocks * st.f_frsize
    # Free space moves as anything on the machine writes: the same order, not the byte.
    assert 0 < found[("siang_disk_free_bytes", key)] <= found[("siang_disk_size_bytes", key)]
    # A path that does not exist yet has no sample, rather than reading as a full disk.
    assert not any(("path", str(tmp_path / "not-created-yet")) in k[1] for k in found)


def test_nothing_watched_means_no_disk_samples() -> None:
    assert not any(name.startswith("siang_disk") for name, _ in samples(ServiceMetrics("unit")))


def test_a_failing_or_hanging_sampler_leaves_the_others_and_the_scrape_alone() -> None:
    metrics = ServiceMetrics("unit")

    async def good() -> None:
        metrics.outbox_backlog.labels("unit-outbox").set(7)

    async def failing() -> None:
        raise ConnectionError("MongoDB is away")

    async def hanging() -> None:
        await asyncio.sleep(60)

    metrics.samplers += [failing, hanging, good]
    started = time.monotonic()
    asyncio.run(metrics.sample(timeout=0.2))
    assert time.monotonic() - started < 2
    assert samples(metrics)[("siang_outbox_backlog", (("outbox", "unit-outbox"),))] == 7
