"""The MongoDB client factory: PyMongo's asyncio API, majority + journal writes."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pymongo
from pymongo import AsyncMongoClient, WriteConcern
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure, PyMongoError
from pymongo.read_concern import ReadConcern

from shared.infra.settings import MongoSettings

Document = dict[str, Any]
T = TypeVar("T")


def create_mongo_client(settings: MongoSettings) -> AsyncMongoClient[Document]:
    """A client whose writes are acknowledged by a majority and journaled, so a write
    that returned survives a crash of the server."""
    return AsyncMongoClient(
        settings.url,
        w="majority",
        journal=True,
        readConcernLevel="majority",
        serverSelectionTimeoutMS=settings.server_selection_timeout_ms,
        connectTimeoutMS=settings.server_selection_timeout_ms,
        tz_aware=True,
        uuidRepresentation="standard",
    )


def database(
    client: AsyncMongoClient[Document], settings: MongoSettings
) -> AsyncDatabase[Document]:
    return client.get_database(
        settings.database,
        write_concern=WriteConcern(w="majority", j=True),
        read_concern=ReadConcern("majority"),
    )


async def mongo_ok(client: AsyncMongoClient[Document], timeout: float = 2.0) -> bool:
    """A real round trip to the server, given up after `timeout` by the driver itself.

    Within the readiness probe's own limit, so the probe never cancels the driver from
    outside: a cancellation while PyMongo waits for a server can break its topology lock
    for every later operation of the client."""
    try:
        with pymongo.timeout(timeout):
            await client.admin.command("ping")
        return True
    except PyMongoError:
        return False


def is_duplicate_key(exc: BaseException) -> bool:
    """Whether `exc` is a write refused because its key is already taken (E11000), alone
    or in a bulk insert."""
    if isinstance(exc, DuplicateKeyError):
        return True
    if isinstance(exc, BulkWriteError):
        return any(e.get("code") == 11000 for e in exc.details.get("writeErrors", []))
    return False


_WRITE_CONFLICT = 112  # the server's code for a write meeting another transaction's


class TransactionConflict(PyMongoError):
    """A transaction kept meeting concurrent writers (write conflicts) through every
    retry. Nothing is wrong with the work: it is to be tried again later, never dropped."""


async def in_transaction(
    client: AsyncMongoClient[Document],
    work: Callable[[AsyncClientSession], Awaitable[T]],
    *,
    attempts: int = 10,
    conflict_attempts: int | None = None,
) -> T:
    """Run `work(session)` in one transaction, retrying the whole of it (with a jittered,
    growing pause) when the server labels an error transient: a write conflict with a
    concurrent replica, a failover. Raises `TransactionConflict` when that never ends.

    `conflict_attempts` gives up sooner on write conflicts alone, for a caller with a
    better answer to one than waiting (intake splits a group commit); a failover still
    gets every attempt."""
    conflicts = 0
    for attempt in range(1, attempts + 1):
        async with client.start_session() as session:
            try:
                async with await session.start_transaction():
                    return await work(session)
            except PyMongoError as exc:
                if not exc.has_error_label("TransientTransactionError"):
                    raise
                if isinstance(exc, OperationFailure) and exc.code == _WRITE_CONFLICT:
                    conflicts += 1
                if attempt == attempts or conflicts == conflict_attempts:
                    raise TransactionConflict(str(exc)) from exc
                await asyncio.sleep(random.uniform(0.005, 0.02) * 2 ** min(attempt, 6))
    raise AssertionError("unreachable")
