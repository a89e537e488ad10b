"""Closing, as the system, each open record whose last day has passed (consultations and
mission surveys alike): one that a person or another replica closed meanwhile is
skipped, not an error."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable

from services.participation.adapters.consultation_store import StaleVersion
from services.participation.domain.errors import IllegalTransition

log = logging.getLogger(__name__)


async def close_each(
    ids: Iterable[str], close: Callable[[str], Awaitable[object]], what: str
) -> int:
    """`close` each of `ids`; returns how many it closed."""
    closed = 0
    for record_id in ids:
        try:
            await close(record_id)
            closed += 1
        except (IllegalTransition, StaleVersion):
            pass  # closed meanwhile by a person or another replica
    if closed:
        log.info("closed %d %s past their last day", closed, what)
    return closed
