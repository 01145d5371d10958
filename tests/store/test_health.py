"""Hit points and conditions through the public API: adjust_hp, set_temp_hp, add_condition,
remove_condition, and the combatant fields they change, on both engines."""

from __future__ import annotations

from typing import Any

import pytest

from store import Condition, Conflict, InitiativeEntry, InvalidInput, LiveStore, NotFound
from tests.conftest import FakeClock
from tests.store.helpers import ROOM, entry, event_types, events_of, writes_nothing


def orc(**overrides: Any) -> dict[str, Any]:
    return entry("orc", max_hp=15, current_hp=15, armor_class=13, **overrides)


@pytest.fixture
def fight(store: LiveStore) -> int:
    """A live fight: Bree (a player at 20 hit points) then an orc at 15."""
    order = [
        entry("bree", entity_type="playerCharacter", initiative_roll=18, max_hp=20, user_id="u"),
        orc(),
        entry("ghost", initiative_roll=3),  # hit points not tracked
    ]
    created = store.create_interaction(name="Orcs", dm_user_id="dm", initiative_order=order)
    store.initialize_for_live_play(created.id, ROOM, {})
    return created.id


def combatant(store: LiveStore, interaction_id: int, entity_id: str) -> InitiativeEntry:
    order = store.get_interaction(interaction_id).initiative_order
    return next(e for e in order if e.entity_id == entity_id)


class TestFields:
    def test_hit_points_conditions_and_hidden_round_trip(self, store: LiveStore) -> None:
        given = orc(temp_hp=4, conditions=[{"name": "prone", "rounds_left": 2}], hidden=True)
        created = store.create_interaction(name="R", dm_user_id="dm", initiative_order=[given])
        [stored] = created.initiative_order
        assert stored == InitiativeEntry.model_validate(given)
        assert stored.conditions == [Condition("prone", 2)]
        assert stored.hidden is True
        assert store.get_interaction(created.id).initiative_order == [stored]

    def test_every_write_of_an_order_takes_them(self, store: LiveStore) -> None:
        created = store.create_interaction(name="R", dm_user_id="dm")
        store.set_initiative_order(created.id, [orc(conditions=[Condition("blessed")])])
        added = store.add_combatant(created.id, entry("imp", max_hp=4, hidden=True))
        assert [e.hidden for e in added.initiative_order] == [False, True]
        assert added.initiative_order[0].conditions == [Condition(name="blessed")]

    def test_max_hp_alone_sets_current_hp(self, store: LiveStore) -> None:
        created = store.create_interaction(
            name="R", dm_user_id="dm", initiative_order=[entry("imp", max_hp=4)]
        )
        assert created.initiative_order[0].current_hp == 4
        assert created.initiative_order[0].temp_hp is None

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"max_hp": 5, "current_hp": 6}, r"entry\.current_hp: must not be above max_hp"),
            ({"current_hp": 3}, r"entry\.current_hp: needs max_hp"),
            ({"temp_hp": 3}, r"entry\.temp_hp: needs max_hp"),
            ({"max_hp": -1}, r"entry\.max_hp"),
            ({"max_hp": 5, "temp_hp": -2}, r"entry\.temp_hp"),
            ({"max_hp": "5"}, r"entry\.max_hp"),
            ({"armor_class": 2**40}, r"entry\.armor_class"),
            ({"hidden": 1}, r"entry\.hidden"),
            ({"conditions": [{"name": " "}]}, r"entry\.conditions\[0\]\.name"),
            ({"conditions": [{"name": "x" * 41}]}, r"entry\.conditions\.0\.name"),
            ({"conditions": [{"name": "p", "rounds_left": 0}]}, r"conditions\.0\.rounds_left"),
            (
                {"conditions": [{"name": "Prone"}, {"name": "prone"}]},
                r"entry\.conditions\[1\]\.name: 'prone' is listed twice",
            ),
            ({"conditions": [{"name": "p", "extra": 1}] * 51}, r"entry\.conditions: at most 50"),
        ],
    )
    def test_bad_fields_name_the_field(
        self, store: LiveStore, fight: int, fields: dict[str, Any], message: str
    ) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match=message):
            store.add_combatant(fight, entry("imp", **fields))


class TestUpdateCombatant:
    def test_max_hp_on_an_untracked_combatant_sets_both(self, store: LiveStore, fight: int) -> None:
        store.update_combatant(fight, "ghost", max_hp=9)
        ghost = combatant(store, fight, "ghost")
        assert (ghost.max_hp, ghost.current_hp) == (9, 9)
        [logged] = events_of(store, fight, "COMBATANT_UPDATED")
        assert logged.event_data["changes"] == {"max_hp": 9, "current_hp": 9}

    def test_lowering_max_hp_lowers_current_hp(self, store: LiveStore, fight: int) -> None:
        store.update_combatant(fight, "orc", max_hp=10)
        assert combatant(store, fight, "orc").current_hp == 10
        store.update_combatant(fight, "orc", max_hp=30)
        assert combatant(store, fight, "orc").current_hp == 10  # raising does not heal

    def test_max_hp_none_stops_tracking(self, store: LiveStore, fight: int) -> None:
        store.set_temp_hp(fight, "orc", 3)
        store.update_combatant(fight, "orc", max_hp=None)
        orc_ = combatant(store, fight, "orc")
        assert (orc_.max_hp, orc_.current_hp, orc_.temp_hp) == (None, None, None)

    def test_conditions_hidden_and_armor_class(self, store: LiveStore, fight: int) -> None:
        store.update_combatant(
            fight, "orc", conditions=[{"name": "grappled"}], hidden=True, armor_class=16
        )
        orc_ = combatant(store, fight, "orc")
        assert (orc_.conditions, orc_.hidden, orc_.armor_class) == (
            [Condition("grappled")],
            True,
            16,
        )

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"current_hp": 16}, "current_hp: must not be above max_hp"),
            ({"current_hp": 2**40}, "current_hp"),
            ({"hidden": "yes"}, "hidden"),
            ({"conditions": "prone"}, "conditions"),
        ],
    )
    def test_bad_values(
        self, store: LiveStore, fight: int, fields: dict[str, Any], message: str
    ) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match=message):
            store.update_combatant(fight, "orc", **fields)

    def test_current_hp_on_an_untracked_combatant(self, store: LiveStore, fight: int) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match="current_hp: needs max_hp"):
            store.update_combatant(fight, "ghost", current_hp=3)


class TestAdjustHp:
    def test_damage_logs_hp_changed(self, store: LiveStore, fight: int, clock: FakeClock) -> None:
        clock.advance(1000)
        before = store.get_interaction(fight).revision
        hurt = store.adjust_hp(fight, "orc", -6, source_entity_id="bree")
        assert isinstance(hurt, InitiativeEntry)
        assert (hurt.current_hp, hurt.max_hp, hurt.temp_hp) == (9, 15, None)
        assert combatant(store, fight, "orc") == hurt
        [logged] = events_of(store, fight, "HP_CHANGED")
        assert logged.event_data == {
            "entity_id": "orc",
            "delta": -6,
            "current_hp": 9,
            "temp_hp": None,
            "max_hp": 15,
            "source_entity_id": "bree",
        }
        assert (logged.entity_id, logged.session_id, logged.timestamp) == ("orc", ROOM, clock.now)
        interaction = store.get_interaction(fight)
        assert interaction.revision == before + 1
        assert interaction.last_activity == clock.now

    def test_temp_hp_absorbs_damage_first(self, store: LiveStore, fight: int) -> None:
        store.set_temp_hp(fight, "orc", 5)
        assert (
            store.adjust_hp(fight, "orc", -3).current_hp,
            combatant(store, fight, "orc").temp_hp,
        ) == (15, 2)
        hurt = store.adjust_hp(fight, "orc", -6)
        assert (hurt.temp_hp, hurt.current_hp) == (0, 11)

    def test_hit_points_stop_at_zero(self, store: LiveStore, fight: int) -> None:
        assert store.adjust_hp(fight, "orc", -100).current_hp == 0
        assert store.adjust_hp(fight, "orc", -1).current_hp == 0

    def test_healing_is_capped_and_adds_no_temp_hp(self, store: LiveStore, fight: int) -> None:
        store.adjust_hp(fight, "orc", -4)
        healed = store.adjust_hp(fight, "orc", 10, source_entity_id="orc")
        assert (healed.current_hp, healed.temp_hp) == (15, None)
        assert events_of(store, fight, "HP_CHANGED")[-1].event_data["delta"] == 10

    def test_one_event_per_call(self, store: LiveStore, fight: int) -> None:
        before = len(event_types(store, fight))
        store.adjust_hp(fight, "bree", -1)
        assert event_types(store, fight)[before:] == ["HP_CHANGED"]

    @pytest.mark.parametrize("fixture", ["idle_fight", "paused_fight"])
    def test_idle_and_paused(
        self, store: LiveStore, request: pytest.FixtureRequest, fixture: str
    ) -> None:
        room = request.getfixturevalue(fixture)
        assert store.adjust_hp(room, "orc", -1).current_hp == 14

    def test_untracked_is_a_conflict(self, store: LiveStore, fight: int) -> None:
        with writes_nothing(store), pytest.raises(Conflict, match="not tracked"):
            store.adjust_hp(fight, "ghost", -1)

    def test_unknown_entity_is_not_found(self, store: LiveStore, fight: int) -> None:
        with writes_nothing(store), pytest.raises(NotFound, match="nobody"):
            store.adjust_hp(fight, "nobody", -1)

    def test_unknown_interaction(self, store: LiveStore) -> None:
        with pytest.raises(NotFound):
            store.adjust_hp(999, "orc", -1)

    def test_source_must_be_in_the_fight(self, store: LiveStore, fight: int) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match="source_entity_id"):
            store.adjust_hp(fight, "orc", -1, source_entity_id="nobody")

    @pytest.mark.parametrize(
        ("delta", "field"), [(0, "delta"), ("3", "delta"), (True, "delta"), (2**31, "delta")]
    )
    def test_bad_delta(self, store: LiveStore, fight: int, delta: object, field: str) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match=field):
            store.adjust_hp(fight, "orc", delta)  # type: ignore[arg-type]

    def test_finished_fights_are_read_only(self, store: LiveStore, fight: int) -> None:
        store.finalize_live_interaction(fight, {}, "done")
        with writes_nothing(store), pytest.raises(Conflict, match="completed"):
            store.adjust_hp(fight, "orc", -1)


class TestSetTempHp:
    def test_replaces_never_stacks(self, store: LiveStore, fight: int) -> None:
        store.set_temp_hp(fight, "orc", 5)
        assert store.set_temp_hp(fight, "orc", 3).temp_hp == 3
        assert store.set_temp_hp(fight, "orc", 0).temp_hp == 0
        logged = events_of(store, fight, "HP_CHANGED")
        assert [log.event_data["temp_hp"] for log in logged] == [5, 3, 0]
        assert logged[0].event_data == {
            "entity_id": "orc",
            "delta": 0,
            "current_hp": 15,
            "temp_hp": 5,
            "max_hp": 15,
            "source_entity_id": None,
        }

    def test_errors(self, store: LiveStore, fight: int) -> None:
        with writes_nothing(store):
            with pytest.raises(Conflict, match="not tracked"):
                store.set_temp_hp(fight, "ghost", 2)
            with pytest.raises(NotFound):
                store.set_temp_hp(fight, "nobody", 2)
            with pytest.raises(InvalidInput, match="temp_hp"):
                store.set_temp_hp(fight, "orc", -1)


class TestConditions:
    def test_add_and_remove(self, store: LiveStore, fight: int) -> None:
        added = store.add_condition(fight, "bree", "prone", rounds=1)
        assert added.conditions == [Condition("prone", 1)]
        assert combatant(store, fight, "bree") == added
        store.add_condition(fight, "bree", "blessed")
        removed = store.remove_condition(fight, "bree", "prone")
        assert removed.conditions == [Condition("blessed", None)]
        assert [log.event_data for log in events_of(store, fight, "CONDITION_ADDED")] == [
            {
                "entity_id": "bree",
                "name": "prone",
                "rounds": 1,
                "rounds_left": 1,
                "replaced": False,
                "previous_rounds_left": None,
            },
            {
                "entity_id": "bree",
                "name": "blessed",
                "rounds": None,
                "rounds_left": None,
                "replaced": False,
                "previous_rounds_left": None,
            },
        ]
        [logged] = events_of(store, fight, "CONDITION_REMOVED")
        assert logged.event_data == {"entity_id": "bree", "name": "prone", "rounds_left": 1}
        assert logged.entity_id == "bree"

    def test_adding_again_replaces_the_duration(self, store: LiveStore, fight: int) -> None:
        store.add_condition(fight, "orc", "poisoned", rounds=3)
        store.add_condition(fight, "orc", "blinded")
        again = store.add_condition(fight, "orc", "Poisoned", rounds=1)
        assert again.conditions == [Condition("Poisoned", 1), Condition("blinded")]
        replaced = events_of(store, fight, "CONDITION_ADDED")[-1].event_data
        assert replaced == {
            "entity_id": "orc",
            "name": "Poisoned",
            "rounds": 1,
            "rounds_left": 1,
            "replaced": True,
            "previous_rounds_left": 3,
        }

    def test_remove_ignores_case(self, store: LiveStore, fight: int) -> None:
        store.add_condition(fight, "orc", "Prone")
        assert store.remove_condition(fight, "orc", "prone").conditions == []

    def test_removing_one_it_does_not_have_is_not_found(self, store: LiveStore, fight: int) -> None:
        with writes_nothing(store), pytest.raises(NotFound, match="no condition 'prone'"):
            store.remove_condition(fight, "orc", "prone")

    @pytest.mark.parametrize(
        ("name", "rounds", "field"),
        [
            ("", None, "name"),
            (" ", None, "name"),
            ("x" * 41, None, "name"),
            (7, None, "name"),
            ("a\x00b", None, "name"),
            ("prone", 0, "rounds"),
            ("prone", "2", "rounds"),
            ("prone", 2**31, "rounds"),
        ],
    )
    def test_bad_input(
        self, store: LiveStore, fight: int, name: object, rounds: object, field: str
    ) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match=field):
            store.add_condition(fight, "orc", name, rounds=rounds)  # type: ignore[arg-type]

    def test_a_name_of_forty_characters(self, store: LiveStore, fight: int) -> None:
        assert store.add_condition(fight, "orc", "x" * 40).conditions[0].name == "x" * 40

    def test_unknown_entity_and_finished_fight(self, store: LiveStore, fight: int) -> None:
        with writes_nothing(store), pytest.raises(NotFound):
            store.add_condition(fight, "nobody", "prone")
        store.update_live_room_status(fight, "cancelled")
        with writes_nothing(store), pytest.raises(Conflict, match="cancelled"):
            store.add_condition(fight, "orc", "prone")

    def test_at_most_fifty(self, store: LiveStore, fight: int) -> None:
        store.update_combatant(fight, "orc", conditions=[{"name": f"c{n}"} for n in range(50)])
        with writes_nothing(store), pytest.raises(Conflict, match="50 conditions"):
            store.add_condition(fight, "orc", "one more")
        assert len(store.add_condition(fight, "orc", "c7", rounds=2).conditions) == 50


@pytest.fixture
def idle_fight(store: LiveStore) -> int:
    return store.create_interaction(name="I", dm_user_id="dm", initiative_order=[orc()]).id


@pytest.fixture
def paused_fight(store: LiveStore, idle_fight: int) -> int:
    store.initialize_for_live_play(idle_fight, "room-p", {})
    store.pause_interaction(idle_fight)
    return idle_fight
