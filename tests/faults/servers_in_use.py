"""Whether the Kafka and MongoDB a test session uses are the local servers `deploy.local`
manages: the only ones a fault test can stop and start again.

A restart test that stopped some other server (the local one, while the system runs on
testcontainers or on servers named by SIANG_TEST_*) would break nothing the system uses
and pass without having tested anything. So the decision compares the addresses the
system under test is given with those of the local servers, and asks whether the local
server is really running (its pid file names a live process of ours).
"""

from __future__ import annotations

from dataclasses import dataclass

_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
_KAFKA_PORT = 9092
_MONGO_PORT = 27017


def _host_port(item: str, default_port: int) -> tuple[str, int]:
    host, colon, port = item.rpartition(":")
    if not colon or host.endswith(":") or not port.isdigit():  # no port, or bare IPv6
        return item, default_port
    return host, int(port)


@dataclass(frozen=True, slots=True)
class LocalServer:
    """What the decision needs to know of one local server."""

    name: str
    port: int
    running: bool


def kafka_addresses(bootstrap: str) -> list[tuple[str, int]]:
    """`host:port[,host:port...]`, each perhaps with a listener scheme (PLAINTEXT://)."""
    found = []
    for item in bootstrap.split(","):
        item = item.strip().rsplit("://", 1)[-1]
        if item:
            found.append(_host_port(item, _KAFKA_PORT))
    return found


def mongo_addresses(url: str) -> list[tuple[str, int]]:
    """The hosts of a `mongodb://[user:password@]host[:port][,host...]/...` URL."""
    rest = url.split("://", 1)[-1]
    hosts = rest.split("/", 1)[0].split("?", 1)[0].rpartition("@")[2]
    return [_host_port(item, _MONGO_PORT) for item in hosts.split(",") if item]


def _is_local(addresses: list[tuple[str, int]], server: LocalServer) -> bool:
    # The local servers listen on 127.0.0.1 only; one address, theirs, and nothing else.
    return len(addresses) == 1 and addresses[0][0] in _LOOPBACK and addresses[0][1] == server.port


def why_not_local(
    kafka_bootstrap: str, mongo_url: str, kafka: LocalServer, mongo: LocalServer
) -> str | None:
    """None when the system under test uses exactly the running local servers; else why
    not, in words fit for a skip reason."""
    reasons = []
    for used, addresses, server in (
        (kafka_bootstrap, kafka_addresses(kafka_bootstrap), kafka),
        (mongo_url, mongo_addresses(mongo_url), mongo),
    ):
        shown = ",".join(f"{h}:{p}" for h, p in addresses) or used
        if not _is_local(addresses, server):
            reasons.append(
                f"the system uses {server.name} at {shown}, not the local one "
                f"(127.0.0.1:{server.port})"
            )
        elif not server.running:
            reasons.append(
                f"{server.name} at {shown} is not the process deploy.local runs (no live pid file)"
            )
    return "; ".join(reasons) or None


def local_servers() -> tuple[LocalServer, LocalServer]:
    """The local Kafka and SecantusDB as `deploy.local` knows them (ports from the same
    SIANG_*_PORT variables, running from their pid files)."""
    from deploy.local.servers import servers

    kafka, mongo = servers()
    return (
        LocalServer("Kafka", kafka.port, kafka.pid() is not None),
        LocalServer("SecantusDB", mongo.port, mongo.pid() is not None),
    )
