"""update_turn_settings: partial updates, logged with what changed, applied from the next turn."""

from __future__ import annotations

import pytest

from store import Conflict, InvalidInput, LiveStatus, LiveStore
from tests.conftest import START_MS, FakeClock
from tests.store.helpers import LIMIT_MS, ROOM, events_of, writes_nothing


def test_partial_update(store: LiveStore, live: int, clock: FakeClock) -> None:
    clock.advance(300)
    status = store.update_turn_settings(live, chat_enabled=False)
    assert isinstance(status, LiveStatus)
    assert (status.turn_time_limit, status.chat_enabled, status.allow_private_chat) == (
        60,
        False,
        True,
    )
    assert status.last_activity == clock.now
    [logged] = events_of(store, live, "SETTINGS_UPDATED")
    assert logged.event_data == {"chat_enabled": False}
    assert logged.session_id == ROOM
    assert logged.timestamp == clock.now


def test_logs_only_what_changed(store: LiveStore, live: int) -> None:
    store.update_turn_settings(
        live, turn_time_limit=60, chat_enabled=True, allow_private_chat=False
    )
    [logged] = events_of(store, live, "SETTINGS_UPDATED")
    assert logged.event_data == {"allow_private_chat": False}


def test_everything_at_once(store: LiveStore, live: int) -> None:
    status = store.update_turn_settings(
        live, turn_time_limit=0, chat_enabled=False, allow_private_chat=False
    )
    assert (status.turn_time_limit, status.chat_enabled, status.allow_private_chat) == (
        0,
        False,
        False,
    )
    [logged] = events_of(store, live, "SETTINGS_UPDATED")
    assert logged.event_data == {
        "turn_time_limit": 0,
        "chat_enabled": False,
        "allow_private_chat": False,
    }


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"turn_time_limit": 60}, {"chat_enabled": True, "allow_private_chat": True}],
)
def test_no_change_logs_nothing(
    store: LiveStore, live: int, clock: FakeClock, kwargs: dict[str, object]
) -> None:
    clock.advance(1000)
    with writes_nothing(store):
        status = store.update_turn_settings(live, **kwargs)  # type: ignore[arg-type]
    assert status.last_activity == START_MS


def test_new_limit_applies_from_the_next_turn(
    store: LiveStore, live: int, clock: FakeClock
) -> None:
    clock.advance(5000)
    status = store.update_turn_settings(live, turn_time_limit=20)
    assert status.current_turn_timeout == START_MS + LIMIT_MS  # the running turn keeps its own
    clock.advance(1000)
    store.advance_turn(live)
    assert store.get_interaction(live).current_turn_timeout == clock.now + 20_000


def test_untimed_from_the_next_turn(store: LiveStore, live: int) -> None:
    store.update_turn_settings(live, turn_time_limit=0)
    assert store.get_interaction(live).current_turn_timeout == START_MS + LIMIT_MS
    store.advance_turn(live)
    assert store.get_interaction(live).current_turn_timeout is None


def test_idle_and_paused_settings_are_used_later(
    store: LiveStore, idle: int, clock: FakeClock
) -> None:
    store.update_turn_settings(idle, turn_time_limit=30, allow_private_chat=False)
    [logged] = events_of(store, idle, "SETTINGS_UPDATED")
    assert logged.session_id == "system"
    live = store.initialize_for_live_play(idle, ROOM, None)
    assert live.turn_time_limit == 30
    assert live.allow_private_chat is False
    assert live.current_turn_timeout == clock.now + 30_000


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"chat_enabled": 1}, "chat_enabled"),
        ({"chat_enabled": "false"}, "chat_enabled"),
        ({"allow_private_chat": 0}, "allow_private_chat"),
    ],
)
def test_flags_must_be_booleans(
    store: LiveStore, live: int, kwargs: dict[str, object], field: str
) -> None:
    with writes_nothing(store), pytest.raises(InvalidInput, match=field):
        store.update_turn_settings(live, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("fixture", ["completed", "cancelled"])
def test_final_is_read_only(store: LiveStore, request: pytest.FixtureRequest, fixture: str) -> None:
    interaction_id = request.getfixturevalue(fixture)
    with writes_nothing(store), pytest.raises(Conflict, match=fixture):
        store.update_turn_settings(interaction_id, chat_enabled=False)
