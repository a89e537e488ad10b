"""Faster key and value packing for the WiredTiger Python API under the local SecantusDB
(installed by `secantusd.py`).

WiredTiger's Python cursors pack every key and value they set, and unpack every one they
read, with pure-Python functions that parse the format string again on each call, one
generator step per column. SecantusDB sets and reads several keys per index entry, so
that packing was about a fifth of a one-document write's CPU (`bench.secantus_storage`)
and a tenth of the server's under the pipeline benchmark's saturation load.

SecantusDB's tables use only formats of strings (`S`) followed by at most one byte
string (`u`) or 64-bit integer (`q`), without sizes. Those pack with one join and unpack
with one split, producing exactly the bytes and values the original does (WiredTiger's
encoding keeps its sort order, so a byte of difference would corrupt an index); any
other format, a value of another type, or a string holding a NUL goes to the original.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

# Integers WiredTiger packs in one byte (0x80 | x) and in two.
_ONE_BYTE_MAX = 2**6 - 1
_TWO_BYTE_MAX = 2**13 + _ONE_BYTE_MAX


def install() -> bool:
    """Put the fast functions where the cursors call them; False (and WiredTiger
    unchanged) if its Python API does not have the shape this was written for."""
    try:
        import wiredtiger.intpacking as intpacking
        from wiredtiger import swig_wiredtiger
    except ImportError:
        return False
    original_pack: Callable[..., bytes] | None = getattr(swig_wiredtiger, "pack", None)
    original_unpack: Callable[..., Any] | None = getattr(swig_wiredtiger, "unpack", None)
    pack_int: Callable[[int], bytes] | None = getattr(intpacking, "pack_int", None)
    unpack_int: Callable[[bytes], tuple[int, bytes]] | None = getattr(
        intpacking, "unpack_int", None
    )
    if original_pack is None or original_unpack is None or pack_int is None or unpack_int is None:
        log.warning("WiredTiger's Python packing has changed; keeping its own")
        return False
    if getattr(original_pack, "fast", False):
        return True
    # Per format: how many strings lead it and what follows them ("", "u" or "q"), or
    # None for a format left to WiredTiger.
    plans: dict[str, tuple[int, str] | None] = {}

    def plan_of(fmt: str) -> tuple[int, str] | None:
        if fmt in plans:
            return plans[fmt]
        strings = len(fmt) - len(fmt.lstrip("S"))
        tail = fmt[strings:]
        plan = plans[fmt] = (strings, tail) if fmt and tail in ("", "u", "q") else None
        return plan

    def int_bytes(x: int) -> bytes:
        if 0 <= x <= _ONE_BYTE_MAX:
            return bytes((0x80 | x,))
        if _ONE_BYTE_MAX < x <= _TWO_BYTE_MAX:
            x -= _ONE_BYTE_MAX + 1
            return bytes((0xC0 | (x >> 8), x & 0xFF))
        return pack_int(x)

    def pack(fmt: str, *values: Any) -> bytes:
        plan = plan_of(fmt)
        if plan is None or len(values) != len(fmt):
            return original_pack(fmt, *values)
        strings, tail = plan
        head = b""
        if strings:
            texts = values[:strings] if tail else values
            if not all(type(v) is str for v in texts):
                return original_pack(fmt, *values)
            joined = "\0".join(texts)
            if joined.count("\0") != strings - 1:
                # A string holding a NUL, which WiredTiger cuts short.
                return original_pack(fmt, *values)
            head = (joined + "\0").encode()
        if not tail:
            return head
        last = values[-1]
        if tail == "u" and type(last) is bytes:
            return head + last
        if tail == "q" and type(last) is int:
            return head + int_bytes(last)
        return original_pack(fmt, *values)

    def unpack(fmt: str, s: Any) -> Any:
        plan = plan_of(fmt)
        if plan is None or type(s) is not bytes:
            return original_unpack(fmt, s)
        strings, tail = plan
        parts = s.split(b"\0", strings) if strings else [s]
        if len(parts) != strings + 1:
            return original_unpack(fmt, s)
        result: list[Any] = [p.decode() for p in parts[:strings]]
        rest = parts[strings]
        if tail == "u":
            result.append(rest)
        elif tail == "q":
            if rest and 0x80 <= rest[0] < 0xC0:
                result.append(rest[0] & 0x3F)
            else:
                result.append(unpack_int(rest)[0])
        return result

    pack.fast = True  # type: ignore[attr-defined]
    swig_wiredtiger.pack = pack
    swig_wiredtiger.unpack = unpack
    return True
