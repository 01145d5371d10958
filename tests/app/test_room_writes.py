"""RoomWrites: each write acts on the room as this console knows it when the write runs."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from app.room_writes import RoomWrites
from store import Conflict, Interaction, LiveStore, open_store


@pytest.fixture
def store(tmp_path: Path) -> LiveStore:
    with open_store(tmp_path / "writes.db") as store:
        yield store


def _fight(store: LiveStore) -> Interaction:
    order = [
        {
            "entity_id": e,
            "entity_type": "monster",
            "name": e,
            "initiative_roll": r,
            "dexterity_modifier": 0,
        }
        for e, r in (("a", 15), ("b", 10))
    ]
    fight = store.create_interaction(name="Fight", dm_user_id="dm", initiative_order=order)
    return store.initialize_for_live_play(fight.id, "room-1", {})


async def _writes_for(store: LiveStore, interaction_id: int) -> tuple[RoomWrites, asyncio.Task]:
    async def reread() -> Interaction:
        return store.get_interaction(interaction_id)

    writes = RoomWrites(reread)
    return writes, asyncio.create_task(writes.run())


async def test_queued_advances_each_see_the_turn_the_last_one_left(store: LiveStore) -> None:
    fight = _fight(store)
    writes, runner = await _writes_for(store, fight.id)
    writes.observe(fight)

    async def advance(room: Interaction) -> object:
        return store.advance_turn(room.id, expected_turn=(room.round_number, room.turn_number))

    try:
        done = [writes.submit(advance) for _ in range(3)]
        await asyncio.gather(*done)
    finally:
        runner.cancel()
    assert len(store.get_turn_records(fight.id)) == 3


async def test_a_write_from_a_stale_state_raises_to_its_caller_and_the_queue_goes_on(
    store: LiveStore,
) -> None:
    fight = _fight(store)
    writes, runner = await _writes_for(store, fight.id)
    writes.observe(fight)
    store.advance_turn(fight.id)  # another console, unseen here

    async def advance(room: Interaction) -> object:
        return store.advance_turn(room.id, expected_turn=(room.round_number, room.turn_number))

    try:
        with pytest.raises(Conflict):
            await writes.submit(advance)
        await writes.submit(advance)  # re-read after the refusal: this one acts
    finally:
        runner.cancel()
    assert len(store.get_turn_records(fight.id)) == 2


async def test_an_older_state_read_does_not_replace_a_newer_own_result(store: LiveStore) -> None:
    fight = _fight(store)
    writes, runner = await _writes_for(store, fight.id)
    try:
        paused = await writes.submit(
            lambda room: asyncio.sleep(0, store.pause_interaction(room.id))
        )
    finally:
        runner.cancel()
    writes.observe(fight)  # a poll that read the room before the pause
    assert writes.known == paused
