"""The players' view as an app: what it shows and hides, following live writes, each status."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.player.source import PlayerSource, resolve_room
from store import LiveStore, NotFound, StoreUnavailable, open_store
from tests.conftest import FakeClock
from tests.player.conftest import SIZE, PlayerFactory, banner, settle, shown
from tests.player.scene import DM, ORDER, SECRET, SNAPSHOT_MARK, WHISPER, Fight, build_fight, chat


async def test_live_room_shows_turn_order_players_and_party_chat(
    fight_store: tuple[LiveStore, Fight], player: PlayerFactory
) -> None:
    _, fight = fight_store
    app = player(fight.live)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = shown(app)
        assert banner(app) == "Goblin Boss"
    assert "Goblin Ambush at Tallow Ford" in text
    for name in ("Bree", "Tam", "Ola the guide", "Bree Underhill", "Tam Ashford"):
        assert name in text
    assert "I draw my bow. [bold]not bold[/bold]" in text  # literally, never as markup
    assert "Round 1 begins" in text
    assert SECRET not in text and WHISPER not in text
    assert SNAPSHOT_MARK not in text  # the state snapshot stays the DM's
    assert "chat on" not in text and "5 min" not in text  # and so do the settings


async def test_follows_live_writes(
    fight_store: tuple[LiveStore, Fight], player: PlayerFactory, clock: FakeClock
) -> None:
    store, fight = fight_store
    app = player(fight.live)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        chat(store, fight.live, "room-tallow", "u-bree", "party", "Arrow away!")
        chat(store, fight.live, "room-tallow", DM, "dm", "the boss flees next turn")
        chat(store, fight.live, "room-tallow", "u-bree", "private", "psst", recipients=[DM])
        store.advance_turn(fight.live)
        store.update_connected_participants(fight.live, "u-ivo", "join")
        await settle(pilot)
        text = shown(app)
        assert "Arrow away!" in text
        assert "flees" not in text and "psst" not in text
        assert banner(app) == "Tam"
        assert "Ivo Quill" in text
        store.pause_interaction(fight.live, reason="snack")
        await settle(pilot)
        assert "Paused" in shown(app)
        store.resume_interaction(fight.live)
        store.finalize_live_interaction(fight.live, {}, "goblins fled")
        await settle(pilot)
        text = shown(app)
    assert "The fight is over." in text
    assert "1 round · 2 turns · 0 skipped · 0 timed out" in text


@pytest.mark.parametrize(
    ("which", "said"),
    [
        ("idle", "Waiting for the game master to start the fight"),
        ("paused", "Paused: the game master will be right back."),
        ("completed", "The fight is over."),
    ],
)
async def test_waiting_and_finished_rooms(
    fight_store: tuple[LiveStore, Fight], player: PlayerFactory, which: str, said: str
) -> None:
    _, fight = fight_store
    app = player(getattr(fight, which))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = shown(app)
        assert said in text
        assert not app.screen.query_one("#band").display
    if which == "paused":
        assert "Round 1 · Goblin Boss · 1:00 left" in text  # the turn on hold, time frozen
    if which == "completed":
        assert "1 round · 2 turns · 0 skipped · 0 timed out" in text


async def test_a_session_leaves_the_store_file_byte_for_byte_unchanged(
    fight_db: Path, clock: FakeClock, player: PlayerFactory
) -> None:
    with open_store(fight_db, clock=clock) as store:
        fight = build_fight(store, clock)
    before = hashlib.sha256(fight_db.read_bytes()).hexdigest()
    files = sorted(os.listdir(fight_db.parent))
    app = player(fight.live)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, polls=4)
        await pilot.press("ctrl+p", "q", "enter", "x")  # no key writes; no palette to open
        await settle(pilot)
        assert "Goblin Boss" in shown(app)
        with pytest.raises(StoreUnavailable):
            app.source.store.log_interaction_event(
                fight.live,
                "CHAT_MESSAGE",
                {"channel": "party", "content": "hi"},
                session_id="room-tallow",
            )
    assert hashlib.sha256(fight_db.read_bytes()).hexdigest() == before
    assert sorted(os.listdir(fight_db.parent)) == files  # no -wal, no -shm, nothing new


async def test_a_view_opened_before_the_game_master_sees_the_fight_start(
    fight_db: Path, clock: FakeClock, player: PlayerFactory
) -> None:
    """No writer at start: SQLite reads the file immutable; a writer's -wal reopens it."""
    with open_store(fight_db, clock=clock) as store:
        prepared = store.create_interaction(
            name="Dragon's Lair", dm_user_id=DM, initiative_order=ORDER, turn_time_limit=60
        ).id
    assert not os.path.exists(f"{fight_db}-wal")
    app = player(prepared)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Waiting for the game master" in shown(app)
        with open_store(fight_db, clock=clock) as store:
            store.initialize_for_live_play(prepared, "room-lair", {})
            chat(store, prepared, "room-lair", None, "system", "The dragon wakes")
            await settle(pilot, polls=3)
            text = shown(app)
            assert banner(app) == "Bree"
    assert "The dragon wakes" in text


WRITE_AND_CLOSE = """
import sys
from store import open_store
from tests.player.scene import chat

db, interaction_id, what = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open_store(db) as store:
    if what == "advance":
        store.advance_turn(interaction_id)
    else:
        chat(store, interaction_id, "room-tallow", "u-bree", "party", what)
"""
"""A short script: opens the store, writes once and closes, taking its -wal with it."""


def write_and_close(db: Path, interaction_id: int, what: str) -> None:
    """Run WRITE_AND_CLOSE in its own process, as a game master's script would."""
    subprocess.run(
        [sys.executable, "-c", WRITE_AND_CLOSE, str(db), str(interaction_id), what],
        cwd=Path(__file__).resolve().parents[2],
        check=True,
        timeout=60,
    )


def test_the_source_sees_a_writer_that_came_and_went_between_polls(
    fight_db: Path, clock: FakeClock
) -> None:
    """Opened immutable (no writer), then a writer opens, commits and closes, removing
    its -wal: only the file's stat tells, and the next poll reopens."""
    with open_store(fight_db, clock=clock) as store:
        fight = build_fight(store, clock)
    files = sorted(os.listdir(fight_db.parent))
    source = PlayerSource(fight_db, clock=clock)
    try:
        token = source.change_token()
        assert source.change_token() == token  # nothing written: no reopening
        write_and_close(fight_db, fight.live, "Over the wall!")
        assert not os.path.exists(f"{fight_db}-wal")
        assert source.change_token() != token
        logs = source.store.get_interaction_logs(fight.live, limit=1)
        assert logs[0].event_data["content"] == "Over the wall!"
    finally:
        source.close()
    assert sorted(os.listdir(fight_db.parent)) == files  # the view created nothing


async def test_follows_short_scripts_that_open_write_and_close(
    fight_db: Path, clock: FakeClock, player: PlayerFactory
) -> None:
    with open_store(fight_db, clock=clock) as store:
        fight = build_fight(store, clock)
    app = player(fight.live)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert banner(app) == "Goblin Boss"
        write_and_close(fight_db, fight.live, "Arrow away!")
        write_and_close(fight_db, fight.live, "Second arrow!")
        write_and_close(fight_db, fight.live, "advance")
        await settle(pilot, polls=3)
        text = shown(app)
        assert banner(app) == "Tam"
    assert "Arrow away!" in text and "Second arrow!" in text


def test_room_ids_resolve_to_their_interaction(fight_store: tuple[LiveStore, Fight]) -> None:
    store, fight = fight_store
    assert resolve_room(store, str(fight.live)) == fight.live
    assert resolve_room(store, "room-tallow") == fight.live
    assert resolve_room(store, "room-lich") == fight.paused
    with pytest.raises(NotFound):
        resolve_room(store, "room-road")  # finalized: its room is closed
    with pytest.raises(NotFound):
        resolve_room(store, "999")


def test_a_missing_store_is_refused_not_created(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable):
        PlayerSource(tmp_path / "nothing.db")
    assert not os.listdir(tmp_path)


async def test_hidden_combatants_and_monster_health_in_the_app(
    tmp_path: Path, clock: FakeClock
) -> None:
    db = tmp_path / "hidden.db"
    order = [
        {**ORDER[0], "max_hp": 31, "current_hp": 23},
        {**ORDER[1], "max_hp": 30, "current_hp": 14, "conditions": [{"name": "prone"}]},
        {
            "entity_id": "assassin",
            "entity_type": "monster",
            "name": "Lurking Assassin",
            "initiative_roll": 14,
            "hidden": True,
        },
        ORDER[2],
    ]
    with open_store(db, clock=clock) as store:
        fight = store.create_interaction(name="Ambush", dm_user_id=DM, initiative_order=order)
        store.initialize_for_live_play(fight.id, "room-a", {})
        store.advance_turn(fight.id)
        store.advance_turn(fight.id)  # the hidden assassin's turn
        app = make_app_for(db, clock, fight.id)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            text = shown(app)
    assert "Lurking Assassin" not in text
    assert "the game master's turn" in text
    assert "23/31" in text and "bloodied" in text and "14/30" not in text
    assert "prone" in text


def make_app_for(db: Path, clock: FakeClock, interaction_id: int):  # type: ignore[no-untyped-def]
    from app.player.app import make_player_app

    return make_player_app(
        PlayerSource(db, clock=clock), interaction_id, clock=clock, poll_interval=0.05
    )
