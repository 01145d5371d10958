"""Small, hand-made stores for screen tests: every room state a screen must show.

Built through the public store API with the test's clock, so every timestamp
(and therefore every "2m ago" and every timer) is the same on any machine.
"""

from __future__ import annotations

from dataclasses import dataclass

from store import LiveStore
from tests.conftest import FakeClock

PLAYERS = {"u-bree": "Bree Underhill", "u-tam": "Tam Ashford", "u-ivo": "Ivo Quill"}
DM = "u-dm"

ORDER = [
    {
        "entity_id": "pc-bree",
        "entity_type": "playerCharacter",
        "name": "Bree",
        "initiative_roll": 19,
        "dexterity_modifier": 4,
        "user_id": "u-bree",
        "max_hp": 24,
        "armor_class": 15,
    },
    {
        "entity_id": "gob-1",
        "entity_type": "monster",
        "name": "Goblin Boss",
        "initiative_roll": 15,
        "dexterity_modifier": 2,
        "max_hp": 30,
        "armor_class": 17,
    },
    {
        "entity_id": "pc-tam",
        "entity_type": "playerCharacter",
        "name": "Tam",
        "initiative_roll": 12,
        "dexterity_modifier": 1,
        "user_id": "u-tam",
        "max_hp": 18,
        "armor_class": 12,
    },
    {
        "entity_id": "npc-ola",
        "entity_type": "npc",
        "name": "Ola the guide",
        "initiative_roll": 8,
        "dexterity_modifier": 0,
    },
]


@dataclass(frozen=True)
class Scene:
    """Ids of the rooms a scene created, by what each shows."""

    live: int
    paused: int
    untimed: int
    completed: int
    idle: int
    cancelled: int


def build_scene(store: LiveStore, clock: FakeClock) -> Scene:
    """Six rooms, one per state the screens draw, with players, chat and turn history."""
    store.upsert_user(DM, "Dana the DM")
    for user_id, name in PLAYERS.items():
        store.upsert_user(user_id, name)

    live = _fight(store, clock, "Goblin Ambush at Tallow Ford", "room-tallow", limit=300)
    paused = _fight(store, clock, "The Lich's Antechamber", "room-lich", limit=90)
    clock.advance(20_000)
    store.pause_interaction(paused, reason="snack break")
    untimed = _fight(store, clock, "Parley with the Duke", "room-duke", limit=0)
    completed = _fight(store, clock, "Bandits on the Old Road", "room-road", limit=60)
    store.finalize_live_interaction(completed, {"loot": ["12 gp"]}, "bandits fled")
    idle = store.create_interaction(
        name="Dragon's Lair (prepared)", dm_user_id=DM, initiative_order=ORDER, turn_time_limit=120
    ).id
    cancelled = store.create_interaction(name="Tavern Brawl", dm_user_id=DM).id
    store.update_live_room_status(cancelled, "cancelled")
    clock.advance(15_000)
    return Scene(
        live=live,
        paused=paused,
        untimed=untimed,
        completed=completed,
        idle=idle,
        cancelled=cancelled,
    )


def _fight(store: LiveStore, clock: FakeClock, name: str, room: str, *, limit: int) -> int:
    fight = store.create_interaction(
        name=name,
        dm_user_id=DM,
        initiative_order=ORDER,
        turn_time_limit=limit,
        description="A test encounter",
    )
    state = {
        "map": {"name": name, "size": [30, 20]},
        "tokens": [{"id": e["entity_id"], "hp": 10 + i} for i, e in enumerate(ORDER)],
    }
    store.initialize_for_live_play(fight.id, room, state)
    _hurt(store, fight.id)
    for user_id in ("u-bree", "u-tam"):
        store.update_connected_participants(fight.id, user_id, "join")
    clock.advance(4_000)
    _chat(store, fight.id, room, "u-bree", "party", "I nock an arrow and wait.")
    clock.advance(3_000)
    store.advance_turn(
        fight.id, actions=[{"type": "attack", "target": "gob-1", "parameters": {"roll": 17}}]
    )
    clock.advance(9_000)
    store.log_interaction_event(
        fight.id,
        "DICE_ROLL",
        {"notation": "1d20+5", "result": 14},
        room,
        user_id=DM,
        entity_id="gob-1",
    )
    store.advance_turn(fight.id, status="skipped")
    clock.advance(2_000)
    _chat(
        store, fight.id, room, "u-tam", "private", "psst, Bree: flank left", recipients=["u-bree"]
    )
    _chat(store, fight.id, room, DM, "dm", "[bold]not bold[/bold] and [@click=app.quit]no[/]")
    return fight.id


def _chat(
    store: LiveStore,
    interaction_id: int,
    room: str,
    user_id: str,
    channel: str,
    content: str,
    recipients: list[str] | None = None,
) -> None:
    data: dict[str, object] = {"channel": channel, "content": content}
    if recipients:
        data["recipients"] = recipients
    store.log_interaction_event(interaction_id, "CHAT_MESSAGE", data, room, user_id=user_id)


def _hurt(store: LiveStore, interaction_id: int) -> None:
    """Every way a combatant can look: bloodied and prone, shielded by temporary hit
    points, down and unconscious, untracked (Ola)."""
    store.adjust_hp(interaction_id, "gob-1", -23, source_entity_id="pc-bree")
    store.add_condition(interaction_id, "gob-1", "prone", rounds=1)
    store.adjust_hp(interaction_id, "pc-bree", -6, source_entity_id="gob-1")
    store.set_temp_hp(interaction_id, "pc-bree", 5)
    store.adjust_hp(interaction_id, "pc-tam", -18, source_entity_id="gob-1")
    store.add_condition(interaction_id, "pc-tam", "unconscious")
