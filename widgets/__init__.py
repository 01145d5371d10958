"""Reusable, passive widgets for the dashboard.

Each widget receives plain data (store result models or small dataclasses)
through a method, updates itself in place and posts messages up; none of them
can reach the database. Every piece of user text is shown literally through
widgets.text.
"""

from __future__ import annotations

from widgets.event_log import EventLog
from widgets.initiative_list import InitiativeList
from widgets.participant_list import ParticipantList
from widgets.rooms_table import RoomRow, RoomsTable
from widgets.snapshot_tree import SnapshotTree
from widgets.turn_history import TurnHistory
from widgets.turn_timer import TurnTimer

__all__ = [
    "EventLog",
    "InitiativeList",
    "ParticipantList",
    "RoomRow",
    "RoomsTable",
    "SnapshotTree",
    "TurnHistory",
    "TurnTimer",
]
