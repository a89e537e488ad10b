"""The relay deletes published rows in sweeps, not one deletion per round: until a sweep
it reads past what it published, so nothing is published twice by a running relay, and
a stopping relay deletes what it published. A row committed late, numbered before rows
already published, goes out after the next sweep."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from shared.infra.outbox import OutboxRelay, outbox_documents
from tests.support import comment


class Rows:
    """An outbox in memory that counts its statements."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.reads = 0
        self.deletes = 0

    def write(self, n: int) -> None:
        self.rows += outbox_documents(
            [comment(f"case-{len(self.rows)}", f"t{i}") for i in range(n)]
        )

    async def pending(self, events: int, after: int | None = None) -> list[dict[str, Any]]:
        self.reads += 1
        ordered = sorted(self.rows, key=lambda r: int(r["seq"]))
        return [r for r in ordered if after is None or r["seq"] > after][:events]

    async def mark_sent(self, ids: Sequence[str]) -> None:
        self.deletes += 1
        self.rows = [r for r in self.rows if r["_id"] not in set(ids)]


class Broker:
    def __init__(self) -> None:
        self.values: list[bytes] = []

    async def send_raw(self, **record: Any) -> asyncio.Future[None]:
        self.values.append(record["value"])
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


def relay(rows: Rows, broker: Broker, sweep_rows: int = 32) -> OutboxRelay:
    outbox: Any = rows
    return OutboxRelay(outbox, broker, sweep_interval=3600, sweep_rows=sweep_rows)  # type: ignore[arg-type]


async def test_rounds_read_past_published_rows_and_one_sweep_deletes_them() -> None:
    rows, broker = Rows(), Broker()
    r = relay(rows, broker)
    for _ in range(5):
        rows.write(2)
        assert await r._publish() == 2
        await r.sweep(when_due=True)  # not due: an hour, and fewer than 32 rows held
    assert len(broker.values) == 10  # each event once
    assert (rows.reads, rows.deletes, len(rows.rows)) == (5, 0, 5)
    await r.sweep()
    assert (rows.deletes, rows.rows) == (1, [])


async def test_a_sweep_comes_once_enough_rows_are_held() -> None:
    rows, broker = Rows(), Broker()
    r = relay(rows, broker, sweep_rows=3)
    for _ in range(7):
        rows.write(1)
        await r._publish()
        await r.sweep(when_due=True)
    assert rows.deletes == 2
    assert len(rows.rows) == 1
    assert len(broker.values) == 7


async def test_relay_once_and_stop_leave_nothing_published_behind() -> None:
    rows, broker = Rows(), Broker()
    rows.write(3)
    assert await relay(rows, broker).relay_once() == 3
    assert rows.rows == []
    rows.write(2)
    r = relay(rows, broker)
    await r._publish()
    await r.stop()
    assert rows.rows == []
    assert len(broker.values) == 5


async def test_a_row_committed_late_with_an_earlier_number_goes_out_after_the_sweep() -> None:
    rows, broker = Rows(), Broker()
    r = relay(rows, broker)
    rows.write(1)
    late = outbox_documents([comment("case-late", "numbered first, committed last")])
    rows.write(1)
    assert late[0]["seq"] < rows.rows[-1]["seq"]
    assert await r._publish() == 2
    rows.rows += late  # its transaction commits only now
    assert await r._publish() == 0  # reads only after the rows it holds
    await r.sweep()
    assert await r._publish() == 1  # holding nothing, it reads every row
    assert broker.values[-1] == late[0]["events"][0]["value"]
    assert len(broker.values) == 3  # each event once
