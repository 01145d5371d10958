"""Pydantic models for everything the store returns.

Results are plain data: a widget holding one can never trigger a query.
Nested values are models too (an initiative entry is an InitiativeEntry).
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from store.limits import (
    MAX_ACTION_DESCRIPTION_LENGTH,
    MAX_CONDITION_NAME_LENGTH,
    MAX_HIT_POINTS,
    MAX_ID_LENGTH,
    MAX_NAME_LENGTH,
)

Status = Literal["idle", "live", "paused", "completed", "cancelled"]
EntityType = Literal["playerCharacter", "npc", "monster"]
TurnStatus = Literal["completed", "skipped", "timeout"]
ChatChannel = Literal["party", "dm", "private", "system"]
ActionType = Literal["move", "attack", "useItem", "cast", "interact", "end", "note"]
BatchOperationType = Literal["save_snapshot", "log_event", "record_turn", "update_participants"]

STATUSES: tuple[Status, ...] = ("idle", "live", "paused", "completed", "cancelled")
FINAL_STATUSES: frozenset[str] = frozenset({"completed", "cancelled"})
ACTION_TYPES: tuple[ActionType, ...] = (
    "move",
    "attack",
    "useItem",
    "cast",
    "interact",
    "end",
    "note",
)
PASSED_OVER_TYPES: frozenset[str] = frozenset({"monster", "npc"})
"""Entity types the turn engine passes over at 0 hit points (player characters roll death
saves on their own turns)."""
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


class Condition(Result):
    """A condition a combatant holds (prone, poisoned, blessed), for some rounds or until removed.

    Also made positionally, as the issue writes it: Condition("prone", 1).
    """

    name: str = Field(min_length=1, max_length=MAX_CONDITION_NAME_LENGTH)
    rounds_left: int | None = Field(default=None, ge=1, le=MAX_HIT_POINTS)
    """Rounds it still lasts: one goes at the end of each of its bearer's turns, and at 0 it
    ends. None: until removed."""

    def __init__(self, *args: Any, **fields: Any) -> None:
        if len(args) > 2:
            raise TypeError(f"Condition takes name and rounds_left, got {len(args)} values")
        fields.update(zip(("name", "rounds_left"), args, strict=False))
        super().__init__(**fields)

    # Validation (a dict inside an order) goes straight to pydantic, as for any model: marked as
    # the base __init__, this one is used only by callers, never with a dict's keys as kwargs.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]


class InitiativeEntry(Result):
    """One combatant in the initiative order; its entity_id is unique within the interaction.

    Every field added after the first release has a default, so an order
    stored by an older liveroom reads as it was, and fields a newer liveroom
    stores are ignored rather than refused.
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
    max_hp: int | None = Field(default=None, ge=0, le=MAX_HIT_POINTS)
    """None: hit points are not tracked for this combatant (then current_hp and temp_hp are
    None too)."""
    current_hp: int | None = Field(default=None, ge=0, le=MAX_HIT_POINTS)
    """0..max_hp. A monster or npc at 0 is down: the turn engine passes over its turns."""
    temp_hp: int | None = Field(default=None, ge=0, le=MAX_HIT_POINTS)
    """Temporary hit points: damage takes them first; they replace, never stack."""
    armor_class: int | None = Field(default=None, ge=-MAX_HIT_POINTS - 1, le=MAX_HIT_POINTS)
    conditions: list[Condition] = Field(default_factory=list)
    """Each name once (compared without case), in the order they were put on."""
    hidden: bool = False
    """Kept from the players' view; a hidden combatant still takes its turns."""

    @property
    def is_down(self) -> bool:
        """At 0 hit points (only a combatant whose hit points are tracked can be)."""
        return self.current_hp == 0

    @property
    def passed_over(self) -> bool:
        """Whether the turn engine passes over this combatant's turns: a downed monster or npc."""
        return self.current_hp == 0 and self.entity_type in PASSED_OVER_TYPES


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
    """When the current turn was paused, while it is (its deadline, when paused after it)."""
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


class TurnAction(Result):
    """One thing a combatant did in its turn, as the original live server typed it.

    `entity_id` is the combatant acting: the store fills in the one whose turn
    is recorded when a caller leaves it out. `parameters` holds any JSON (dice,
    distances, outcomes); `description` is the action in words.
    """

    type: ActionType
    entity_id: str | None = Field(default=None, min_length=1, max_length=MAX_ID_LENGTH)
    target: str | None = Field(default=None, min_length=1, max_length=MAX_ID_LENGTH)
    item_id: str | None = Field(default=None, min_length=1, max_length=MAX_ID_LENGTH)
    spell_id: str | None = Field(default=None, min_length=1, max_length=MAX_ID_LENGTH)
    action_id: str | None = Field(default=None, min_length=1, max_length=MAX_ID_LENGTH)
    parameters: Any = None
    description: str | None = Field(default=None, max_length=MAX_ACTION_DESCRIPTION_LENGTH)


ACTION_FIELDS = frozenset(TurnAction.model_fields)
_ACTION_IDS = ("entity_id", "target", "item_id", "spell_id", "action_id")


def readable_action(item: Any, entity_id: str) -> TurnAction:
    """A stored action as a TurnAction, however an older liveroom stored it.

    Records written before actions were typed hold any JSON. An object that
    is a valid action (its entity_id filled in) reads as it is. An object
    whose `type` is one of ACTION_TYPES keeps its type and the fields that
    are valid; the rest of its keys go into `parameters`. Anything else (another
    type such as "spell" or "skill_check", a list, a number) becomes a "note":
    the original JSON in `parameters`, and as compact text in `description`.
    """
    if isinstance(item, TurnAction):
        return item
    if isinstance(item, dict):
        candidate = item if item.get("entity_id") is not None else {**item, "entity_id": entity_id}
        if candidate.keys() <= ACTION_FIELDS:
            try:
                return TurnAction.model_validate(candidate)
            except ValidationError:
                pass
        if item.get("type") in ACTION_TYPES:
            return _typed_legacy_action(item, entity_id)
    text = json.dumps(item, ensure_ascii=False, separators=(",", ":"), default=repr)
    if len(text) > MAX_ACTION_DESCRIPTION_LENGTH:
        text = text[: MAX_ACTION_DESCRIPTION_LENGTH - 1] + "…"
    return TurnAction(type="note", entity_id=entity_id, parameters=item, description=text)


def _typed_legacy_action(item: dict[str, Any], entity_id: str) -> TurnAction:
    """An older action of a known type: valid fields kept, every other key in parameters."""
    fields: dict[str, Any] = {"type": item["type"], "entity_id": entity_id}
    rest: dict[str, Any] = {}
    for key, value in item.items():
        if key == "type":
            continue
        if (key in _ACTION_IDS and isinstance(value, str) and 0 < len(value) <= MAX_ID_LENGTH) or (
            key == "description"
            and isinstance(value, str)
            and len(value) <= MAX_ACTION_DESCRIPTION_LENGTH
        ):
            fields[key] = value
        else:
            rest[key] = value
    if rest:
        fields["parameters"] = rest
    return TurnAction.model_validate(fields)


class TurnRecord(Result):
    """The history of one entity's turn."""

    id: int
    interaction_id: int
    entity_id: str
    entity_type: EntityType
    turn_number: int
    round_number: int
    actions: list[TurnAction]
    """What was done; records stored before actions were typed read through readable_action."""
    start_time: int
    end_time: int | None
    status: TurnStatus
    user_id: str | None
    duration_ms: int | None = None
    """How long the turn was played: end - start less the time the room was paused; a
    timeout lasts its limit. None while the turn has no end_time."""
    reason: str | None = None
    """Why the store recorded this turn on its own: "down" for a downed monster or npc the
    turn engine passed over (status "skipped"). None for every other turn."""

    @model_validator(mode="before")
    @classmethod
    def _older_records(cls, data: Any) -> Any:
        """A record stored before durations (or made without one) lasts end - start, and
        actions stored before they were typed read as TurnActions."""
        if not isinstance(data, dict):
            return data
        if data.get("duration_ms") is None:
            start, end = data.get("start_time"), data.get("end_time")
            if type(start) is int and type(end) is int:
                data = {**data, "duration_ms": max(0, end - start)}
        actions, entity_id = data.get("actions"), data.get("entity_id")
        if isinstance(actions, list) and actions and isinstance(entity_id, str):
            data = {**data, "actions": [readable_action(item, entity_id) for item in actions]}
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
