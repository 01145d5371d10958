"""Layout at 80x24, 120x35 and 200x50: every panel in view, whole values, the keys that matter.

The crowd is the demo's siege room at its fullest: six combatants with long
names, hurt, down and conditioned, four players connected, turns played.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widget import Widget

from app.app import LiveroomApp, make_app
from store import LiveStore, open_store
from tests.conftest import FakeClock
from tests.ui.conftest import POLL_S, open_room, settle
from widgets.footer import SteadyFooter
from widgets.initiative_list import InitiativeList
from widgets.rooms_table import RoomsTable

DM = "u-dm"
PLAYERS = {"u-ana": "Ana", "u-bree": "Bree", "u-eli": "Eli", "u-fenn": "Fenn"}
CROWD = [
    ("pc-thorin", "playerCharacter", "Thorin Ashbeard", 17, "u-bree", 38, 18),
    ("ogre", "monster", "Siege Ogre", 15, None, 59, 11),
    ("pc-kestrel", "playerCharacter", "Kestrel Vane", 14, "u-eli", 29, 15),
    ("mirelle", "npc", "Captain Mirelle", 11, None, 40, 15),
    ("cultist", "npc", "Ember Cultist 1", 5, None, 9, 12),
    ("pc-oswin", "playerCharacter", "Brother Oswin", 4, "u-fenn", 31, 16),
]
LONG_NAME = "Tavern Brawl at the Gilded Tankard"
LONG_ROOM = "room-siege-of-emberfall-keep"


def build_crowd(store: LiveStore, clock: FakeClock) -> tuple[int, int]:
    """The siege, live after three turns, and an idle room with a long name: their ids."""
    store.upsert_user(DM, "Dana the DM")
    for user_id, name in PLAYERS.items():
        store.upsert_user(user_id, name)
    order = [
        {"entity_id": entity_id, "entity_type": kind, "name": name, "initiative_roll": roll,
         "dexterity_modifier": 0, "user_id": user_id, "max_hp": hp, "armor_class": ac}
        for entity_id, kind, name, roll, user_id, hp, ac in CROWD
    ]  # fmt: skip
    siege = store.create_interaction(
        name="Siege of Emberfall Keep", dm_user_id=DM, initiative_order=order, turn_time_limit=60
    ).id
    store.initialize_for_live_play(siege, LONG_ROOM, {})
    store.adjust_hp(siege, "ogre", -28, source_entity_id="pc-thorin")
    store.add_condition(siege, "ogre", "blessed", rounds=2)
    store.add_condition(siege, "ogre", "poisoned")
    store.adjust_hp(siege, "cultist", -9, source_entity_id="pc-kestrel")
    store.adjust_hp(siege, "pc-kestrel", -16, source_entity_id="ogre")
    store.set_temp_hp(siege, "pc-kestrel", 5)
    for user_id in PLAYERS:
        store.update_connected_participants(siege, user_id, "join")
    for _ in range(3):
        clock.advance(7_000)
        store.advance_turn(siege)
    idle = store.create_interaction(name=LONG_NAME, dm_user_id=DM, initiative_order=order).id
    clock.advance(5_000)
    return siege, idle


@pytest.fixture
def crowd(tmp_path: Path, clock: FakeClock) -> Iterator[tuple[LiveStore, int, int]]:
    """(store, the siege's id, an idle room's id)."""
    with open_store(tmp_path / "crowd.db", clock=clock) as store:
        yield store, *build_crowd(store, clock)


def _app(store: LiveStore, clock: FakeClock) -> LiveroomApp:
    return make_app(store, clock=clock, poll_interval=POLL_S, housekeeping=False)


def _in_view(widget: Widget, screen_height: int) -> bool:
    region = widget.region
    return region.height >= 3 and region.y >= 0 and region.bottom <= screen_height - 1


async def test_every_room_panel_stays_in_view_at_80x24(
    crowd: tuple[LiveStore, int, int], clock: FakeClock
) -> None:
    """The turn history used to be pushed off screen by six combatants and four players."""
    store, siege, _ = crowd
    async with _app(store, clock).run_test(size=(80, 24)) as pilot:
        await open_room(pilot, siege)
        screen = pilot.app.screen
        for selector in ("#timer", "#initiative", "#participants", "#history", "#log"):
            assert _in_view(screen.query_one(selector), 24), selector
        history = screen.query_one("#history")
        assert history.region.height >= 4  # its border, header and the newest turn
        initiative = screen.query_one(InitiativeList)
        assert initiative.scrollable_content_region.height >= 1 + len(CROWD)  # every one


@pytest.mark.parametrize(
    ("size", "columns"),
    [
        ((80, 24), ["marker", "name", "hp", "ac", "conditions"]),
        ((120, 35), ["marker", "roll", "name", "hp", "ac", "conditions"]),
        ((200, 50), ["marker", "roll", "name", "hp", "ac", "conditions", "type", "player"]),
    ],
)
async def test_the_initiative_shows_whole_columns_by_priority(
    crowd: tuple[LiveStore, int, int],
    clock: FakeClock,
    size: tuple[int, int],
    columns: list[str],
) -> None:
    store, siege, _ = crowd
    async with _app(store, clock).run_test(size=size) as pilot:
        await open_room(pilot, siege)
        initiative = pilot.app.screen.query_one(InitiativeList)
        assert [str(key.value) for key in initiative.columns] == columns
        drawn = sum(column.width + 2 for column in initiative.columns.values())
        assert drawn <= initiative.scrollable_content_region.width
        widths = {str(column.key.value): column.width for column in initiative.columns.values()}
        assert widths["ac"] >= 2 and widths["hp"] >= len("31/59")
        if size[0] >= 120:
            assert widths["name"] >= len("Thorin Ashbeard")  # names whole from 120 up
        ogre = initiative.get_row("ogre")[columns.index("conditions")].plain
        # Blessed lost a round at the end of the ogre's turn. Cut, the rest is counted.
        assert ogre == "blessed 1 · poisoned" if size[0] >= 200 else ogre.endswith(" +1")


async def test_the_rooms_table_gives_a_wide_screen_to_long_values(
    crowd: tuple[LiveStore, int, int], clock: FakeClock
) -> None:
    """At 200 columns the name was cut at 30 cells and the room id at 16, ~80 cells blank."""
    store, siege, idle = crowd
    async with _app(store, clock).run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        table = pilot.app.screen.query_one(RoomsTable)
        assert table.cells(idle)["name"].plain == LONG_NAME
        cells = table.cells(siege)
        assert cells["room"].plain == LONG_ROOM
        assert cells["turn"].plain == "Captain Mirelle 0:55 left"  # was "Captain Mirel…"


def _drawn(footer: SteadyFooter) -> list[str]:
    drawn: list[str] = []
    for x in range(footer.size.width):
        key = footer.key_at(x)
        if key is not None and key.description not in drawn:
            drawn.append(key.description)
    return drawn


async def test_the_footer_keeps_help_and_the_next_step_at_80_columns(
    crowd: tuple[LiveStore, int, int], clock: FakeClock
) -> None:
    store, siege, idle = crowd
    async with _app(store, clock).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert _drawn(pilot.app.screen.query_one(SteadyFooter))[0] == "Help"
        await open_room(pilot, idle)
        drawn = _drawn(pilot.app.screen.query_one(SteadyFooter))
        assert drawn[0] == "Help" and "Go live" in drawn and drawn[-1] == "palette"
        await pilot.press("escape")
        await open_room(pilot, siege)
        drawn = _drawn(pilot.app.screen.query_one(SteadyFooter))
        assert drawn[:4] == ["Help", "Back", "Pause", "Next"]
