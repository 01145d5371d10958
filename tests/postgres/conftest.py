"""Fixtures for the PostgreSQL-only tests: the shared server's schemas, and a private server."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.conftest import POSTGRES_URL_ENV, skip_without_postgres
from tests.postgres.server import PrivateServer, find_bindir, run_as


@pytest.fixture(scope="module")
def private_server() -> Iterator[PrivateServer]:
    """A server this module may stop and restart; the shared one must stay up."""
    if not os.environ.get(POSTGRES_URL_ENV):
        skip_without_postgres()
    pytest.importorskip("psycopg", reason="the PostgreSQL tests need psycopg")
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server programs (initdb, pg_ctl) on this machine")
    prefix = run_as()
    if prefix is None:
        pytest.skip("running as root without a `postgres` user to run the server as")
    server = PrivateServer(bindir, prefix)
    try:
        server.start()
        yield server
    finally:
        server.destroy()
