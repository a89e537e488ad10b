"""Formatting Kafka's storage takes a fresh cluster id on the command line."""

from __future__ import annotations

import base64
from collections.abc import Iterator

from deploy.local.servers import kafka_cluster_id


def _draws(*raws: bytes) -> Iterator[bytes]:
    yield from raws


def test_an_id_starting_with_a_dash_is_drawn_again() -> None:
    # 0xF8 encodes to "-" first: the storage tool would read the id as an option.
    dashed = b"\xf8" + bytes(15)
    plain = b"\x10" + bytes(15)
    draws = _draws(dashed, plain)
    cid = kafka_cluster_id(lambda: next(draws))
    assert cid == base64.urlsafe_b64encode(plain).decode().rstrip("=")
    assert not cid.startswith("-")


def test_an_id_is_kafkas_form_of_sixteen_random_bytes() -> None:
    ids = {kafka_cluster_id() for _ in range(200)}
    assert len(ids) == 200
    for cid in ids:
        assert len(cid) == 22 and not cid.startswith("-")
        assert len(base64.urlsafe_b64decode(cid + "==")) == 16
