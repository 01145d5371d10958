"""Fixtures shared by every test: a temporary store and a clock the test controls."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from store import LiveStore, open_store

START_MS = 1_767_225_600_000
"""2026-01-01T00:00:00Z: every test starts its clock here."""


class FakeClock:
    """A clock that only moves when the test moves it."""

    def __init__(self, now: int = START_MS) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now

    def advance(self, ms: int) -> int:
        self.now += ms
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "liveroom.db"


@pytest.fixture
def store(db_path: Path, clock: FakeClock) -> Iterator[LiveStore]:
    with open_store(db_path, clock=clock) as opened:
        yield opened
