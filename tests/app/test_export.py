"""Exports: JSON lines that parse back in order, a CSV table of turns, and a Markdown recap a
DM can read."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from app.export import CSV_COLUMNS, duration, export_session, summarize_action
from store import InvalidInput, LiveStore, NotFound
from tests.conftest import FakeClock

ORDER = [
    {"entity_id": "pc-bree", "entity_type": "playerCharacter", "name": "Bree the Bold",
     "initiative_roll": 18, "dexterity_modifier": 3, "user_id": "u-bree"},
    {"entity_id": "gob-1", "entity_type": "monster", "name": "Goblin", "initiative_roll": 12,
     "dexterity_modifier": 2},
    {"entity_id": "pc-cass", "entity_type": "playerCharacter", "name": "Cass Underhill",
     "initiative_roll": 9, "dexterity_modifier": 1, "user_id": "u-cass"},
]  # fmt: skip


@pytest.fixture
def session(store: LiveStore, clock: FakeClock) -> int:
    """A finished fight: two rounds, one skipped and one timed-out turn, chat with markup."""
    store.upsert_user("u-bree", "Bree")
    store.upsert_user("u-cass", "Cass")
    store.upsert_user("dm-ana", "Ana the DM")
    fight = store.create_interaction(
        name="Goblin Ambush", dm_user_id="dm-ana", initiative_order=ORDER, turn_time_limit=60
    ).id
    store.initialize_for_live_play(fight, "room-1", {"map": "ford"})
    for user in ("dm-ana", "u-bree", "u-cass"):
        store.update_connected_participants(fight, user, "join")
    chat: list[tuple[str | None, dict[str, Any]]] = [
        ("u-bree", {"channel": "party", "content": "[bold]not bold[/bold] *nor* this"}),
        ("u-cass", {"channel": "private", "content": "secret plan", "recipients": ["u-bree"]}),
        ("dm-ana", {"channel": "dm", "content": "Roll initiative!"}),
        (None, {"channel": "system", "content": "Goblin is bloodied."}),
    ]
    for sender, data in chat:
        clock.advance(3_000)
        store.log_interaction_event(fight, "CHAT_MESSAGE", data, "room-1", user_id=sender)
    clock.advance(60_000)  # Bree's first turn lasts 72 s in all
    store.log_interaction_event(fight, "DICE_ROLL", {"notation": "1d20+5", "result": 17},
                                "room-1", user_id="u-bree", entity_id="pc-bree")  # fmt: skip
    attack = {
        "type": "attack",
        "target": "gob-1",
        "parameters": {"roll": 17, "hit": True, "damage": 6},
    }
    move = {"type": "move", "parameters": {"feet": 30}}
    store.advance_turn(fight, actions=[move, attack])
    clock.advance(12_000)
    store.advance_turn(fight, "skipped")
    clock.advance(60_000)
    store.expire_turn_timeouts()  # Cass times out
    clock.advance(30_000)
    store.advance_turn(
        fight,
        actions=[
            {"type": "cast", "spell_id": "shield", "description": "Shield"},
            {"type": "note", "description": "free text"},
        ],
    )
    clock.advance(5_000)
    store.finalize_live_interaction(fight, {"map": "ford"}, "Goblins fled into the reeds")
    return fight


def test_unknown_format_is_invalid_input(store: LiveStore, session: int) -> None:
    with pytest.raises(InvalidInput, match="format: must be one of jsonl, csv, md"):
        export_session(store, session, "pdf")


def test_unknown_interaction_is_not_found(store: LiveStore) -> None:
    with pytest.raises(NotFound):
        export_session(store, 404, "jsonl")


def test_jsonl_is_events_oldest_first_then_turns(store: LiveStore, session: int) -> None:
    text = export_session(store, session, "jsonl")
    assert text.endswith("\n")
    lines = [json.loads(line) for line in text.splitlines()]
    events = [line for line in lines if line["kind"] == "event"]
    turns = [line for line in lines if line["kind"] == "turn"]
    assert lines == events + turns
    newest_first = store.get_interaction_logs(session, limit=1000)
    assert [e["id"] for e in events] == [e.id for e in reversed(newest_first)]
    assert events[0]["event_type"] == "INTERACTION_INITIALIZED"
    assert events[-1]["event_type"] == "INTERACTION_COMPLETED"
    assert [(t["round_number"], t["turn_number"], t["status"]) for t in turns] == [
        (1, 1, "completed"), (1, 2, "skipped"), (1, 3, "timeout"), (2, 1, "completed"),
    ]  # fmt: skip
    assert turns[0]["actions"][1]["target"] == "gob-1"


def test_jsonl_pages_through_long_logs(store: LiveStore, session: int) -> None:
    fight = store.create_interaction(name="Long night", dm_user_id="dm-ana").id
    operations = [
        {"type": "log_event", "data": {"event_type": "TICK", "event_data": {"n": n},
                                       "session_id": "s"}}
        for n in range(2_345)
    ]  # fmt: skip
    store.batch_state_operations(fight, operations)
    lines = [json.loads(line) for line in export_session(store, fight, "jsonl").splitlines()]
    assert [line["event_data"]["n"] for line in lines] == list(range(2_345))


def test_csv_is_one_row_per_turn_with_its_duration_and_actions(
    store: LiveStore, session: int
) -> None:
    text = export_session(store, session, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [
        (row["round_number"], row["turn_number"], row["name"], row["status"], row["duration_ms"])
        for row in rows
    ] == [
        ("1", "1", "Bree the Bold", "completed", "72000"),
        ("1", "2", "Goblin", "skipped", "12000"),
        ("1", "3", "Cass Underhill", "timeout", "60000"),
        ("2", "1", "Bree the Bold", "completed", "30000"),
    ]
    first = rows[0]
    assert (first["entity_id"], first["entity_type"], first["user_id"]) == (
        "pc-bree", "playerCharacter", "u-bree",
    )  # fmt: skip
    assert int(first["end_time"]) - int(first["start_time"]) == 72_000
    moved, attacked = json.loads(first["actions"])
    assert moved == {"type": "move", "entity_id": "pc-bree", "parameters": {"feet": 30}}
    assert (attacked["type"], attacked["target"]) == ("attack", "gob-1")
    assert rows[1]["actions"] == "[]" and rows[1]["user_id"] == rows[1]["reason"] == ""
    assert "CHAT_MESSAGE" not in text and "secret plan" not in text  # events are jsonl's


def test_csv_names_a_combatant_that_has_left_the_fight(store: LiveStore) -> None:
    fight = store.create_interaction(name="Rout", dm_user_id="dm-ana", initiative_order=ORDER)
    store.initialize_for_live_play(fight.id, "room-r", {})
    store.advance_turn(fight.id)  # Bree's turn
    store.remove_combatant(fight.id, "pc-bree")
    rows = list(csv.DictReader(io.StringIO(export_session(store, fight.id, "csv"))))
    assert [(row["entity_id"], row["name"]) for row in rows] == [("pc-bree", "Bree the Bold")]


def test_csv_of_a_fight_without_turns_is_its_header(store: LiveStore) -> None:
    fight = store.create_interaction(name="Not yet", dm_user_id="dm-ana").id
    assert export_session(store, fight, "csv") == ",".join(CSV_COLUMNS) + "\n"


def test_markdown_recap_reads_like_campaign_notes(store: LiveStore, session: int) -> None:
    text = export_session(store, session, "md")
    assert text.startswith("# Goblin Ambush\n")
    assert "completed (Goblins fled into the reeds)" in text
    assert "2026-01-01 00:00 UTC" in text
    for heading in ("## Participants", "## Round 1", "## Round 2", "## Chat highlights",
                    "## Totals"):  # fmt: skip
        assert f"\n{heading}\n" in text
    assert text.index("## Round 1") < text.index("## Round 2")
    assert "**Bree**: plays Bree the Bold" in text
    assert "**Ana the DM**: dungeon master" in text
    assert "Turn 1: **Bree the Bold** (Bree) completed in 1m 12s" in text
    assert "moved 30 ft; attacked Goblin (roll 17): hit for 6" in text
    assert "Turn 2: **Goblin** skipped in 12s" in text
    assert "Turn 3: **Cass Underhill** (Cass) timed out in 1m 0s" in text
    assert "Turn 1: **Bree the Bold** (Bree) completed in 30s: cast Shield; free text\n" in text
    assert "\\[bold\\]not bold\\[/bold\\] \\*nor\\* this" in text
    assert "secret plan" not in text
    assert "[system] Goblin is bloodied." in text
    assert "- **Rounds:** 2" in text
    assert "- **Turns:** 4 (2 completed, 1 skipped, 1 timed out)" in text
    assert "- **Average turn time:** 43s" in text
    assert "- **Timeouts:** 1" in text


def test_every_seeded_room_exports_in_every_format(demo: tuple[LiveStore, FakeClock]) -> None:
    store, _ = demo
    for interaction_id in [room.id for room in store.list_interactions()]:
        name = store.get_interaction(interaction_id).name
        assert export_session(store, interaction_id, "md").startswith("# ")
        assert name.split()[-1] in export_session(store, interaction_id, "md")
        for line in export_session(store, interaction_id, "jsonl").splitlines():
            json.loads(line)
        rows = list(csv.DictReader(io.StringIO(export_session(store, interaction_id, "csv"))))
        assert len(rows) == len(store.get_turn_records(interaction_id))


@pytest.mark.parametrize(
    ("ms", "text"),
    [(0, "0s"), (-5, "0s"), (42_400, "42s"), (72_000, "1m 12s"), (3_723_000, "1h 2m")],
)
def test_duration(ms: int, text: str) -> None:
    assert duration(ms) == text


def test_odd_actions_are_summarized_without_failing() -> None:
    names = {"gob-1": "Goblin"}
    assert summarize_action(["a", 1], names) == '\\["a", 1\\]'
    assert summarize_action("hide *behind* the cart", names) == "hide \\*behind\\* the cart"
    assert summarize_action({"type": "grapple", "target": ["gob-1"]}, names).startswith("grapple")
    assert summarize_action({"type": "help", "target": "gob-1"}, names) == "help target Goblin"
    assert summarize_action({}, names) == "action"


def test_a_turn_that_sat_paused_counts_only_its_played_time(
    store: LiveStore, clock: FakeClock
) -> None:
    order = [
        {
            "entity_id": "thorin",
            "entity_type": "playerCharacter",
            "name": "Thorin",
            "initiative_roll": 15,
            "dexterity_modifier": 0,
        },
        {
            "entity_id": "orc",
            "entity_type": "monster",
            "name": "Orc",
            "initiative_roll": 5,
            "dexterity_modifier": 0,
        },
    ]
    fight = store.create_interaction(name="Pause", dm_user_id="dm", initiative_order=order)
    store.initialize_for_live_play(fight.id, "room-p", {})
    clock.advance(5_000)
    store.pause_interaction(fight.id)
    clock.advance(14 * 60_000)  # the table took a break
    store.resume_interaction(fight.id)
    clock.advance(3_000)
    store.advance_turn(fight.id)
    recap = export_session(store, fight.id, "md")
    assert "**Thorin** completed in 8s" in recap
    rows = list(csv.DictReader(io.StringIO(export_session(store, fight.id, "csv"))))
    assert [row["duration_ms"] for row in rows if row["status"] == "completed"] == ["8000"]
