"""A small fight for the players' view tests, built through the store's public API.

Every timestamp comes from the test's clock, so a timer reads the same on any machine.
"""

from __future__ import annotations

from dataclasses import dataclass

from store import LiveStore
from tests.conftest import FakeClock

DM = "u-dm"
PLAYERS = {"u-bree": "Bree Underhill", "u-tam": "Tam Ashford", "u-ivo": "Ivo Quill"}

ORDER = [
    {
        "entity_id": "pc-bree",
        "entity_type": "playerCharacter",
        "name": "Bree",
        "initiative_roll": 19,
        "dexterity_modifier": 4,
        "user_id": "u-bree",
    },
    {
        "entity_id": "gob-1",
        "entity_type": "monster",
        "name": "Goblin Boss",
        "initiative_roll": 15,
        "dexterity_modifier": 2,
    },
    {
        "entity_id": "pc-tam",
        "entity_type": "playerCharacter",
        "name": "Tam",
        "initiative_roll": 12,
        "dexterity_modifier": 1,
        "user_id": "u-tam",
    },
    {
        "entity_id": "npc-ola",
        "entity_type": "npc",
        "name": "Ola the guide",
        "initiative_roll": 8,
        "dexterity_modifier": 0,
    },
]

SECRET = "the DM's secret plan"
WHISPER = "a private whisper"
SNAPSHOT_MARK = "trapdoor-under-the-ford"
"""In every live fight's state snapshot, which players never see."""


@dataclass(frozen=True)
class Fight:
    """The ids of the scene's rooms."""

    live: int
    paused: int
    idle: int
    completed: int


def chat(
    store: LiveStore,
    interaction_id: int,
    room: str,
    user: str | None,
    channel: str,
    content: str,
    **extra: object,
) -> None:
    store.log_interaction_event(
        interaction_id,
        "CHAT_MESSAGE",
        {"channel": channel, "content": content, **extra},
        session_id=room,
        user_id=user,
    )


def live_fight(store: LiveStore, clock: FakeClock, name: str, room: str, limit: int) -> int:
    """A fight gone live with two players connected, a turn played and chat on every channel."""
    fight = store.create_interaction(
        name=name, dm_user_id=DM, initiative_order=ORDER, turn_time_limit=limit
    ).id
    store.initialize_for_live_play(fight, room, {"map": SNAPSHOT_MARK})
    for user in ("u-bree", "u-tam"):
        store.update_connected_participants(fight, user, "join")
    chat(store, fight, room, "u-bree", "party", "I draw my bow. [bold]not bold[/bold]")
    chat(store, fight, room, DM, "dm", SECRET)
    chat(store, fight, room, "u-tam", "private", WHISPER, recipients=["u-bree"])
    chat(store, fight, room, None, "system", "Round 1 begins")
    clock.advance(12_000)
    store.advance_turn(fight, actions=[{"type": "attack", "target": "gob-1"}])
    clock.advance(25_000)
    chat(store, fight, room, "u-tam", "party", "Watch out, Bree!")
    return fight


def build_fight(store: LiveStore, clock: FakeClock) -> Fight:
    """A live fight, a paused one, one not started and one finished."""
    store.upsert_user(DM, "Dana the DM")
    for user_id, display in PLAYERS.items():
        store.upsert_user(user_id, display)
    paused = live_fight(store, clock, "The Lich's Antechamber", "room-lich", 90)
    clock.advance(5_000)
    store.pause_interaction(paused, reason="snack break")
    completed = live_fight(store, clock, "Bandits on the Old Road", "room-road", 60)
    store.advance_turn(completed)
    store.finalize_live_interaction(completed, {"loot": ["12 gp"]}, "bandits fled")
    idle = store.create_interaction(
        name="Dragon's Lair", dm_user_id=DM, initiative_order=ORDER, turn_time_limit=120
    ).id
    live = live_fight(store, clock, "Goblin Ambush at Tallow Ford", "room-tallow", 300)
    return Fight(live=live, paused=paused, idle=idle, completed=completed)
