"""A room full of what players type: markup, escapes, controls, long lines, RTL, emoji.

Built through the public store API with the test's clock, like tests/ui/scenes.py,
so the snapshot is the same on every machine.
"""

from __future__ import annotations

from typing import Any

from store import LiveStore
from tests.conftest import FakeClock

ROOM = "[@click=app.quit]room[/]"
CHAT = [
    ("u-evil", "party", "[bold]not bold[/bold] [link=https://evil.example]not a link[/link]"),
    ("u-evil", "party", "[@click=app.quit]click to quit[/] [@click=screen.dismiss()]x[/]"),
    ("u-esc", "party", "\x1b[31mnot red\x1b[0m \x1b]8;;https://evil.example\x07osc8\x1b]8;;\x07"),
    ("u-esc", "dm", "\x1b[2J\x1b[Hcleared? \x1b[?1049h alt screen? \x1bc reset?"),
    ("u-rtl", "party", "bell\x07 bs\x08 tab\tcr\rnl\n del\x7f csi\x9b31m vt\x0b ff\x0c"),
    ("u-rtl", "party", "مرحبا بالعالم — שלום \u202eevil override\u202c \u2067isolate\u2069 end"),
    ("u-zalgo", "party", "Z\u0337\u0322\u031ba\u0335l\u0338g\u0336o\u0334 e\u0301\u0301\u0301"),
    ("u-zalgo", "party", "🐉🔥 🧙\u200d♂️ 👨\u200d👩\u200d👧 🏳️\u200d🌈 🇫🇷 wide：全角"),
    ("u-evil", "party", "A very long line that goes on and on. " * 50),
    ("u-evil", "system", "[/] [/bold] [ unbalanced [[escaped]] \\[bold] \\\\[x]"),
]
NAMES = {
    "u-evil": "[@click=app.quit]Mallory[/]",
    "u-esc": "\x1b[2JEve\x1b[0m",
    "u-rtl": "\u202eecilA",
    "u-zalgo": "Z\u0301\u0301alg\u0336o 🐉",
}
ORDER: list[dict[str, Any]] = [
    {
        "entity_id": "[bold]pc[/bold]",
        "entity_type": "playerCharacter",
        "name": "[red]Bree[/red] \x1b[5m",
        "initiative_roll": 19,
        "dexterity_modifier": 4,
        "user_id": "u-evil",
    },
    {
        "entity_id": "gob",
        "entity_type": "monster",
        "name": "\u202eGoblin 🐉 e\u0301\u0301",
        "initiative_roll": 12,
        "dexterity_modifier": 2,
    },
]


ROOM_NAME = "[bold]Lair[/bold] of [red]Doom[/red] [@click=app.quit]x[/] 🐉 \u05e9\u05dc\u05d5\u05dd"
ESCAPING_ROOM_NAME = "Lair of \x1b[31mDoom\x1b[0m\x1b[2J \u202eevil"
"""A room name with terminal escapes and a bidi override (see test_literal_display)."""


def build_hostile_room(store: LiveStore, clock: FakeClock, name: str = ROOM_NAME) -> int:
    """One live room where every name, message and event came from a hostile player."""
    for user_id, display_name in NAMES.items():
        store.upsert_user(user_id, display_name)
    room = store.create_interaction(
        name=name,
        dm_user_id="u-evil",
        initiative_order=ORDER,
        turn_time_limit=300,
        description="[link=https://evil.example]desc[/link]",
    ).id
    store.initialize_for_live_play(room, ROOM, {"[bold]k": "\x1b[31mv", "🐉": ["\u202e"]})
    for user_id in NAMES:
        store.update_connected_participants(room, user_id, "join")
    for user_id, channel, content in CHAT:
        clock.advance(1_000)
        store.log_interaction_event(
            room, "CHAT_MESSAGE", {"channel": channel, "content": content}, ROOM, user_id=user_id
        )
    store.log_interaction_event(
        room,
        "CHAT_MESSAGE",
        {"channel": "private", "content": "[i]psst[/i]", "recipients": ["u-esc", "u-rtl"]},
        ROOM,
        user_id="u-zalgo",
    )
    store.log_interaction_event(
        room,
        "[@click=app.quit]EVENT\x1b[31m",
        {"[bold]key": "[link=x]v[/link]", "ansi": "\x1b[5mblink", "deep": {"l": ["\u202e", "🐉"]}},
        ROOM,
        user_id="u-esc",
        entity_id="gob",
    )
    store.log_interaction_event(
        room, "DICE_ROLL", {"notation": "[@click=app.quit]1d20[/]", "result": "\x1b[2J"}, ROOM
    )
    clock.advance(2_000)
    store.advance_turn(
        room,
        actions=[
            {
                "type": "note",
                "target": "[@click=app.quit]gob[/]",
                "description": "[bold]\x1b[31m",
                "parameters": {"[bold]": "\x1b[31m"},
            }
        ],
    )
    clock.advance(5_000)
    return room
