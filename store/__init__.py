"""liveroom's store: every live interaction's data and operations, on Peewee.

The single source of truth that the dashboard, the simulator and any live
game server read and write. Inputs are validated here, results are pydantic
models, and every failure is a StoreError subclass.

The names below are loaded on first use, not when the package is: importing
pydantic and Peewee takes 0.1 s, and the dashboard paints its first screen
before it needs them (app.first_rooms). It names the store's errors and clock
(store.errors, store.clock: plain Python) without paying for the rest.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what a type checker sees: the names as the modules define them
    from store.errors import Conflict as Conflict
    from store.errors import InvalidInput as InvalidInput
    from store.errors import NotFound as NotFound
    from store.errors import StoreError as StoreError
    from store.errors import StoreUnavailable as StoreUnavailable
    from store.lifecycle import STORED_STATE as STORED_STATE
    from store.live_store import LiveStore as LiveStore
    from store.live_store import open_store as open_store
    from store.models import RUNNING_STATUSES as RUNNING_STATUSES
    from store.models import BatchResult as BatchResult
    from store.models import InitiativeEntry as InitiativeEntry
    from store.models import Interaction as Interaction
    from store.models import LiveInteractionSummary as LiveInteractionSummary
    from store.models import LiveState as LiveState
    from store.models import LiveStatus as LiveStatus
    from store.models import LogEntry as LogEntry
    from store.models import RoomSummary as RoomSummary
    from store.models import SnapshotSaved as SnapshotSaved
    from store.models import StateSnapshot as StateSnapshot
    from store.models import TurnRecord as TurnRecord
    from store.models import User as User

_HOMES = {
    "store.errors": ("Conflict", "InvalidInput", "NotFound", "StoreError", "StoreUnavailable"),
    "store.lifecycle": ("STORED_STATE",),
    "store.live_store": ("LiveStore", "open_store"),
    "store.models": (
        "RUNNING_STATUSES",
        "BatchResult",
        "InitiativeEntry",
        "Interaction",
        "LiveInteractionSummary",
        "LiveState",
        "LiveStatus",
        "LogEntry",
        "RoomSummary",
        "SnapshotSaved",
        "StateSnapshot",
        "TurnRecord",
        "User",
    ),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = sorted(_HOME_OF)


def __getattr__(name: str) -> Any:
    """Import the module that defines `name` (once: then it is a plain attribute); a
    submodule's name (store.models) imports that submodule, as the eager package did."""
    home = _HOME_OF.get(name)
    if home is None:
        try:
            return import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
