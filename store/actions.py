"""Typed turn actions at the store's boundary: checked once, stored as plain JSON.

advance_turn, record_turn and a batch's record_turn take TurnAction models
or dicts of the same fields; each is checked here, its parameters as
storable JSON, and every error names the action ("actions[2].target: ...").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from store import limits
from store.models import ActionType, TurnAction
from store.validation import Id, StrictInput, check_list, dump_json, encode_json, no_bad_text, parse

Description = Annotated[
    str, Field(max_length=limits.MAX_ACTION_DESCRIPTION_LENGTH), AfterValidator(no_bad_text)
]


class ActionInput(StrictInput):
    """A TurnAction as given: no unknown fields, ids not blank."""

    type: ActionType
    entity_id: Id | None = None
    target: Id | None = None
    item_id: Id | None = None
    spell_id: Id | None = None
    action_id: Id | None = None
    parameters: Any = None
    description: Description | None = None


def check_actions(
    value: object, field: str = "actions", entity_id: str | None = None
) -> tuple[TurnAction, ...]:
    """The actions of a turn, each a TurnAction (dicts are accepted), their JSON bounded.

    `entity_id`, when known, fills the actions that name no actor; advance_turn
    learns whose turn it is only under the write lock (fill_actor does it then).
    """
    checked = []
    for index, raw in enumerate(check_list(value, field, "actions")):
        where = f"{field}[{index}]"
        given = raw.model_dump() if isinstance(raw, TurnAction) else raw
        action = parse(ActionInput, given, where=where)
        encode_json(action.parameters, f"{where}.parameters", limits.MAX_EVENT_DATA_BYTES)
        fields = action.model_dump()
        if fields["entity_id"] is None and entity_id is not None:
            fields["entity_id"] = entity_id
        checked.append(TurnAction.model_validate(fields))
    actions = tuple(checked)
    encode_json(_dumped(actions), field, limits.MAX_EVENT_DATA_BYTES)
    return actions


def actions_json(actions: Sequence[TurnAction], entity_id: str) -> str:
    """The actions as stored, those naming no actor given `entity_id` (whose turn it is)."""
    if not actions:
        return "[]"
    return dump_json(_dumped(fill_actor(actions, entity_id)))


def fill_actor(actions: Sequence[TurnAction], entity_id: str) -> list[TurnAction]:
    """The actions with `entity_id` as the actor of those that name none."""
    return [
        action
        if action.entity_id is not None
        else action.model_copy(update={"entity_id": entity_id})
        for action in actions
    ]


def _dumped(actions: Sequence[TurnAction]) -> list[dict[str, Any]]:
    return [action.model_dump() for action in actions]
