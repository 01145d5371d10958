"""Pydantic models for everything the store returns.

Results are plain data: a widget holding one can never trigger a query.
Nested values are models too (an initiative entry is an InitiativeEntry).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from store.limits import MAX_ID_LENGTH, MAX_NAME_LENGTH

Status = Literal["idle", "live", "paused", "completed", "cancelled"]
EntityType = Literal["playerCharacter", "npc", "monster"]
TurnStatus = Literal["completed", "skipped", "timeout"]
ChatChannel = Literal["party", "dm", "private", "system"]
BatchOperationType = Literal["save_snapshot", "log_event", "record_turn", "update_participants"]

STATUSES: tuple[Status, ...] = ("idle", "live", "paused", "completed", "cancelled")
FINAL_STATUSES: frozenset[str] = frozenset({"completed", "cancelled"})
RUNNING_STATUSES: tuple[Status, ...] = ("live", "paused")
"""Statuses in which a turn is running (paused: frozen, with its time left kept)."""

ON_FIRST_USE = ConfigDict(defer_build=True)
"""Config of the store's module-level TypeAdapters: built on first use, like the models."""


class Result(BaseModel):
    """Base of every result: immutable, so a shared result cannot be edited by accident.

    Each model's validator is built on first use (defer_build), not at import:
    the dashboard's start-up needs only a few of them.
    """

    model_config = ConfigDict(frozen=True, strict=True, defer_build=True)


class InitiativeEntry(Result):
    """One combatant in the initiative order; its entity_id is unique within the interaction.

    Every field added after the first release has a default, so an order
    stored by an older liveroom reads as it was, and fields a newer liveroom
    stores (hit points and conditions come next) are ignored rather than refused.
    """

    entity_id: str = Field(min_length=1, max_length=MAX_ID_LENGTH)
    entity_type: EntityType
    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    initiative_roll: int | None = None
    """The initiative total (d20 + dexterity_modifier); None: not rolled yet."""
    dexterity_modifier: int = 0
    user_id: str | None = Field(default=None, min_length=1, max_length=MAX_ID_LENGTH)
    tiebreaker: int | None = None
    """A roll-off among entries tied on roll and dexterity: the higher acts first."""


class Interaction(Result):
    """An encounter or scene with its live fields and the turn engine's position."""

    id: int
    name: str
    description: str | None
    dm_user_id: str
    campaign_id: str | None
    status: Status
    initiative_order: list[InitiativeEntry]
    current_initiative_index: int | None
    round_number: int
    turn_number: int
    created_at: int
    updated_at: int
    live_room_id: str | None
    last_state_snapshot: Any
    snapshot_timestamp: int | None
    connected_participants: list[str]
    last_activity: int | None
    current_turn_timeout: int | None
    turn_time_limit: int
    chat_enabled: bool
    allow_private_chat: bool
    turn_started_at: int | None
    """When the current turn began (its turn record's start_time)."""
    paused_turn_remaining_ms: int | None
    """Turn time left when the interaction was paused; restored on resume."""
    turn_paused_ms: int = 0
    """Time the current turn spent paused before the last resume: not part of its duration."""
    turn_paused_at: int | None = None
    """When the current turn was paused, while it is."""
    revision: int
    """Counts the writes to this interaction: compare with interaction_revisions() to
    re-read only what changed."""

    @property
    def current_entry(self) -> InitiativeEntry | None:
        """The entity whose turn it is, if a turn is running."""
        index = self.current_initiative_index
        if index is None or not 0 <= index < len(self.initiative_order):
            return None
        return self.initiative_order[index]


class RoomSummary(Result):
    """An interaction as a list of rooms shows it: where its turn stands, not its whole order,
    so a list of many rooms builds no model for each combatant of each order."""

    id: int
    name: str
    status: Status
    live_room_id: str | None
    participant_count: int
    """How many players are connected."""
    current_actor: str | None
    """Name of the entity whose turn it is, while the room is live or paused."""
    round_number: int
    turn_number: int
    current_turn_timeout: int | None
    paused_turn_remaining_ms: int | None
    turn_time_limit: int
    last_activity: int | None
    revision: int
    """As Interaction.revision: compare with interaction_revisions()."""


class LogEntry(Result):
    """One event in an interaction's live log."""

    id: int
    interaction_id: int
    event_type: str
    event_data: Any
    user_id: str | None
    entity_id: str | None
    timestamp: int
    session_id: str


class TurnRecord(Result):
    """The history of one entity's turn."""

    id: int
    interaction_id: int
    entity_id: str
    entity_type: EntityType
    turn_number: int
    round_number: int
    actions: list[Any]
    start_time: int
    end_time: int | None
    status: TurnStatus
    user_id: str | None
    duration_ms: int | None = None
    """How long the turn was played: end - start less the time the room was paused; a
    timeout lasts its limit. None while the turn has no end_time."""

    @model_validator(mode="before")
    @classmethod
    def _duration_of_older_records(cls, data: Any) -> Any:
        """A record stored before durations were (or made without one) lasts end - start."""
        if isinstance(data, dict) and data.get("duration_ms") is None:
            start, end = data.get("start_time"), data.get("end_time")
            if type(start) is int and type(end) is int:
                data = {**data, "duration_ms": max(0, end - start)}
        return data


class SnapshotSaved(Result):
    """Returned by save_state_snapshot."""

    interaction_id: int
    timestamp: int


class StateSnapshot(Result):
    """Returned by load_state_snapshot."""

    interaction_id: int
    state_snapshot: Any
    timestamp: int | None
    connected_participants: list[str]
    last_activity: int | None


class LiveStatus(Result):
    """Returned by get_live_interaction_status."""

    interaction_id: int
    status: Status
    live_room_id: str | None
    connected_participants: list[str]
    last_activity: int | None
    current_turn_timeout: int | None
    turn_time_limit: int
    chat_enabled: bool
    allow_private_chat: bool


class LiveInteractionSummary(Result):
    """One row of get_all_live_interactions."""

    id: int
    name: str
    live_room_id: str | None
    connected_participants: list[str]
    last_activity: int | None
    dm_user_id: str


class LiveState(Result):
    """Returned by get_interaction_live_state: everything a room view needs at once."""

    interaction: Interaction
    recent_logs: list[LogEntry]
    current_round_turns: list[TurnRecord]


class BatchResult(Result):
    """The outcome of one operation of batch_state_operations."""

    type: BatchOperationType
    id: int | None = None
    """The new row's id for log_event and record_turn; None otherwise."""


class User(Result):
    """A user id with the name screens show for it."""

    id: str
    display_name: str
