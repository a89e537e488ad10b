"""A batch's view updates as one compact string, stored with the batch for readers.

The writer stores, in the same transaction as the batch, the `$inc` updates it applied;
a reader replays them onto its copy of the cells (see `cells`). One JSON string per
batch costs SecantusDB a single small document to store, where the same updates as
sub-documents would be decoded and encoded field by field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from services.reporting.domain.views import VIEW_KEYS, ViewUpdate


class UnencodableUpdate(TypeError):
    """A `$set` value JSON cannot carry exactly (the participation views set only
    strings, numbers, booleans, None and lists of strings: dates as ISO text)."""


def encode_updates(updates: Iterable[ViewUpdate]) -> str:
    """`[[collection, [key values in VIEW_KEYS order], inc, set], ...]` as JSON."""
    rows = [[u.collection, list(u.identity()[1]), dict(u.inc), dict(u.set)] for u in updates]
    try:
        return json.dumps(rows, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise UnencodableUpdate(str(exc)) from exc


def decode_updates(text: str) -> list[ViewUpdate]:
    """The updates `encode_updates` wrote, in the same order."""
    out: list[ViewUpdate] = []
    rows: list[list[Any]] = json.loads(text)
    for collection, values, inc, set_ in rows:
        key = dict(zip(VIEW_KEYS[collection], values, strict=True))
        out.append(ViewUpdate(collection, key, inc, set_))
    return out
