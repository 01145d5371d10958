"""Helpers for the store tests: sample data and a public-API dump of everything stored."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from store import LiveStore, LogEntry

ROOM = "room-1"
LIMIT = 60
"""The turn time limit (seconds) of the sample interactions."""
LIMIT_MS = LIMIT * 1000

ORDER: list[dict[str, Any]] = [
    {
        "entity_id": "pc-bree",
        "entity_type": "playerCharacter",
        "name": "Bree",
        "initiative_roll": 17,
        "dexterity_modifier": 3,
        "user_id": "u-bree",
    },
    {
        "entity_id": "npc-tom",
        "entity_type": "npc",
        "name": "Tom",
        "initiative_roll": 14,
        "dexterity_modifier": 1,
    },
    {
        "entity_id": "gob-1",
        "entity_type": "monster",
        "name": "Goblin",
        "initiative_roll": 12,
        "dexterity_modifier": 2,
        "max_hp": 7,
        "current_hp": 7,
        "armor_class": 15,
        "conditions": [{"name": "prone", "rounds_left": None}],
    },
]


def entry(entity_id: str, **overrides: Any) -> dict[str, Any]:
    """One initiative entry as a dict, monster by default."""
    return {
        "entity_id": entity_id,
        "entity_type": "monster",
        "name": entity_id.title(),
        "initiative_roll": 10,
        "dexterity_modifier": 0,
        **overrides,
    }


def all_logs(store: LiveStore, interaction_id: int, **filters: Any) -> list[LogEntry]:
    """Every log entry of an interaction, oldest first, read page by page."""
    entries: list[LogEntry] = []
    before = None
    while True:
        page = store.get_interaction_logs(interaction_id, limit=1000, before=before, **filters)
        entries.extend(page)
        if len(page) < 1000:
            return list(reversed(entries))
        before = page[-1].id


def event_types(store: LiveStore, interaction_id: int) -> list[str]:
    """The event types of an interaction's log, oldest first."""
    return [log.event_type for log in all_logs(store, interaction_id)]


def events_of(store: LiveStore, interaction_id: int, event_type: str) -> list[LogEntry]:
    """The entries of one event type, oldest first."""
    return all_logs(store, interaction_id, event_types=[event_type])


def dump(store: LiveStore) -> dict[int, tuple[Any, ...]]:
    """Everything the public API shows of every interaction: fields, log and turn records."""
    return {
        summary.id: (
            store.get_interaction(summary.id),
            all_logs(store, summary.id),
            store.get_turn_records(summary.id),
        )
        for summary in store.list_interactions()
    }


@contextmanager
def writes_nothing(store: LiveStore) -> Iterator[None]:
    """Assert that the block (a failing call) leaves every table as it was."""
    before = dump(store)
    yield
    assert dump(store) == before
