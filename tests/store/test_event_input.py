"""Events checked together (a batch's) agree with events checked one by one.

A batch checks its log events in one go and falls back to checking each on
its own only to name the one that failed. The two paths must accept exactly
the same events and make exactly the same rows, or a batch could store what
log_interaction_event refuses.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from store import InvalidInput
from store.event_input import PreparedEvent, prepare_event, prepare_events


def mostly(
    valid: st.SearchStrategy[Any], invalid: st.SearchStrategy[Any]
) -> st.SearchStrategy[Any]:
    """`valid` nine times in ten: a list of events is then often valid as a whole."""
    return st.integers(0, 9).flatmap(lambda roll: valid if roll else invalid)


IDS = mostly(
    st.sampled_from(["room-1", "u-ana", "gob-1", "é", "x" * 128]),
    st.sampled_from(["", "   ", "a\x00b", "x" * 129, 7, True]),
)
"""Ids as given: valid ones, and the kinds every id check refuses."""
SCALARS = mostly(
    st.one_of(st.none(), st.booleans(), st.integers(), st.sampled_from(["", "hit", "\\u0000"])),
    st.sampled_from([float("nan"), float("inf"), "a\x00b", b"bytes", {1, 2}]),
)
KEYS = mostly(st.sampled_from(["k", "hp", ""]), st.sampled_from(["a\x00", 1, None]))
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.tuples(inner),
        st.dictionaries(KEYS, inner, max_size=3),
    ),
    max_leaves=6,
)
CHAT_DATA = st.fixed_dictionaries(
    {
        "channel": mostly(st.sampled_from(["party", "dm", "private", "system"]), st.just("shout")),
        "content": mostly(st.just("hi"), st.sampled_from(["", "  ", "x" * 2001, 3])),
    },
    optional={
        "recipients": st.one_of(st.none(), st.lists(IDS, max_size=2)),
        "sender": IDS,
    },
)


@st.composite
def events(draw: st.DrawFn) -> Any:
    """An event as a caller might send it: mostly well-formed, sometimes not in one field."""
    if draw(st.integers(0, 29)) == 0:
        return draw(st.sampled_from([[], "event", None]))
    event: dict[str, Any] = {
        "event_type": draw(st.sampled_from(["CHAT_MESSAGE", "MOVE"]) | IDS),
        "session_id": draw(IDS),
    }
    if event["event_type"] == "CHAT_MESSAGE":
        event["event_data"] = draw(mostly(CHAT_DATA, JSON_VALUES))
    elif draw(st.booleans()):
        event["event_data"] = draw(JSON_VALUES)
    for optional in ("user_id", "entity_id"):
        if draw(st.booleans()):
            event[optional] = draw(st.none() | IDS)
    if draw(st.integers(0, 29)) == 0:
        event["bogus"] = 1
    return event


def one_by_one(given_events: list[Any]) -> list[PreparedEvent] | None:
    try:
        return [prepare_event(event) for event in given_events]
    except InvalidInput:
        return None


@settings(max_examples=400, deadline=None)
@given(st.lists(events(), max_size=6))
def test_together_agrees_with_one_by_one(given_events: list[Any]) -> None:
    assert prepare_events(given_events) == one_by_one(given_events)


def test_a_valid_burst_is_prepared() -> None:
    """The property above must see valid bursts too: here is one, as a live server sends it."""
    burst = [
        {"event_type": "MOVE", "event_data": {"to": [1, 2]}, "session_id": "room-1"},
        {
            "event_type": "CHAT_MESSAGE",
            "event_data": {"channel": "party", "content": "hi"},
            "session_id": "room-1",
            "user_id": "u-ana",
        },
        {"event_type": "NOTE", "session_id": "room-1", "entity_id": "gob-1", "user_id": None},
    ]
    assert prepare_events(burst) == [
        PreparedEvent(("MOVE", '{"to":[1,2]}', None, None, "room-1"), None),
        PreparedEvent(
            ("CHAT_MESSAGE", '{"channel":"party","content":"hi"}', "u-ana", None, "room-1"),
            "party",
        ),
        PreparedEvent(("NOTE", None, None, "gob-1", "room-1"), None),
    ]
