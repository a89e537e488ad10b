"""A process-wide ordering number for rows written one after another."""

from __future__ import annotations

import threading
import time

_lock = threading.Lock()
_last = 0


def next_seq() -> int:
    """Microseconds since the epoch, strictly increasing within this process, so rows
    written one after another sort in that order (BSON dates only keep milliseconds)."""
    global _last
    with _lock:
        _last = max(_last + 1, time.time_ns() // 1000)
        return _last
