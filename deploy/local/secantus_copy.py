"""A plain copy of decoded documents for the local SecantusDB's updates (installed by
`secantusd.py`).

SecantusDB 0.7.0b3 applies an update to a `copy.deepcopy` of the stored document (and of
the update itself). `deepcopy` is general: it keeps a memo of every object it meets so
shared and cyclic parts stay shared, and dispatches per type. A decoded BSON document
is a tree of dicts and lists over immutable leaves, with nothing shared, so a copy of
its containers is the same copy at a fraction of the cost: on a notification ledger's
settling update, `deepcopy` was an eighth of the CPU (`bench.secantus_storage`).

Containers other than plain dicts and lists, and leaves of any other type, still go
through `deepcopy`. Only SecantusDB's update module sees this `copy`.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from deploy.local.bson_leaves import LEAVES

log = logging.getLogger(__name__)


def tree_copy(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """`copy.deepcopy` for trees of dicts and lists over immutable leaves."""
    if memo is not None:  # a caller that tracks sharing itself
        return copy.deepcopy(value, memo)
    kind = type(value)
    if kind is dict:
        return {k: tree_copy(v) for k, v in value.items()}
    if kind is list:
        return [tree_copy(v) for v in value]
    if kind in LEAVES:  # no update changes these in place: the copy may share them
        return value
    return copy.deepcopy(value)


class _Copy:
    """The `copy` module, with `deepcopy` replaced."""

    deepcopy = staticmethod(tree_copy)

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


def install() -> bool:
    """Give SecantusDB's update module the plain copy; False (and the server unchanged)
    if this SecantusDB does not have the shape this was written for."""
    try:
        from secantus import update
    except ImportError:
        return False
    current = getattr(update, "copy", None)
    if isinstance(current, _Copy):
        return True
    if current is not copy:
        log.warning("SecantusDB's update module has changed; documents are deep-copied")
        return False
    update.copy = _Copy()  # type: ignore[assignment]
    return True
