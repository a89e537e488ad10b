"""The local SecantusDB's adapters, in the order `secantusd.py` installs them: each
replaces one piece of SecantusDB's (or WiredTiger's) code that costs Siang's workload
more than it needs, and refuses, leaving the server as shipped, if that code has
changed shape. `bench.secantus_storage` installs them by these names."""

from __future__ import annotations

from collections.abc import Callable

from deploy.local import (
    secantus_catalogue,
    secantus_copy,
    secantus_index_keys,
    secantus_membership,
    secantus_registry,
    wiredtiger_packing,
)

ADAPTERS: dict[str, Callable[[], bool]] = {
    "registry": secantus_registry.install,
    "catalogue": secantus_catalogue.install,
    "packing": wiredtiger_packing.install,
    "membership": secantus_membership.install,
    "copy": secantus_copy.install,
    "index keys": secantus_index_keys.install,
}


def install(names: tuple[str, ...] | list[str] = tuple(ADAPTERS)) -> dict[str, bool]:
    """Install the named adapters (all by default) in order; which of them took."""
    return {name: ADAPTERS[name]() for name in ADAPTERS if name in names}
