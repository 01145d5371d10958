"""batch_state_operations: many writes to one interaction, all or nothing.

Everything that can be checked without the database is checked first, so a
malformed operation fails before the transaction starts; the rest runs in one
write transaction. Runs of consecutive log events are checked together and
inserted together, which is where a live server's bursts get their speed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from pydantic import TypeAdapter

from store.core import PreEncoded, writes
from store.errors import InvalidInput, StoreError
from store.event_input import PreparedEvent, check_chat_allowed, prepare_event, prepare_events
from store.limits import MAX_BATCH_OPERATIONS, MAX_SNAPSHOT_BYTES
from store.models import ON_FIRST_USE, BatchResult, Interaction
from store.room import RoomOperations
from store.turns import TurnOperations, validate_turn
from store.validation import (
    ParticipantsInput,
    SnapshotInput,
    check_choice,
    check_interaction_id,
    check_list,
    check_participants,
    encode_json,
    parse,
)

OPERATION_TYPES = ("save_snapshot", "log_event", "record_turn", "update_participants")

_LOGGED_RESULTS = TypeAdapter(list[BatchResult], config=ON_FIRST_USE)
"""A run of log events' results in one pydantic call, cheaper than one call each."""


class _EventRun(NamedTuple):
    """Consecutive log_event operations, from operation `first` on: written in one insert."""

    first: int
    events: list[PreparedEvent]


class _Operation(NamedTuple):
    """Any other operation: its index, its type, and what its write needs."""

    index: int
    kind: str
    payload: Any


class BatchOperations(TurnOperations, RoomOperations):
    """batch_state_operations."""

    @writes
    def batch_state_operations(
        self, interaction_id: int, operations: Sequence[dict[str, Any]]
    ) -> list[BatchResult]:
        """Apply every operation or none; an error names the failing one as "operation N"."""
        check_interaction_id(interaction_id)
        given = check_list(operations, "operations", "operations", MAX_BATCH_OPERATIONS)
        steps = _prepare_all(given)

        def write() -> list[BatchResult]:
            interaction = self._fetch_writable(interaction_id)
            now = self._now()
            results: list[BatchResult] = []
            for step in steps:
                if isinstance(step, _EventRun):
                    results.extend(self._log_run(interaction, now, step))
                    continue
                try:
                    results.append(self._apply(interaction, step.kind, step.payload, now))
                except StoreError as error:
                    raise _named(error, step.index, step.kind) from None
                interaction = self._fetch(interaction.id)
            if steps:
                self._touch(interaction.id, now)
            return results

        return self._write(write)

    def _log_run(self, interaction: Interaction, now: int, run: _EventRun) -> list[BatchResult]:
        """Insert a run of log events once the chat rules allow each of its chat messages.

        No operation of a batch changes the chat settings: those read at its start hold
        for all of it.
        """
        for offset, event in enumerate(run.events):
            if event.chat_channel is not None:
                try:
                    check_chat_allowed(interaction, event.chat_channel)
                except StoreError as error:
                    raise _named(error, run.first + offset, "log_event") from None
        ids = self._insert_events(interaction.id, now, [event.row for event in run.events])
        return _LOGGED_RESULTS.validate_python([{"type": "log_event", "id": id_} for id_ in ids])

    def _apply(self, interaction: Interaction, kind: str, payload: Any, now: int) -> BatchResult:
        """One operation other than log_event, inside the batch's transaction."""
        if kind == "save_snapshot":
            state, participants = payload
            self._save_snapshot(interaction, now, state, participants)
            return BatchResult(type=kind)
        if kind == "record_turn":
            turn, actions_json = payload
            return BatchResult(
                type=kind, id=self._insert_turn(interaction.id, turn, actions_json).id
            )
        self._set_participants(interaction, now, payload)
        return BatchResult(type=kind)


def _named(error: StoreError, index: int, kind: str) -> StoreError:
    """The same error, naming the operation it came from."""
    return type(error)(f"operation {index} ({kind}): {error}")


def _prepare_all(operations: Sequence[object]) -> list[_EventRun | _Operation]:
    """Every operation validated, in order; the first invalid one raises, named by its index."""
    events = _log_events_checked_together(operations)
    if len(events) == len(operations):  # a burst of log events: the common case
        return [_EventRun(0, list(events.values()))] if events else []
    steps: list[_EventRun | _Operation] = []
    for index, operation in enumerate(operations):
        event = events.get(index)
        if event is None:
            step = _prepare(index, operation)
            if step.kind != "log_event":
                steps.append(step)
                continue
            event = step.payload
        if not steps or not isinstance(steps[-1], _EventRun):
            steps.append(_EventRun(index, []))
        steps[-1].events.append(event)
    return steps


def _log_events_checked_together(operations: Sequence[object]) -> dict[int, PreparedEvent]:
    """The well-formed log_event operations checked in one go, by index.

    A live server's batch is mostly log events. When any of them is invalid
    the result is empty, and every operation is checked on its own, which
    names the one that failed.
    """
    indexes = []
    events = []
    for index, operation in enumerate(operations):
        if (
            type(operation) is dict
            and len(operation) == 2
            and operation.get("type") == "log_event"
            and type(operation.get("data")) is dict
        ):
            indexes.append(index)
            events.append(operation["data"])
    prepared = prepare_events(events)
    return {} if prepared is None else dict(zip(indexes, prepared, strict=True))


def _prepare(index: int, operation: object) -> _Operation:
    """Validate one operation without the database: its type, and what its write needs."""
    where = f"operation {index}"
    if not isinstance(operation, dict):
        raise InvalidInput(f"{where}: must be an object with 'type' and 'data'")
    kind = check_choice(operation.get("type"), f"{where}.type", OPERATION_TYPES)
    data = operation.get("data")
    if not isinstance(data, dict):
        raise InvalidInput(f"{where}.data: must be an object")
    if len(operation) > 2:  # type and data are there: anything more is unknown
        extra = sorted(set(operation) - {"type", "data"})
        raise InvalidInput(f"{where}.{extra[0]}: unknown field")
    return _Operation(index, kind, _PREPARERS[kind](data, f"{where}.data"))


def _prepare_snapshot(data: dict[str, Any], where: str) -> tuple[PreEncoded, list[str] | None]:
    snapshot = parse(SnapshotInput, data, where=where)
    state = PreEncoded(
        encode_json(snapshot.state_snapshot, f"{where}.state_snapshot", MAX_SNAPSHOT_BYTES)
    )
    participants = (
        None
        if snapshot.connected_participants is None
        else check_participants(snapshot.connected_participants, f"{where}.connected_participants")
    )
    return state, participants


def _prepare_participants(data: dict[str, Any], where: str) -> list[str]:
    return check_participants(
        parse(ParticipantsInput, data, where=where).participants, f"{where}.participants"
    )


_PREPARERS: dict[str, Callable[[dict[str, Any], str], Any]] = {
    "log_event": prepare_event,
    "save_snapshot": _prepare_snapshot,
    "record_turn": validate_turn,
    "update_participants": _prepare_participants,
}
"""Each operation type's check, by type; the keys are OPERATION_TYPES."""
