"""Index keys of plain top-level fields, for the local SecantusDB (installed by
`secantusd.py`).

SecantusDB 0.7.0b3 works out the keys a document gives an index the general way, for
every index and every document it writes: each field's path walked through nested
documents and arrays into candidate lists, their cartesian product, each key
deduplicated. The same walk decides, per index not yet multikey, whether the document
makes it one. On a batch insert into `cases`, with twelve indexes, that general
machinery was a sixth of the statement's CPU (`bench.secantus_storage`).

Siang's indexes are on top-level fields holding single values (a string, a number, a
date), for which all of it comes to one key: each field's value (null when absent)
encoded in the field's direction, joined. That is what these give. A dotted path, an
array or nested document at an indexed field, a document that is not a plain dict, or
a direction that is not 1 or -1 goes through SecantusDB's own functions as before.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from typing import Any

from deploy.local.bson_leaves import LEAVES

log = logging.getLogger(__name__)


def install() -> bool:
    """Key plain fields directly; False (and the server unchanged) if this SecantusDB
    does not have the shape this was written for."""
    try:
        from secantus import sortkey, storage
    except ImportError:
        return False
    variants: Callable[..., list[bytes]] | None = getattr(storage, "_index_key_variants", None)
    multikey: Callable[..., bool] | None = getattr(storage, "_doc_makes_multikey", None)
    encode: Callable[..., bytes] | None = getattr(sortkey, "encode_value_directed", None)
    separator: bytes | None = getattr(sortkey, "COMPOUND_SEP", None)
    if variants is None or multikey is None or encode is None or separator is None:
        log.warning("SecantusDB's index keys have changed; they are worked out as before")
        return False
    if getattr(variants, "direct", False):
        return True

    @functools.wraps(variants)
    def index_key_variants(
        doc: Mapping[str, Any],
        key_spec: Mapping[str, Any],
        *,
        sparse: bool,
        collation: Any = None,
    ) -> list[bytes]:
        if type(doc) is dict:
            parts: list[bytes] = []
            present = False
            for field, direction in key_spec.items():
                if "." in field or (direction != 1 and direction != -1):
                    break
                value = doc.get(field)
                if type(value) not in LEAVES:  # a list or a document: the general walk
                    break
                # mongod keys an absent field as null; a sparse index skips a document
                # only when every one of its fields is absent.
                present = present or field in doc
                parts.append(encode(value, int(direction), collation=collation))
            else:
                if sparse and not present:
                    return []
                if parts:
                    return [parts[0] if len(parts) == 1 else separator.join(parts)]
        return variants(doc, key_spec, sparse=sparse, collation=collation)

    @functools.wraps(multikey)
    def doc_makes_multikey(doc: Mapping[str, Any], key_spec: Mapping[str, Any]) -> bool:
        if type(doc) is dict and not any("." in field for field in key_spec):
            return any(isinstance(doc.get(field), list) for field in key_spec)
        return multikey(doc, key_spec)

    index_key_variants.direct = True  # type: ignore[attr-defined]
    storage._index_key_variants = index_key_variants
    storage._doc_makes_multikey = doc_makes_multikey
    return True
