"""CHAT_MESSAGE events: channels, content rules and the room's chat settings."""

from __future__ import annotations

from typing import Any

import pytest

from store import Conflict, InvalidInput, LiveStore, LogEntry
from tests.store.helpers import ROOM, events_of, writes_nothing


def chat(store: LiveStore, interaction_id: int, **data: Any) -> LogEntry:
    return store.log_interaction_event(interaction_id, "CHAT_MESSAGE", data, ROOM, user_id="u-bree")


def stored_chat(store: LiveStore, interaction_id: int) -> list[dict[str, Any]]:
    """The event_data of every chat message the store holds for the interaction, oldest first."""
    return [entry.event_data for entry in events_of(store, interaction_id, "CHAT_MESSAGE")]


@pytest.mark.parametrize("channel", ["party", "dm", "system"])
def test_channels(store: LiveStore, live: int, channel: str) -> None:
    sent = chat(store, live, channel=channel, content="hello")
    [logged] = store.get_interaction_logs(live, event_types=["CHAT_MESSAGE"])
    assert logged == sent
    assert logged.event_data == {"channel": channel, "content": "hello"}
    assert (logged.interaction_id, logged.session_id, logged.user_id) == (live, ROOM, "u-bree")


def test_private_with_recipients(store: LiveStore, live: int) -> None:
    chat(store, live, channel="private", content="psst", recipients=["u-tam"])
    assert stored_chat(store, live) == [
        {"channel": "private", "content": "psst", "recipients": ["u-tam"]}
    ]


def test_extra_keys_are_kept(store: LiveStore, live: int) -> None:
    chat(store, live, channel="party", content="hi", sender_name="Bree")
    assert stored_chat(store, live) == [
        {"channel": "party", "content": "hi", "sender_name": "Bree"}
    ]


def test_content_at_the_limit(store: LiveStore, live: int) -> None:
    chat(store, live, channel="party", content="x" * 2000)
    assert stored_chat(store, live) == [{"channel": "party", "content": "x" * 2000}]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"channel": "party", "content": ""}, "content"),
        ({"channel": "party", "content": "   "}, "content"),
        ({"channel": "party", "content": "x" * 2001}, "content"),
        ({"channel": "party", "content": 5}, "content"),
        ({"channel": "party"}, "content"),
        ({"content": "hi"}, "channel"),
        ({"channel": "yell", "content": "hi"}, "channel"),
        ({"channel": "private", "content": "hi"}, "recipients"),
        ({"channel": "private", "content": "hi", "recipients": []}, "recipients"),
        ({"channel": "private", "content": "hi", "recipients": [""]}, "recipients"),
        ({"channel": "private", "content": "hi", "recipients": "u-tam"}, "recipients"),
    ],
)
def test_invalid_messages(store: LiveStore, live: int, data: dict[str, Any], field: str) -> None:
    with writes_nothing(store), pytest.raises(InvalidInput, match=rf"event_data\.{field}"):
        chat(store, live, **data)


def test_not_an_object(store: LiveStore, live: int) -> None:
    with writes_nothing(store), pytest.raises(InvalidInput, match="event_data"):
        store.log_interaction_event(live, "CHAT_MESSAGE", "hello", ROOM)


class TestSettings:
    @pytest.mark.parametrize("channel", ["party", "dm"])
    def test_chat_disabled(self, store: LiveStore, live: int, channel: str) -> None:
        store.update_turn_settings(live, chat_enabled=False)
        with writes_nothing(store), pytest.raises(Conflict, match="chat is disabled"):
            chat(store, live, channel=channel, content="hi")

    def test_private_refused_while_chat_is_disabled(self, store: LiveStore, live: int) -> None:
        store.update_turn_settings(live, chat_enabled=False)
        with writes_nothing(store), pytest.raises(Conflict, match="disabled"):
            chat(store, live, channel="private", content="hi", recipients=["u-tam"])

    def test_system_messages_pass_while_chat_is_disabled(self, store: LiveStore, live: int) -> None:
        store.update_turn_settings(live, chat_enabled=False, allow_private_chat=False)
        chat(store, live, channel="system", content="The goblins flee.")
        assert stored_chat(store, live) == [{"channel": "system", "content": "The goblins flee."}]

    def test_private_chat_disabled(self, store: LiveStore, live: int) -> None:
        store.update_turn_settings(live, allow_private_chat=False)
        with writes_nothing(store), pytest.raises(Conflict, match="private chat is disabled"):
            chat(store, live, channel="private", content="hi", recipients=["u-tam"])
        chat(store, live, channel="party", content="still fine")
        assert stored_chat(store, live) == [{"channel": "party", "content": "still fine"}]

    def test_settings_apply_at_the_moment_of_sending(self, store: LiveStore, live: int) -> None:
        store.update_turn_settings(live, chat_enabled=False)
        store.update_turn_settings(live, chat_enabled=True)
        chat(store, live, channel="party", content="back on")
        assert stored_chat(store, live) == [{"channel": "party", "content": "back on"}]

    def test_created_with_chat_off(self, store: LiveStore) -> None:
        quiet = store.create_interaction(name="Silent", dm_user_id="d", chat_enabled=False)
        with writes_nothing(store), pytest.raises(Conflict, match="chat is disabled"):
            chat(store, quiet.id, channel="party", content="hi")

    def test_other_events_ignore_chat_settings(self, store: LiveStore, live: int) -> None:
        store.update_turn_settings(live, chat_enabled=False)
        store.log_interaction_event(live, "DICE_ROLL", {"channel": "party"}, ROOM)
        [roll] = events_of(store, live, "DICE_ROLL")
        assert roll.event_data == {"channel": "party"}
        assert stored_chat(store, live) == []
