"""The one-line summaries of the room's life cycle, dice rolls and timeouts."""

from __future__ import annotations

from typing import Any

import pytest

from widgets.event_format import event_body, summary

from .harness import HOSTILE, log_entry

NAMES = {"u-bree": "Bree", "u-dm": "Mira"}
ENTITIES = {"gob-1": "Goblin 1"}


@pytest.mark.parametrize(
    ("event_type", "data", "shown"),
    [
        (
            "INTERACTION_INITIALIZED",
            {
                "live_room_id": "r-12",
                "turn_time_limit": 90,
                "chat_enabled": True,
                "allow_private_chat": False,
            },
            "went live in room r-12 · 90 s turns · chat on · private chat off",
        ),
        (
            "INTERACTION_INITIALIZED",
            {"live_room_id": None, "turn_time_limit": 0, "chat_enabled": False},
            "went live · untimed turns · chat off",
        ),
        ("INTERACTION_INITIALIZED", {"turn_time_limit": 300}, "went live · 5 min turns"),
        (
            "INTERACTION_PAUSED",
            {"reason": "Short rest", "remaining_ms": 68_000},
            "paused (Short rest) · 1:08 left",
        ),
        (
            "INTERACTION_PAUSED",
            {"reason": "paused by the game master", "remaining_ms": 68_000},
            "paused by the game master · 1:08 left",
        ),
        ("INTERACTION_PAUSED", {"reason": None, "remaining_ms": None}, "paused"),
        (
            "INTERACTION_RESUMED",
            {"live_room_id": "r-12", "remaining_ms": 68_000},
            "resumed in room r-12 · 1:08 left",
        ),
        ("INTERACTION_RESUMED", {"live_room_id": None, "remaining_ms": None}, "resumed"),
        (
            "INTERACTION_COMPLETED",
            {"completion_reason": "The guardian fell"},
            "finalized: The guardian fell",
        ),
        ("INTERACTION_COMPLETED", {"completion_reason": ""}, "finalized"),
        ("INTERACTION_CANCELLED", {"previous_status": "live"}, "cancelled (was live)"),
        ("INTERACTION_CANCELLED", {}, "cancelled"),
        ("ROOM_CLEANUP", {"reason": "inactivity_timeout"}, "room closed: inactivity timeout"),
        ("ROOM_CLEANUP", {"reason": "closed_by_game_master"}, "room closed by game master"),
        ("ROOM_CLEANUP", {"reason": "Everyone went home"}, "room closed: Everyone went home"),
        ("ROOM_CLEANUP", {}, "room closed"),
        (
            "SETTINGS_UPDATED",
            {"turn_time_limit": 90, "chat_enabled": True, "x": [1]},
            "90 s turns, chat on, x=[1]",
        ),
        (
            "TURN_TIMEOUT",
            {"round_number": 2, "turn_number": 3, "entity_id": "gob-1", "entity_name": "Gob"},
            "Gob ran out of time (round 2, turn 3)",
        ),
        (
            "TURN_TIMEOUT",
            {"round_number": 2, "turn_number": 3, "entity_id": "gob-1"},
            "Goblin 1 ran out of time (round 2, turn 3)",
        ),
    ],
)
def test_lifecycle_summaries(event_type: str, data: dict[str, Any], shown: str) -> None:
    assert summary(log_entry(1, event_type, data), NAMES, ENTITIES).plain == shown


@pytest.mark.parametrize(
    ("data", "user_id", "entity_id", "shown"),
    [
        (
            {"notation": "1d20+5", "result": 17, "label": "Longbow attack"},
            "u-bree",
            "pc-bree",
            "Bree rolled 1d20+5 = 17 (Longbow attack)",
        ),
        # A game master rolling for a goblin: the goblin's name, once known, wins.
        ({"notation": "1d20+4", "result": 11}, "u-dm", "gob-1", "Goblin 1 rolled 1d20+4 = 11"),
        ({"notation": "1d20+4", "result": 11}, "u-dm", "gob-9", "Mira rolled 1d20+4 = 11"),
        ({"notation": "2d6", "result": 7}, None, "gob-9", "gob-9 rolled 2d6 = 7"),
        ({"notation": "1d20", "result": 3}, None, None, "someone rolled 1d20 = 3"),
        ({"result": [3, 4]}, "u-zed", None, "u-zed rolled [3,4]"),
        ({"notation": "1d4"}, "u-bree", None, "Bree rolled 1d4"),
        ({"dice": "weird"}, "u-bree", None, '{"dice":"weird"}'),
    ],
)
def test_dice_rolls(
    data: dict[str, Any], user_id: str | None, entity_id: str | None, shown: str
) -> None:
    entry = log_entry(1, "DICE_ROLL", data, user_id=user_id, entity_id=entity_id)
    assert summary(entry, NAMES, ENTITIES).plain == shown


@pytest.mark.parametrize("hostile", HOSTILE)
def test_writer_text_in_summaries_is_literal(hostile: str) -> None:
    shown = hostile.replace("\x1b", "\\x1b")
    cases = [
        ("INTERACTION_PAUSED", {"reason": hostile}, f"paused ({shown})"),
        ("ROOM_CLEANUP", {"reason": hostile}, f"room closed: {shown}"),
        ("INTERACTION_RESUMED", {"live_room_id": hostile}, f"resumed in room {shown}"),
        (
            "DICE_ROLL",
            {"notation": hostile, "result": hostile, "label": hostile},
            f"{shown} rolled {shown} = {shown} ({shown})",
        ),
    ]
    for event_type, data, expected in cases:
        text = summary(log_entry(1, event_type, data, entity_id=hostile), {}, {})
        assert text.plain == expected
        assert all(not str(span.style).startswith("@") for span in text.spans)
        assert "link" not in str(text.spans)


@pytest.mark.parametrize(
    ("user_id", "data", "shown"),
    [
        # The game master's notice from the console, and a game server's: alike.
        ("u-dm", {"sender_name": "Game master"}, "[system] Mira: Round 2"),
        (None, {}, "[system] Round 2"),
        (None, {"sender_name": "Dungeon bot"}, "[system] Dungeon bot: Round 2"),
        ("u-zed", {}, "[system] u-zed: Round 2"),
        ("u-zed", {"sender_name": "Game master"}, "[system] Game master: Round 2"),
        (None, {"sender_name": "  "}, "[system] Round 2"),
    ],
)
def test_a_system_notice_names_its_sender_as_every_chat_line_does(
    user_id: str | None, data: dict[str, Any], shown: str
) -> None:
    """Issue 19: "[system] system: ..." beside "[system] Ana (DM): ..."."""
    notice = log_entry(
        1, "CHAT_MESSAGE", {"channel": "system", "content": "Round 2", **data}, user_id=user_id
    )
    assert summary(notice, NAMES).plain == shown
    party = log_entry(1, "CHAT_MESSAGE", {"channel": "party", "content": "Round 2", **data})
    party = party.model_copy(update={"user_id": user_id})
    assert summary(party, NAMES).plain == shown.replace("[system]", "[party]")


def test_a_private_message_nobody_sent_shows_no_sender() -> None:
    data = {"channel": "private", "content": "psst", "recipients": ["u-bree"]}
    assert summary(log_entry(1, "CHAT_MESSAGE", data), NAMES).plain == "🔒 private → Bree  psst"
    sent = log_entry(1, "CHAT_MESSAGE", data, user_id="u-dm")
    assert summary(sent, NAMES).plain == "🔒 private → Bree  Mira: psst"


def test_data_of_an_unexpected_shape_shows_as_json() -> None:
    weird = log_entry(1, "INTERACTION_PAUSED", {"reason": None, "remaining_ms": True})
    assert event_body(weird, {}).plain == "paused"
    assert event_body(log_entry(1, "ROOM_CLEANUP", ["x"]), {}).plain == '["x"]'
    assert event_body(log_entry(1, "INTERACTION_COMPLETED", None), {}).plain == ""
