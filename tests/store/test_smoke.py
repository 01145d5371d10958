"""The README's first promise: a store opens, takes an interaction and gives it back."""

from __future__ import annotations

from store import LiveStore


def test_create_and_get_round_trip(store: LiveStore) -> None:
    created = store.create_interaction(name="Goblin ambush", dm_user_id="dm-1")
    assert store.get_interaction(created.id) == created
    assert created.status == "idle"
    assert (created.round_number, created.turn_number) == (0, 0)
    assert created.current_initiative_index is None
