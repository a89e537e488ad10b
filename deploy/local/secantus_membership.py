"""`$in` over strings by set membership, for the local SecantusDB (installed by
`secantusd.py`).

SecantusDB 0.7.0b3 matches `{field: {$in: [...]}}` against each document by comparing
the document's value with the list's entries one by one, each through its general
equality (numbers across types, arrays, documents, dates, collations). Siang reads,
updates and deletes by id in slices of 32 (`shared.infra.by_ids`), so each statement
made about 32 x 16 such comparisons, twice per document an update touched: a quarter of
the CPU of a ledger's settling update (`bench.secantus_storage`).

When every entry of the list and every value the document holds at the field are plain
strings, and no collation applies, that equality is Python's `==` on strings, so the
match is one lookup in a set of the entries, built once per list. Anything else (a
number, an array, a regex entry, a collation) is matched as before.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class _Last(threading.local):
    # The last `$in` list this thread matched, and its entries as a set (None when not
    # all of them are strings). Held by reference, so the identity check stays sound.
    entries: list[Any] | None = None
    strings: frozenset[str] | None = None


def install() -> bool:
    """Match `$in` over strings by membership; False (and the server unchanged) if this
    SecantusDB does not have the shape this was written for."""
    try:
        from secantus import query
    except ImportError:
        return False
    original: Callable[..., bool] | None = getattr(query, "_op_matches", None)
    if original is None:
        log.warning("SecantusDB's query matching has changed; $in is matched as before")
        return False
    if getattr(original, "by_membership", False):
        return True
    last = _Last()

    def strings_of(entries: list[Any]) -> frozenset[str] | None:
        if last.entries is not entries:
            all_strings = all(type(e) is str for e in entries)
            last.strings = frozenset(entries) if all_strings else None
            last.entries = entries
        return last.strings

    @functools.wraps(original)
    def op_matches(
        values: list[Any], op: str, arg: Any, collation: Any = None, **kwargs: Any
    ) -> bool:
        if op == "$in" and collation is None and type(arg) is list:
            strings = strings_of(arg)
            if strings is not None and all(type(v) is str for v in values):
                return any(v in strings for v in values)
        return original(values, op, arg, collation, **kwargs)

    op_matches.by_membership = True  # type: ignore[attr-defined]
    query._op_matches = op_matches
    return True
