"""roll_initiative and going live with unrolled combatants: dice from the injected rng."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from store import (
    Conflict,
    InitiativeEntry,
    Interaction,
    InvalidInput,
    LiveStore,
    NotFound,
    open_store,
)
from tests.conftest import FakeClock
from tests.store.helpers import ROOM, entry, event_types, events_of, writes_nothing


class Dice(random.Random):
    """An rng whose randint returns the given rolls in turn (and checks each die's range)."""

    def __init__(self, rolls: Iterable[int] = ()) -> None:
        super().__init__(0)
        self.rolls = list(rolls)
        self.dice: list[int] = []

    def randint(self, a: int, b: int) -> int:
        value = self.rolls.pop(0)
        assert a == 1 and a <= value <= b, (value, b)
        self.dice.append(b)
        return value


@pytest.fixture
def dice() -> Dice:
    return Dice()


@pytest.fixture
def roller(
    store: LiveStore, store_target: str | Path, clock: FakeClock, dice: Dice
) -> Iterator[LiveStore]:
    """A store on the same database as `store`, rolling the `dice` fixture's rolls."""
    with open_store(store_target, clock=clock, rng=dice) as opened:
        yield opened


def unrolled(*names: str, dex: int = 0) -> list[dict[str, Any]]:
    return [entry(name, initiative_roll=None, dexterity_modifier=dex) for name in names]


def order(interaction: Interaction) -> list[tuple[str, int | None, int | None]]:
    return [(e.entity_id, e.initiative_roll, e.tiebreaker) for e in interaction.initiative_order]


def fight(store: LiveStore, entries: list[dict[str, Any]]) -> int:
    return store.create_interaction(name="Roll", dm_user_id="dm", initiative_order=entries).id


class TestRollInitiative:
    def test_rolls_d20_plus_dexterity_and_sorts(
        self, store: LiveStore, roller: LiveStore, dice: Dice, clock: FakeClock
    ) -> None:
        fight_id = fight(
            store,
            [
                entry("a", initiative_roll=None, dexterity_modifier=2),
                entry("b", initiative_roll=None, dexterity_modifier=-1),
                entry("set", initiative_roll=12),
            ],
        )
        dice.rolls = [5, 18]
        clock.advance(50)
        rolled = roller.roll_initiative(fight_id)
        assert order(rolled) == [("b", 17, None), ("set", 12, None), ("a", 7, None)]
        assert dice.dice == [20, 20]
        [logged] = events_of(store, fight_id, "INITIATIVE_ROLLED")
        assert logged.event_data == {
            "rolls": {
                "a": {"d20": 5, "modifier": 2, "total": 7},
                "b": {"d20": 18, "modifier": -1, "total": 17},
            },
            "tiebreakers": {},
            "order": ["b", "set", "a"],
        }
        assert rolled.last_activity == clock.now and rolled == store.get_interaction(fight_id)

    def test_ties_go_to_dexterity_then_to_a_roll_off(
        self, store: LiveStore, roller: LiveStore, dice: Dice
    ) -> None:
        fight_id = fight(
            store,
            [
                entry("slow", initiative_roll=None, dexterity_modifier=0),
                entry("quick", initiative_roll=None, dexterity_modifier=3),
                entry("twin-1", initiative_roll=None, dexterity_modifier=0),
                entry("twin-2", initiative_roll=None, dexterity_modifier=0),
            ],
        )
        # slow 15, quick 12+3=15, twin-1 15, twin-2 15; then a roll-off among the three
        # at (15, +0), in order: slow 9, twin-1 9, twin-2 4; the nines again: slow 2, twin-1 11.
        dice.rolls = [15, 12, 15, 15, 9, 9, 4, 2, 11]
        rolled = roller.roll_initiative(fight_id)
        assert order(rolled) == [
            ("quick", 15, None),
            ("twin-1", 15, 11),
            ("twin-2", 15, 4),
            ("slow", 15, 2),
        ]
        [logged] = events_of(store, fight_id, "INITIATIVE_ROLLED")
        assert logged.event_data["tiebreakers"] == {"twin-1": 11, "twin-2": 4, "slow": 2}

    def test_more_than_twenty_tied_roll_a_d100(
        self, store: LiveStore, roller: LiveStore, dice: Dice
    ) -> None:
        fight_id = fight(store, unrolled(*(f"g{n}" for n in range(21))))
        dice.rolls = [10] * 21 + list(range(1, 22))
        rolled = roller.roll_initiative(fight_id)
        assert dice.dice == [20] * 21 + [100] * 21
        assert [e.tiebreaker for e in rolled.initiative_order] == list(range(21, 0, -1))

    def test_a_tiebreaker_that_sets_one_apart_is_kept(
        self, store: LiveStore, roller: LiveStore, dice: Dice
    ) -> None:
        fight_id = fight(
            store,
            [
                entry("kept", initiative_roll=14, tiebreaker=7),
                entry("new", initiative_roll=None, dexterity_modifier=0),
            ],
        )
        dice.rolls = [14, 7, 3]  # the roll-off's 7 is taken: rolled again
        rolled = roller.roll_initiative(fight_id)
        assert order(rolled) == [("kept", 14, 7), ("new", 14, 3)]

    def test_only_the_given_combatants(
        self, store: LiveStore, roller: LiveStore, dice: Dice, idle: int
    ) -> None:
        dice.rolls = [1]
        rolled = roller.roll_initiative(idle, ["pc-bree", "pc-bree"])
        assert order(rolled)[-1] == ("pc-bree", 4, None)
        assert [e.entity_id for e in rolled.initiative_order] == ["npc-tom", "gob-1", "pc-bree"]

    def test_the_same_seed_rolls_the_same_fight(
        self, store: LiveStore, store_target: str | Path, clock: FakeClock
    ) -> None:
        results = []
        for _ in range(2):
            fight_id = fight(store, unrolled(*"abcdefgh"))
            with open_store(store_target, clock=clock, rng=random.Random(20)) as seeded:
                results.append(order(seeded.roll_initiative(fight_id)))
        assert results[0] == results[1]
        assert len({(roll, tie) for _, roll, tie in results[0]}) == 8  # every one its place

    def test_paused_the_current_combatant_keeps_its_turn(
        self, store: LiveStore, roller: LiveStore, dice: Dice, paused: int
    ) -> None:
        dice.rolls = [20]
        rolled = roller.roll_initiative(paused, ["gob-1"])
        assert rolled.current_entry is not None
        assert rolled.current_entry.entity_id == "pc-bree"
        assert rolled.current_initiative_index == 1

    def test_not_while_live(self, store: LiveStore, live: int) -> None:
        with writes_nothing(store), pytest.raises(Conflict, match="live"):
            store.roll_initiative(live)

    def test_unknown_combatant_is_not_found(self, store: LiveStore, idle: int) -> None:
        with writes_nothing(store), pytest.raises(NotFound, match="'orc' is not in"):
            store.roll_initiative(idle, ["orc"])

    @pytest.mark.parametrize("entity_ids", ["gob-1", [1], [""], 5])
    def test_bad_entity_ids(self, store: LiveStore, idle: int, entity_ids: Any) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match="entity_ids"):
            store.roll_initiative(idle, entity_ids)

    def test_final_is_read_only(self, store: LiveStore, completed: int) -> None:
        with writes_nothing(store), pytest.raises(Conflict, match="completed"):
            store.roll_initiative(completed)


class TestGoingLive:
    def test_unrolled_combatants_are_rolled_first(
        self, store: LiveStore, roller: LiveStore, dice: Dice
    ) -> None:
        fight_id = fight(store, [entry("set", initiative_roll=10), *unrolled("a", "b")])
        dice.rolls = [3, 19]
        live = roller.initialize_for_live_play(fight_id, ROOM, {})
        assert order(live) == [("b", 19, None), ("set", 10, None), ("a", 3, None)]
        assert live.current_entry is not None and live.current_entry.entity_id == "b"
        assert event_types(store, fight_id) == [
            "INITIATIVE_ROLLED",
            "INTERACTION_INITIALIZED",
            "TURN_STARTED",
        ]
        [started] = events_of(store, fight_id, "TURN_STARTED")
        assert started.entity_id == "b"

    def test_a_rolled_order_is_kept_as_the_game_master_set_it(
        self, store: LiveStore, roller: LiveStore, dice: Dice
    ) -> None:
        fight_id = fight(
            store, [entry("low", initiative_roll=1), entry("high", initiative_roll=20)]
        )
        live = roller.initialize_for_live_play(fight_id, ROOM, {})
        assert [e.entity_id for e in live.initiative_order] == ["low", "high"]
        assert dice.dice == []

    def test_the_low_level_setter_rolls_too(
        self, store: LiveStore, roller: LiveStore, dice: Dice
    ) -> None:
        fight_id = fight(store, unrolled("a", "b"))
        dice.rolls = [4, 8]
        roller.update_live_room_status(fight_id, "live", ROOM)
        assert store.get_interaction(fight_id).initiative_order[0] == InitiativeEntry(
            **entry("b", initiative_roll=8)
        )
