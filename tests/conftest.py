"""Fixtures shared by every test: a temporary store on each engine and a clock the test controls.

The `store` fixture runs each test that uses it twice, ids "sqlite" and
"postgres". The PostgreSQL half needs a server: LIVEROOM_TEST_POSTGRES_URL
(postgresql://user@host:port/dbname, a database the user may create schemas
in). Each test gets a fresh schema, dropped afterwards; without the variable
those tests are skipped with the reason. A test that opens the SQLite file
itself (it asks for `db_path`, or is marked sqlite_only) runs on SQLite only.
"""

from __future__ import annotations

import inspect
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import quote

import pytest

from store import LiveStore, open_store

START_MS = 1_767_225_600_000
"""2026-01-01T00:00:00Z: every test starts its clock here."""

POSTGRES_URL_ENV = "LIVEROOM_TEST_POSTGRES_URL"
POSTGRES_OFF = (
    f"{POSTGRES_URL_ENV} is not set: the PostgreSQL tests need a server (README: Sharing a store)"
)
ENGINES = ("sqlite", "postgres")
SQLITE_FILE = "liveroom.db"
"""The store's file in tmp_path on SQLite: `db_path` names the same file."""


class FakeClock:
    """A clock that only moves when the test moves it."""

    def __init__(self, now: int = START_MS) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now

    def advance(self, ms: int) -> int:
        self.now += ms
        return self.now


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that uses the store runs on each engine, unless it opens the SQLite file."""
    if "engine" not in metafunc.fixturenames:
        return
    sqlite_only = "db_path" in metafunc.fixturenames or metafunc.definition.get_closest_marker(
        "sqlite_only"
    )
    engines = ["sqlite"] if sqlite_only else list(ENGINES)
    metafunc.parametrize("engine", engines, indirect=True)


def skip_without_postgres() -> NoReturn:
    """Skip the test: no PostgreSQL server was given."""
    pytest.skip(POSTGRES_OFF)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Report every "no PostgreSQL server" skip at one place, so the summary says it once.

    pytest shows a fixture's skip at each test, which folds into hundreds of
    summary lines; this reason is the same for all of them.
    """
    report = yield
    longrepr = report.longrepr
    if report.skipped and isinstance(longrepr, tuple) and longrepr[2].endswith(POSTGRES_OFF):
        report.longrepr = (__file__, inspect.getsourcelines(skip_without_postgres)[1], longrepr[2])
    return report


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """Which engine this run of the test uses: "sqlite" or "postgres"."""
    return str(request.param)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / SQLITE_FILE


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Any]:
    """One autocommit connection per test process, to create and drop the tests' schemas."""
    url = os.environ.get(POSTGRES_URL_ENV)
    if not url:
        skip_without_postgres()
    psycopg = pytest.importorskip(
        "psycopg", reason="the PostgreSQL tests need psycopg: pip install -e '.[postgres]'"
    )
    connection = psycopg.connect(url, autocommit=True)
    yield connection
    connection.close()


def schema_url(url: str, schema: str) -> str:
    """`url` with its connections confined to `schema` and named after it."""
    separator = "&" if "?" in url else "?"
    options = quote(f"-csearch_path={schema}", safe="")
    return f"{url}{separator}options={options}&application_name={schema}"


@pytest.fixture
def postgres_schema(postgres_admin: Any) -> Iterator[str]:
    """A fresh, empty schema on the test server, dropped (with its connections) after the test."""
    schema = f"lr_{uuid.uuid4().hex[:16]}"
    postgres_admin.execute(f'CREATE SCHEMA "{schema}"')
    yield schema
    drop_schema(postgres_admin, schema)


@pytest.fixture
def postgres_url(postgres_schema: str) -> str:
    """A URL whose tables live in the test's own schema."""
    return schema_url(os.environ[POSTGRES_URL_ENV], postgres_schema)


def drop_schema(admin: Any, schema: str) -> None:
    """Drop a test schema; connections a test left open (threads, processes) go first."""
    admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE application_name = %s AND pid <> pg_backend_pid()",
        [schema],
    )
    admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def store_target(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> str | Path:
    """What the test's store was opened with: a file path, or a PostgreSQL URL."""
    if engine == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return tmp_path / SQLITE_FILE


@pytest.fixture
def store(store_target: str | Path, clock: FakeClock) -> Iterator[LiveStore]:
    with open_store(store_target, clock=clock) as opened:
        yield opened
