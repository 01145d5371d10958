"""liveroom's store: every live interaction's data and operations, on Peewee.

The single source of truth that the dashboard, the simulator and any live
game server read and write. Inputs are validated here, results are pydantic
models, and every failure is a StoreError subclass.
"""

from store.errors import Conflict, InvalidInput, NotFound, StoreError, StoreUnavailable
from store.lifecycle import STORED_STATE
from store.live_store import LiveStore, open_store
from store.models import (
    RUNNING_STATUSES,
    BatchResult,
    InitiativeEntry,
    Interaction,
    LiveInteractionSummary,
    LiveState,
    LiveStatus,
    LogEntry,
    RoomSummary,
    SnapshotSaved,
    StateSnapshot,
    TurnRecord,
    User,
)

__all__ = [
    "RUNNING_STATUSES",
    "STORED_STATE",
    "BatchResult",
    "Conflict",
    "InitiativeEntry",
    "Interaction",
    "InvalidInput",
    "LiveInteractionSummary",
    "LiveState",
    "LiveStatus",
    "LiveStore",
    "LogEntry",
    "NotFound",
    "RoomSummary",
    "SnapshotSaved",
    "StateSnapshot",
    "StoreError",
    "StoreUnavailable",
    "TurnRecord",
    "User",
    "open_store",
]
