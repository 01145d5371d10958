"""Rules that hold for every operation: activity stamps, read-only final states, model results."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from store import Conflict, LiveStore
from tests.conftest import FakeClock
from tests.store.helpers import all_logs, writes_nothing
from tests.store.operations import LIVE_WRITES, QUERIES, WRITES


@pytest.mark.parametrize("operation", LIVE_WRITES)
def test_every_write_sets_last_activity_to_now(
    store: LiveStore, live: int, clock: FakeClock, operation: str
) -> None:
    clock.advance(123_456)
    LIVE_WRITES[operation](store, live)
    assert store.get_interaction(live).last_activity == clock.now


@pytest.mark.parametrize("operation", LIVE_WRITES)
def test_store_written_events_are_stamped_now_in_the_room(
    store: LiveStore, live: int, clock: FakeClock, operation: str
) -> None:
    before = {log.id for log in all_logs(store, live)}
    clock.advance(5000)
    LIVE_WRITES[operation](store, live)
    new = [log for log in all_logs(store, live) if log.id not in before]
    assert all(log.timestamp == clock.now for log in new)
    assert all(log.session_id == "room-1" for log in new)


@pytest.mark.parametrize("operation", ["initialize_for_live_play", "set_initiative_order"])
def test_idle_writes_set_last_activity(
    store: LiveStore, idle: int, clock: FakeClock, operation: str
) -> None:
    clock.advance(1000)
    WRITES[operation](store, idle)
    assert store.get_interaction(idle).last_activity == clock.now


def test_resume_sets_last_activity(store: LiveStore, paused: int, clock: FakeClock) -> None:
    clock.advance(1000)
    store.resume_interaction(paused)
    assert store.get_interaction(paused).last_activity == clock.now


@pytest.mark.parametrize("fixture", ["completed", "cancelled"])
@pytest.mark.parametrize("operation", WRITES)
def test_final_interactions_are_read_only(
    store: LiveStore, request: pytest.FixtureRequest, operation: str, fixture: str
) -> None:
    interaction_id = request.getfixturevalue(fixture)
    with writes_nothing(store), pytest.raises(Conflict, match=fixture):
        WRITES[operation](store, interaction_id)


@pytest.mark.parametrize("operation", [*LIVE_WRITES, *QUERIES])
def test_results_are_models_not_rows(store: LiveStore, live: int, operation: str) -> None:
    result = {**LIVE_WRITES, **QUERIES}[operation](store, live)
    items = result if isinstance(result, list) else [result]
    for item in items:
        assert isinstance(item, BaseModel | str), type(item)
        assert "peewee" not in type(item).__module__


@pytest.mark.parametrize(
    "operation", ["save_state_snapshot", "log_interaction_event", "record_turn", "advance_turn"]
)
def test_the_dump_notices_every_kind_of_write(
    store: LiveStore, live: int, clock: FakeClock, operation: str
) -> None:
    """writes_nothing, which the failure tests rely on, does catch a write."""
    clock.advance(1)
    with pytest.raises(AssertionError), writes_nothing(store):
        WRITES[operation](store, live)
