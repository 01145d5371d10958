"""Management: creating, reading and listing interactions, the initiative order, users."""

from __future__ import annotations

import pytest

from store import Conflict, InitiativeEntry, Interaction, InvalidInput, LiveStore, NotFound
from tests.conftest import START_MS, FakeClock
from tests.store.helpers import LIMIT_MS, ORDER, ROOM, entry, event_types, writes_nothing


class TestCreate:
    def test_defaults(self, store: LiveStore) -> None:
        created = store.create_interaction(name="Goblin ambush", dm_user_id="dm-ana")
        assert isinstance(created, Interaction)
        assert created.status == "idle"
        assert created.description is None
        assert created.campaign_id is None
        assert created.initiative_order == []
        assert (created.round_number, created.turn_number) == (0, 0)
        assert created.current_initiative_index is None
        assert created.turn_time_limit == 90
        assert created.chat_enabled is True
        assert created.allow_private_chat is True
        assert created.live_room_id is None
        assert created.connected_participants == []
        assert created.last_state_snapshot is None
        assert created.snapshot_timestamp is None
        assert created.current_turn_timeout is None
        assert created.created_at == created.updated_at == created.last_activity == START_MS

    def test_every_field_given(self, store: LiveStore) -> None:
        created = store.create_interaction(
            name="Dragon's lair",
            dm_user_id="dm-ana",
            description="Final boss",
            campaign_id="camp-7",
            initiative_order=ORDER,
            turn_time_limit=0,
            chat_enabled=False,
            allow_private_chat=False,
        )
        assert created.description == "Final boss"
        assert created.campaign_id == "camp-7"
        assert created.turn_time_limit == 0
        assert (created.chat_enabled, created.allow_private_chat) == (False, False)
        assert [e.entity_id for e in created.initiative_order] == ["pc-bree", "npc-tom", "gob-1"]

    def test_initiative_entries_are_models_in_the_given_order(self, store: LiveStore) -> None:
        order = [entry("low", initiative_roll=1), entry("high", initiative_roll=20)]
        created = store.create_interaction(name="n", dm_user_id="d", initiative_order=order)
        assert all(isinstance(e, InitiativeEntry) for e in created.initiative_order)
        assert [e.entity_id for e in created.initiative_order] == ["low", "high"]
        assert created.initiative_order[0].user_id is None

    def test_accepts_entry_models(self, store: LiveStore) -> None:
        model = InitiativeEntry.model_validate(entry("gob"))
        created = store.create_interaction(name="n", dm_user_id="d", initiative_order=[model])
        assert created.initiative_order == [model]

    def test_ids_are_increasing_integers(self, store: LiveStore) -> None:
        first = store.create_interaction(name="a", dm_user_id="d")
        second = store.create_interaction(name="b", dm_user_id="d")
        assert type(first.id) is int
        assert second.id > first.id

    def test_logs_nothing(self, store: LiveStore) -> None:
        created = store.create_interaction(name="a", dm_user_id="d")
        assert event_types(store, created.id) == []

    @pytest.mark.parametrize("limit", [0, 10, 90, 3600])
    def test_turn_time_limit_bounds_accepted(self, store: LiveStore, limit: int) -> None:
        assert store.create_interaction(name="a", dm_user_id="d", turn_time_limit=limit)

    def test_names_at_the_limit_are_accepted(self, store: LiveStore) -> None:
        created = store.create_interaction(name="n" * 200, dm_user_id="d" * 128)
        assert len(created.name) == 200

    def test_duplicate_entity_in_order_is_invalid(self, store: LiveStore) -> None:
        with pytest.raises(InvalidInput, match=r"initiative_order\[1\]\.entity_id"):
            store.create_interaction(
                name="a", dm_user_id="d", initiative_order=[entry("x"), entry("x")]
            )
        assert store.list_interactions() == []


SPEC_FIELDS = {
    "id",
    "name",
    "description",
    "dm_user_id",
    "campaign_id",
    "status",
    "initiative_order",
    "current_initiative_index",
    "round_number",
    "turn_number",
    "created_at",
    "updated_at",
    "live_room_id",
    "last_state_snapshot",
    "snapshot_timestamp",
    "connected_participants",
    "last_activity",
    "current_turn_timeout",
    "turn_time_limit",
    "chat_enabled",
    "allow_private_chat",
}


def test_interaction_has_every_field_of_the_contract() -> None:
    assert SPEC_FIELDS.issubset(Interaction.model_fields)
    assert set(InitiativeEntry.model_fields) == {
        "entity_id",
        "entity_type",
        "name",
        "initiative_roll",
        "dexterity_modifier",
        "user_id",
        "tiebreaker",
        "max_hp",
        "current_hp",
        "temp_hp",
        "armor_class",
        "conditions",
        "hidden",
    }


class TestGetAndList:
    def test_get_unknown_is_not_found(self, store: LiveStore) -> None:
        with pytest.raises(NotFound, match="999"):
            store.get_interaction(999)

    @pytest.mark.parametrize("bad_id", [-1, 0, 2**63, -(2**70)])
    def test_out_of_range_ids_are_not_found(self, store: LiveStore, bad_id: int) -> None:
        with pytest.raises(NotFound):
            store.get_interaction(bad_id)

    def test_list_by_id_and_by_status(self, store: LiveStore, idle: int, bare_live: int) -> None:
        other = store.create_interaction(name="later", dm_user_id="d").id
        assert [i.id for i in store.list_interactions()] == [idle, bare_live, other]
        assert [i.id for i in store.list_interactions("idle")] == [idle, other]
        assert [i.id for i in store.list_interactions(status="live")] == [bare_live]
        assert store.list_interactions("completed") == []

    def test_list_unknown_status_is_invalid(self, store: LiveStore) -> None:
        with pytest.raises(InvalidInput, match="status"):
            store.list_interactions("finished")

    def test_list_items_are_interactions(self, store: LiveStore, live: int) -> None:
        [listed] = store.list_interactions()
        full = store.get_interaction(live)
        assert isinstance(listed, Interaction)
        # The list leaves out the (possibly 8 MiB) snapshot; everything else matches.
        assert listed.model_copy(update={"last_state_snapshot": None}) == full.model_copy(
            update={"last_state_snapshot": None}
        )

    def test_results_are_frozen(self, store: LiveStore, idle: int) -> None:
        interaction = store.get_interaction(idle)
        with pytest.raises(ValueError):
            interaction.name = "changed"  # type: ignore[misc]


class TestSetInitiativeOrder:
    def test_idle_replaces_the_order_as_given(
        self, store: LiveStore, idle: int, clock: FakeClock
    ) -> None:
        clock.advance(500)
        order = [entry("z", initiative_roll=1), entry("a", initiative_roll=25)]
        updated = store.set_initiative_order(idle, order)
        assert [e.entity_id for e in updated.initiative_order] == ["z", "a"]
        assert updated.current_initiative_index is None
        assert (updated.round_number, updated.turn_number) == (0, 0)
        assert updated.last_activity == clock.now
        assert store.get_interaction(idle) == updated

    def test_empty_order(self, store: LiveStore, idle: int) -> None:
        assert store.set_initiative_order(idle, []).initiative_order == []

    def test_live_is_a_conflict(self, store: LiveStore, live: int) -> None:
        with writes_nothing(store), pytest.raises(Conflict, match="live"):
            store.set_initiative_order(live, [entry("x")])

    @pytest.mark.parametrize("fixture", ["completed", "cancelled"])
    def test_final_is_a_conflict(
        self, store: LiveStore, request: pytest.FixtureRequest, fixture: str
    ) -> None:
        interaction_id = request.getfixturevalue(fixture)
        with writes_nothing(store), pytest.raises(Conflict, match=fixture):
            store.set_initiative_order(interaction_id, [entry("x")])

    def test_paused_keeps_the_current_entity(
        self, store: LiveStore, live: int, clock: FakeClock
    ) -> None:
        store.advance_turn(live)  # Tom's turn (index 1)
        clock.advance(20_000)
        store.pause_interaction(live)
        reordered = [ORDER[1], entry("new"), ORDER[0], ORDER[2]]
        updated = store.set_initiative_order(live, reordered)
        assert updated.current_initiative_index == 0
        assert updated.current_entry is not None
        assert updated.current_entry.entity_id == "npc-tom"
        assert updated.paused_turn_remaining_ms == LIMIT_MS - 20_000
        resumed = store.resume_interaction(live)
        assert resumed.current_turn_timeout == clock.now + LIMIT_MS - 20_000
        record = store.advance_turn(live)
        assert record.entity_id == "npc-tom"
        assert store.get_interaction(live).current_entry.entity_id == "new"  # type: ignore[union-attr]

    def test_paused_emptied_order_stops_the_turn(self, store: LiveStore, paused: int) -> None:
        updated = store.set_initiative_order(paused, [])
        assert updated.current_initiative_index is None
        assert updated.paused_turn_remaining_ms is None
        resumed = store.resume_interaction(paused)
        assert resumed.current_turn_timeout is None
        with pytest.raises(Conflict, match="no turn running"):
            store.advance_turn(paused)

    def test_unknown_interaction(self, store: LiveStore) -> None:
        with pytest.raises(NotFound):
            store.set_initiative_order(42, [])

    @pytest.mark.parametrize(
        ("entries", "field"),
        [
            ("not a list", "initiative_order"),
            ([{"entity_id": "x"}], r"initiative_order\[0\]"),
            ([entry("x", entity_type="dragon")], r"initiative_order\[0\]\.entity_type"),
            ([entry("")], r"initiative_order\[0\]\.entity_id"),
            ([entry("x", name="")], r"initiative_order\[0\]\.name"),
            ([entry("x", name="n" * 201)], r"initiative_order\[0\]\.name"),
            ([entry("x" * 129)], r"initiative_order\[0\]\.entity_id"),
            ([entry("x", initiative_roll="12")], r"initiative_order\[0\]\.initiative_roll"),
            ([entry("x", initiative_roll=True)], r"initiative_order\[0\]\.initiative_roll"),
            ([entry("x", dexterity_modifier=1.5)], r"initiative_order\[0\]\.dexterity_modifier"),
            ([entry("x", user_id="")], r"initiative_order\[0\]\.user_id"),
            ([entry("   ")], r"initiative_order\[0\]\.entity_id"),
            ([entry("x", name="  ")], r"initiative_order\[0\]\.name"),
            ([entry("x", user_id=" ")], r"initiative_order\[0\]\.user_id"),
            ([entry("x"), "gob"], r"initiative_order\[1\]"),
        ],
    )
    def test_invalid_entries(
        self, store: LiveStore, idle: int, entries: object, field: str
    ) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match=field):
            store.set_initiative_order(idle, entries)  # type: ignore[arg-type]


class TestUsers:
    def test_display_names(self, store: LiveStore) -> None:
        store.upsert_user("u-bree", "Bree")
        store.upsert_user("u-ana", "Ana")
        assert store.display_names(["u-bree", "u-ana", "u-ghost"]) == {
            "u-bree": "Bree",
            "u-ana": "Ana",
            "u-ghost": "u-ghost",
        }

    def test_upsert_renames(self, store: LiveStore) -> None:
        first = store.upsert_user("u-bree", "Bree")
        assert (first.id, first.display_name) == ("u-bree", "Bree")
        store.upsert_user("u-bree", "Bree the Bold")
        assert store.display_names(["u-bree"]) == {"u-bree": "Bree the Bold"}

    def test_empty_and_duplicate_ids(self, store: LiveStore) -> None:
        store.upsert_user("u", "You")
        assert store.display_names([]) == {}
        assert store.display_names(["u", "u"]) == {"u": "You"}

    def test_many_ids(self, store: LiveStore) -> None:
        for number in range(0, 1200, 100):
            store.upsert_user(f"u{number}", f"User {number}")
        names = store.display_names(f"u{number}" for number in range(1200))
        assert len(names) == 1200
        assert names["u1100"] == "User 1100"
        assert names["u1101"] == "u1101"

    @pytest.mark.parametrize(
        ("user_id", "name", "field"),
        [
            ("", "Bree", "user_id"),
            ("   ", "Bree", "user_id"),
            ("u" * 129, "Bree", "user_id"),
            (7, "Bree", "user_id"),
            ("u", "", "display_name"),
            ("u", "n" * 201, "display_name"),
            ("u", None, "display_name"),
        ],
    )
    def test_upsert_invalid(
        self, store: LiveStore, user_id: object, name: object, field: str
    ) -> None:
        with pytest.raises(InvalidInput, match=field):
            store.upsert_user(user_id, name)  # type: ignore[arg-type]
        assert store.display_names(["u"]) == {"u": "u"}

    def test_display_names_takes_a_list_not_a_string(self, store: LiveStore) -> None:
        with pytest.raises(InvalidInput, match="user_ids"):
            store.display_names("u-bree")
        with pytest.raises(InvalidInput, match="user_ids"):
            store.display_names([3])  # type: ignore[list-item]


class TestLiveState:
    def test_everything_a_room_view_needs(
        self, store: LiveStore, live: int, clock: FakeClock
    ) -> None:
        clock.advance(1000)
        store.advance_turn(live)
        clock.advance(1000)
        store.advance_turn(live)
        state = store.get_interaction_live_state(live)
        assert state.interaction == store.get_interaction(live)
        assert state.recent_logs == store.get_interaction_logs(live, limit=50)
        assert [(t.round_number, t.turn_number) for t in state.current_round_turns] == [
            (1, 1),
            (1, 2),
        ]

    def test_recent_logs_are_the_50_newest(self, store: LiveStore, live: int) -> None:
        for number in range(60):
            store.log_interaction_event(live, "NOTE", {"n": number}, ROOM)
        state = store.get_interaction_live_state(live)
        assert len(state.recent_logs) == 50
        assert state.recent_logs[0].event_data == {"n": 59}
        assert state.recent_logs[-1].event_data == {"n": 10}

    def test_current_round_only(self, store: LiveStore, live: int) -> None:
        for _ in range(4):  # round 1 (three turns) and round 2 turn 1
            store.advance_turn(live)
        state = store.get_interaction_live_state(live)
        assert state.interaction.round_number == 2
        assert [(t.round_number, t.turn_number) for t in state.current_round_turns] == [(2, 1)]

    def test_unknown(self, store: LiveStore) -> None:
        with pytest.raises(NotFound):
            store.get_interaction_live_state(5)
