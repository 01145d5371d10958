"""liveroom's store: every live interaction's data and operations, on Peewee.

The single source of truth that the dashboard, the simulator and any live
game server read and write. Inputs are validated here, results are pydantic
models, and every failure is a StoreError subclass. It never imports Textual.

Where each operation of LiveStore lives:

- store/live_store.py: create_interaction, get_interaction, list_interactions,
  list_room_summaries, interaction_revisions, set_initiative_order,
  get_interaction_live_state, upsert_user, display_names; open_store
- store/room.py: save_state_snapshot, checkpoint_state_snapshot,
  load_state_snapshot, update_connected_participants, set_current_turn_timeout,
  update_turn_settings, get_live_interaction_status, get_all_live_interactions
- store/lifecycle.py: initialize_for_live_play, pause_interaction,
  resume_interaction, finalize_live_interaction, cleanup_inactive_room,
  cleanup_inactive_rooms, update_live_room_status
- store/events.py: log_interaction_event, get_interaction_logs, get_logs_after
- store/turns.py: record_turn, get_turn_records, advance_turn, expire_turn_timeouts
- store/combatants.py: add_combatant, remove_combatant, update_combatant,
  move_combatant, roll_initiative, delay_turn, undo_turn
- store/health.py: adjust_hp, set_temp_hp, add_condition, remove_condition
- store/batch.py: batch_state_operations
- store/transfer.py: table_counts, export_tables, import_tables
- store/core.py: close, path, change_token, and the steps every operation shares

Beside them: store/initiative.py rolls and sorts initiative order,
store/vitals.py holds the hit-point and condition rules, store/passing.py
what a turn's end does to the order (durations tick, the downed are passed
over), store/validation.py, store/event_input.py and store/actions.py check inputs,
store/models.py defines the results, store/schema.py and store/migrations.py
the tables, store/engine.py the Engine protocol that store/sqlite.py and
store/postgres.py implement, and store/prepared.py the statements compiled once.
"""

from __future__ import annotations

from store.errors import Conflict, InvalidInput, NotFound, StoreError, StoreUnavailable
from store.lifecycle import STORED_STATE
from store.live_store import LiveStore, open_store
from store.models import (
    RUNNING_STATUSES,
    BatchResult,
    Condition,
    InitiativeEntry,
    Interaction,
    LiveInteractionSummary,
    LiveState,
    LiveStatus,
    LogEntry,
    RoomSummary,
    SnapshotSaved,
    StateSnapshot,
    TurnAction,
    TurnRecord,
    User,
)

__all__ = [
    "RUNNING_STATUSES",
    "STORED_STATE",
    "BatchResult",
    "Condition",
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
    "TurnAction",
    "TurnRecord",
    "User",
    "open_store",
]
