"""batch_state_operations: many writes to one interaction, all or nothing.

Everything that can be checked without the database is checked first, so a
malformed operation fails before the transaction starts; the rest runs in one
write transaction. Runs of consecutive log events are inserted together,
which is where a live server's bursts get their speed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import TypeAdapter, ValidationError

from store.core import PreEncoded
from store.errors import InvalidInput, StoreError
from store.events import (
    EventRow,
    check_chat_allowed,
    event_row,
    validate_event,
)
from store.lifecycle import LifecycleOperations
from store.limits import MAX_BATCH_OPERATIONS, MAX_SNAPSHOT_BYTES
from store.models import ON_FIRST_USE, BatchResult, Interaction
from store.turns import validate_turn
from store.validation import (
    LogEventInput,
    ParticipantsInput,
    SnapshotInput,
    check_interaction_id,
    check_participants,
    encode_json,
    parse,
    shown,
)

OPERATION_TYPES = ("save_snapshot", "log_event", "record_turn", "update_participants")

_LOG_EVENTS = TypeAdapter(list[LogEventInput], config=ON_FIRST_USE)
_LOGGED_RESULTS = TypeAdapter(list[BatchResult], config=ON_FIRST_USE)
"""A burst of log events' results in one pydantic call: a third of the cost of one by one."""


class BatchOperations(LifecycleOperations):
    """batch_state_operations."""

    def batch_state_operations(
        self, interaction_id: int, operations: Sequence[dict[str, Any]]
    ) -> list[BatchResult]:
        """Apply every operation or none; an error names the failing one as "operation N"."""
        check_interaction_id(interaction_id)
        if isinstance(operations, str | bytes) or not isinstance(operations, Sequence):
            raise InvalidInput("operations: must be a list of {type, data} objects")
        if len(operations) > MAX_BATCH_OPERATIONS:
            raise InvalidInput(f"operations: at most {MAX_BATCH_OPERATIONS} per batch")
        steps = _prepare_all(operations)

        def write() -> list[BatchResult]:
            interaction = self._fetch_writable(interaction_id)
            now = self._now()
            results: list[BatchResult] = []
            pending: list[EventRow] = []

            def flush() -> None:
                if pending:
                    ids = self._insert_events(interaction.id, now, pending)
                    logged = [{"type": "log_event", "id": entry_id} for entry_id in ids]
                    results.extend(_LOGGED_RESULTS.validate_python(logged))
                    pending.clear()

            for index, (kind, payload) in enumerate(steps):
                try:
                    if kind == "log_event":
                        event, row = payload
                        check_chat_allowed(interaction, event)
                        pending.append(row)
                        continue
                    flush()
                    results.append(self._apply(interaction, kind, payload, now))
                    interaction = self._fetch(interaction.id)
                except StoreError as error:
                    raise type(error)(f"operation {index} ({kind}): {error}") from None
            flush()
            if steps:
                self._touch(interaction.id, now)
            return results

        return self._write(write)

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


def _prepare_all(operations: Sequence[object]) -> list[tuple[str, Any]]:
    """Every operation validated, in order; the first invalid one raises, named by its index."""
    events = _log_events_checked_together(operations)
    steps = []
    for index, operation in enumerate(operations):
        if index in events:
            data, event = events[index]
            steps.append(("log_event", _prepare_event(data, f"operation {index}.data", event)))
        else:
            steps.append(_prepare(index, operation))
    return steps


def _log_events_checked_together(
    operations: Sequence[object],
) -> dict[int, tuple[dict[str, Any], LogEventInput]]:
    """The well-formed log_event operations' data and fields validated in one call, by index.

    A live server's batch is mostly log events, and one call for all of them
    costs a third less than one each. When any of them is invalid the result
    is empty and every operation is checked on its own, which names the one
    that failed.
    """
    candidates = [
        (index, operation["data"])
        for index, operation in enumerate(operations)
        if type(operation) is dict
        and len(operation) == 2
        and operation.get("type") == "log_event"
        and type(operation.get("data")) is dict
    ]
    try:
        checked = _LOG_EVENTS.validate_python([data for _, data in candidates])
    except ValidationError:
        return {}
    return {index: (data, event) for (index, data), event in zip(candidates, checked, strict=True)}


def _prepare(index: int, operation: object) -> tuple[str, Any]:
    """Validate one operation without the database: (type, what the write step needs)."""
    where = f"operation {index}"
    if not isinstance(operation, dict):
        raise InvalidInput(f"{where}: must be an object with 'type' and 'data'")
    kind = operation.get("type")
    data = operation.get("data")
    preparer = _PREPARERS.get(kind) if isinstance(kind, str) else None
    if preparer is None:
        raise InvalidInput(
            f"{where}.type: must be one of {', '.join(OPERATION_TYPES)}, got {shown(kind)}"
        )
    if not isinstance(data, dict):
        raise InvalidInput(f"{where}.data: must be an object")
    if len(operation) > 2:  # type and data are there: anything more is unknown
        extra = sorted(set(operation) - {"type", "data"})
        raise InvalidInput(f"{where}.{extra[0]}: unknown field")
    return kind, preparer(data, f"{where}.data")


def _prepare_event(
    data: dict[str, Any], where: str, checked: LogEventInput | None = None
) -> tuple[LogEventInput, EventRow]:
    event, encoded = validate_event(data, where, checked)
    return event, event_row(event, encoded)


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
    "log_event": _prepare_event,
    "save_snapshot": _prepare_snapshot,
    "record_turn": validate_turn,
    "update_participants": _prepare_participants,
}
"""Each operation type's check, by type; the keys are OPERATION_TYPES."""
