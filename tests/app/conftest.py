"""One seeded demo store shared by every app test that only reads it: seeding is the slow part."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.seed import seed_demo
from store import LiveStore, open_store
from tests.conftest import FakeClock


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveStore, FakeClock]]:
    """The demo seeded once on a fixed clock; tests must not write to it."""
    clock = FakeClock()
    with open_store(tmp_path_factory.mktemp("demo") / "demo.db", clock=clock) as store:
        seed_demo(store)
        yield store, clock
