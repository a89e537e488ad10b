"""The relay renews its lease once half of it has run, not before every batch."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from shared.infra.outbox import OutboxRelay


class Leases:
    def __init__(self, grant: bool = True) -> None:
        self.grant = grant
        self.calls = 0

    async def take_lease(self, name: str, owner: str, ttl: timedelta) -> bool:
        self.calls += 1
        return self.grant


def relay(leases: Leases, ttl: float) -> OutboxRelay:
    outbox: Any = leases
    return OutboxRelay(outbox, publisher=None, lease_ttl=ttl)  # type: ignore[arg-type]


async def test_a_held_lease_is_renewed_only_after_half_its_time() -> None:
    leases = Leases()
    fresh = relay(leases, ttl=60)
    assert all([await fresh._hold_lease() for _ in range(5)])
    assert leases.calls == 1
    short = relay(leases, ttl=0.0)  # always past half-life: asks every time
    assert await short._hold_lease() and await short._hold_lease()
    assert leases.calls == 3


async def test_a_lease_held_by_someone_else_is_asked_for_again() -> None:
    leases = Leases(grant=False)
    waiting = relay(leases, ttl=60)
    assert not await waiting._hold_lease()
    assert not await waiting._hold_lease()
    assert leases.calls == 2
