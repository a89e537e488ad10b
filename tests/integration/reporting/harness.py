"""Helpers of the reporting integration tests: tokens (of accounts the fixture puts in
workflow's `staff` collection, which reporting checks tokens against), order-free view
snapshots, and a handle on a running reporting app."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI

from services.reporting.context import ReportingContext
from services.reporting.domain import views as v
from shared.contract.events import CloudEvent
from shared.infra.auth import AuthSettings, StaffRole, issue_token
from shared.infra.kafka import EventPublisher
from tests.support import eventually


def staff_id(role: StaffRole, unit: str | None) -> str:
    return f"{role}-{unit or 'office'}"


def bearer(role: StaffRole, unit: str | None = None) -> dict[str, str]:
    token = issue_token(
        AuthSettings(), id=staff_id(role, unit), name=f"{role} one", role=role, unit=unit
    )
    return {"Authorization": f"Bearer {token}"}


def staff_accounts(units: Iterable[str]) -> list[dict[str, Any]]:
    """An account for every role in every unit (and none), as the workflow stores them."""
    return [
        {"_id": staff_id(role, unit), "name": f"{role} one", "role": role.value, "unit": unit}
        for role in StaffRole
        for unit in (None, *units)
    ]


def without_ids(docs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The documents without `_id`, in an order that does not depend on field order."""
    out = [{k: x for k, x in d.items() if k != "_id"} for d in docs]
    return sorted(out, key=lambda d: json.dumps(d, sort_keys=True, default=str))


@dataclass
class Reporting:
    app: FastAPI
    http: httpx.AsyncClient
    publisher: EventPublisher

    @property
    def ctx(self) -> ReportingContext:
        return self.app.state.ctx  # type: ignore[no-any-return]

    async def publish(self, events: Iterable[CloudEvent[Any]]) -> None:
        for e in events:
            await self.publisher.publish(e)

    async def applied(self) -> int:
        return await self.ctx.store.applied_count()

    async def wait_applied(self, n: int, timeout: float = 60) -> None:
        async def done() -> bool:
            return await self.applied() >= n

        await eventually(done, timeout=timeout, interval=0.2, what=f"{n} events applied")

    def metric(self, name: str, **labels: str) -> float:
        value = self.app.state.runtime.metrics.registry.get_sample_value(name, labels)
        return float(value or 0.0)

    async def snapshot(self) -> dict[str, list[dict[str, Any]]]:
        """Every view of the current version, order-free."""
        return {name: without_ids(await self.ctx.store.documents(name)) for name in v.VIEW_KEYS}
