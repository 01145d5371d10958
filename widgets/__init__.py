"""Reusable, passive widgets for the dashboard.

Each widget receives plain data (store result models or small dataclasses)
through a method, updates itself in place and posts messages up; none of them
can reach the database. Every piece of user text is shown literally through
widgets.text.
"""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    "EventLog": "widgets.event_log",
    "InitiativeList": "widgets.initiative_list",
    "ParticipantList": "widgets.participant_list",
    "RoomRow": "widgets.rooms_table",
    "RoomsTable": "widgets.rooms_table",
    "SnapshotTree": "widgets.snapshot_tree",
    "SteadyFooter": "widgets.footer",
    "TurnHistory": "widgets.turn_history",
    "TurnTimer": "widgets.turn_timer",
}
"""Where each widget lives: imported on first use, as textual.widgets does, so the
rooms screen starts without loading the room screen's widgets."""

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'widgets' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
