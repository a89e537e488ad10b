"""Waiting for a wake-up with a time limit, without losing a cancellation.

On Python 3.11, `asyncio.wait_for(event.wait(), t)` runs the wait as a separate task; if
the event is set just as the waiting task is cancelled, wait_for returns normally and the
cancellation is gone (python/cpython#86296). A background loop built on it then never
stops, and a service's shutdown hangs. Awaiting the event directly under
`asyncio.timeout` keeps the cancellation.
"""

from __future__ import annotations

import asyncio


async def woken(event: asyncio.Event, timeout: float) -> bool:
    """Wait until `event` is set or `timeout` seconds pass; True if it was set."""
    try:
        async with asyncio.timeout(timeout):
            await event.wait()
    except TimeoutError:
        return False
    return True
