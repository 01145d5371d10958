"""Interactions in every status, built through the public API on the shared `store`."""

from __future__ import annotations

import pytest

from store import LiveStore
from tests.conftest import FakeClock
from tests.store.helpers import LIMIT, ORDER, ROOM


@pytest.fixture
def idle(store: LiveStore) -> int:
    """An idle interaction with a three-entry initiative order and a 60 s turn limit."""
    return store.create_interaction(
        name="Goblin ambush", dm_user_id="dm-ana", initiative_order=ORDER, turn_time_limit=LIMIT
    ).id


@pytest.fixture
def live(store: LiveStore, idle: int, clock: FakeClock) -> int:
    """`idle` taken live in ROOM: round 1, turn 1 (Bree) is running."""
    store.initialize_for_live_play(idle, ROOM, {"hp": {"gob-1": 7}})
    return idle


@pytest.fixture
def bare_live(store: LiveStore) -> int:
    """A live interaction without an initiative order: no turn runs."""
    created = store.create_interaction(name="Tavern talk", dm_user_id="dm-ana")
    store.initialize_for_live_play(created.id, "room-bare", None)
    return created.id


@pytest.fixture
def paused(store: LiveStore, live: int, clock: FakeClock) -> int:
    """`live` paused 10 s into Bree's turn: 50 s are left."""
    clock.advance(10_000)
    store.pause_interaction(live, reason="snack break")
    return live


@pytest.fixture
def completed(store: LiveStore, live: int) -> int:
    store.finalize_live_interaction(live, {"hp": {}}, "goblins fled")
    return live


@pytest.fixture
def cancelled(store: LiveStore, idle: int) -> int:
    store.update_live_room_status(idle, "cancelled")
    return idle
