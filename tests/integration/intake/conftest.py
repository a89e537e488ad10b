"""The real IMAP server for the e-mail channel's tests: the local Dovecot
(`deploy/local/dovecot.py`), started once for the session like Kafka, each test in a
folder of its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from deploy.local.dovecot import DovecotServer


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    server = DovecotServer()
    server.ensure_running(timeout=30)
    yield server
