"""The turn engine: turn records, advancing through the initiative order, timeouts.

The original left turn-taking to its live server; here the store owns it, so
every writer (dashboard, simulator, game server) moves turns the same way and
a timed-out turn is recorded exactly once however many processes notice it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import peewee as pw

from store.core import StoreCore, load_json, turn_from_row
from store.errors import Conflict, InvalidInput
from store.limits import MAX_EVENT_DATA_BYTES, MAX_ID_LENGTH
from store.models import Interaction, TurnRecord
from store.validation import (
    TurnInput,
    check_integer,
    check_interaction_id,
    check_text,
    encode_json,
    parse,
    shown,
)

TURN_EVENTS = {"completed": "TURN_COMPLETED", "skipped": "TURN_SKIPPED", "timeout": "TURN_TIMEOUT"}
TURN_STATUSES = tuple(TURN_EVENTS)


def validate_turn(data: dict[str, Any], where: str = "") -> tuple[TurnInput, str]:
    """A turn record checked on its own: numbers from 1, end not before start, JSON actions."""
    if isinstance(data.get("actions"), tuple):
        data = {**data, "actions": list(data["actions"])}
    turn = parse(TurnInput, data, where=where)
    prefix = f"{where}." if where else ""
    if turn.end_time is not None and turn.end_time < turn.start_time:
        raise InvalidInput(f"{prefix}end_time: must not be before start_time")
    return turn, encode_json(turn.actions, f"{prefix}actions", MAX_EVENT_DATA_BYTES)


class TurnOperations(StoreCore):
    """record_turn, get_turn_records, advance_turn and expire_turn_timeouts."""

    def record_turn(
        self,
        interaction_id: int,
        entity_id: str,
        entity_type: str,
        turn_number: int,
        round_number: int,
        actions: Sequence[Any],
        start_time: int,
        status: str,
        end_time: int | None = None,
        user_id: str | None = None,
    ) -> TurnRecord:
        """Record a turn as given; the first record of a turn wins, a second is a Conflict."""
        check_interaction_id(interaction_id)
        turn, actions_json = validate_turn(
            {
                "entity_id": entity_id,
                "entity_type": entity_type,
                "turn_number": turn_number,
                "round_number": round_number,
                "actions": actions,
                "start_time": start_time,
                "status": status,
                "end_time": end_time,
                "user_id": user_id,
            }
        )

        def write() -> TurnRecord:
            interaction = self._fetch_writable(interaction_id)
            now = self._now()
            record = self._insert_turn(interaction.id, turn, actions_json)
            self._touch(interaction.id, now)
            return record

        return self._write(write)

    def get_turn_records(
        self, interaction_id: int, round_number: int | None = None
    ) -> list[TurnRecord]:
        """Turn records in play order: ascending by (round_number, turn_number)."""
        check_interaction_id(interaction_id)
        if round_number is not None:
            check_integer(round_number, "round_number")

        def read() -> list[TurnRecord]:
            self._fetch(interaction_id)
            return self._turn_records(interaction_id, round_number)

        return self._read_consistent(read)

    def advance_turn(
        self,
        interaction_id: int,
        status: str = "completed",
        actions: Sequence[Any] = (),
        user_id: str | None = None,
        *,
        expected_turn: tuple[int, int] | None = None,
    ) -> TurnRecord:
        """Record the current entity's turn and start the next one in initiative order.

        Passing the last entry completes the round. `expected_turn`, a
        (round_number, turn_number) pair, makes the call conditional: when the
        room has moved on (another writer advanced it, or the turn timed out)
        it is a Conflict instead of a second advance.
        """
        check_interaction_id(interaction_id)
        if status not in TURN_STATUSES:
            raise InvalidInput(
                f"status: must be one of {', '.join(TURN_STATUSES)}, got {shown(status)}"
            )
        if isinstance(actions, str | bytes) or not isinstance(actions, Sequence):
            raise InvalidInput("actions: must be a list")
        actions = list(actions)
        encode_json(actions, "actions", MAX_EVENT_DATA_BYTES)
        if user_id is not None:
            check_text(user_id, "user_id", MAX_ID_LENGTH)
        expected = _check_expected_turn(expected_turn)

        def write() -> TurnRecord:
            interaction = self._fetch_writable(interaction_id)
            self._require_status(interaction, ("live",), "advance the turn")
            if expected is not None and expected != (
                interaction.round_number,
                interaction.turn_number,
            ):
                raise Conflict(
                    f"the turn has moved on: interaction {interaction.id} is at round "
                    f"{interaction.round_number} turn {interaction.turn_number}, not round "
                    f"{expected[0]} turn {expected[1]}"
                )
            return self._finish_turn(interaction, self._now(), status, actions, user_id)

        return self._write(write)

    def expire_turn_timeouts(self) -> list[TurnRecord]:
        """Record every overdue turn of a live interaction as "timeout" and advance it once.

        Runs in one write transaction and re-reads each room under the lock, so
        when several processes call it at the same moment each expired turn is
        recorded exactly once. Where rows are locked one by one (PostgreSQL), a
        room another writer holds is skipped: that writer, or the next sweep,
        deals with it.
        """

        def write() -> list[TurnRecord]:
            now = self._now()
            table = self._tables.interactions
            overdue = self._engine.lock_rows(
                table.select(table.id)
                .where((table.status == "live") & (table.current_turn_timeout <= now))
                .order_by(table.current_turn_timeout, table.id),
                skip_locked=True,
            )
            records = []
            for (interaction_id,) in overdue.tuples():
                interaction = self._fetch(interaction_id, for_update=True)
                if interaction.status != "live" or interaction.current_turn_timeout is None:
                    continue
                if interaction.current_turn_timeout > now:
                    continue
                if interaction.current_entry is None:
                    self._update(interaction.id, now, current_turn_timeout=None)
                    self._log(
                        interaction,
                        now,
                        "TURN_TIMEOUT",
                        {
                            "round_number": interaction.round_number,
                            "turn_number": interaction.turn_number,
                            "entity_id": None,
                        },
                    )
                    continue
                records.append(self._finish_turn(interaction, now, "timeout", [], None))
            return records

        if not self._read(self._any_turn_overdue):
            return []  # the common case: no write lock taken, no writer kept waiting
        return self._write(write)

    def _any_turn_overdue(self) -> bool:
        table = self._tables.interactions
        now = self._now()
        return bool(
            table.select(table.id)
            .where((table.status == "live") & (table.current_turn_timeout <= now))
            .exists()
        )

    # -- the engine ------------------------------------------------------

    def _start_turn(
        self, interaction: Interaction, now: int, index: int, round_number: int, turn_number: int
    ) -> None:
        """Make `index` the current entity with a full time limit from now."""
        entry = interaction.initiative_order[index]
        limit = interaction.turn_time_limit
        timeout = now + limit * 1000 if limit else None
        self._update(
            interaction.id,
            now,
            current_initiative_index=index,
            round_number=round_number,
            turn_number=turn_number,
            turn_started_at=now,
            current_turn_timeout=timeout,
            paused_turn_remaining_ms=None,
        )
        self._log(
            interaction,
            now,
            "TURN_STARTED",
            {
                "round_number": round_number,
                "turn_number": turn_number,
                "entity_id": entry.entity_id,
                "entity_name": entry.name,
                "timeout": timeout,
            },
            user_id=entry.user_id,
            entity_id=entry.entity_id,
        )

    def _start_first_turn(self, interaction: Interaction, now: int) -> None:
        """Start round 1 turn 1 (or the next round) when an order exists and no turn runs."""
        if interaction.initiative_order and interaction.current_initiative_index is None:
            self._start_turn(interaction, now, 0, max(interaction.round_number, 0) + 1, 1)

    def _finish_turn(
        self,
        interaction: Interaction,
        now: int,
        status: str,
        actions: list[Any],
        user_id: str | None,
    ) -> TurnRecord:
        """Record the running turn (first record wins), log it, and start the next one."""
        entry = interaction.current_entry
        if entry is None:
            raise Conflict(
                f"interaction {interaction.id} has no turn running (no initiative order)"
            )
        record = self._existing_turn(
            interaction.id, interaction.round_number, interaction.turn_number
        )
        if record is None:
            started = interaction.turn_started_at or now
            turn = TurnInput.model_construct(
                entity_id=entry.entity_id,
                entity_type=entry.entity_type,
                turn_number=interaction.turn_number,
                round_number=interaction.round_number,
                actions=actions,
                start_time=started,
                end_time=max(now, started),
                status=status,
                user_id=user_id or entry.user_id,
            )
            record = self._insert_turn(interaction.id, turn, None)
        started = record.start_time
        self._log(
            interaction,
            now,
            TURN_EVENTS[record.status],
            {
                "round_number": record.round_number,
                "turn_number": record.turn_number,
                "entity_id": record.entity_id,
                "entity_name": entry.name,
                "turn_record_id": record.id,
                "duration_ms": max(0, now - started),
            },
            user_id=record.user_id,
            entity_id=record.entity_id,
        )
        index = interaction.current_initiative_index or 0
        if index + 1 < len(interaction.initiative_order):
            self._start_turn(
                interaction, now, index + 1, interaction.round_number, interaction.turn_number + 1
            )
        else:
            self._log(
                interaction, now, "ROUND_COMPLETED", {"round_number": interaction.round_number}
            )
            self._start_turn(interaction, now, 0, interaction.round_number + 1, 1)
        return record

    def _insert_turn(
        self, interaction_id: int, turn: TurnInput, actions_json: str | None
    ) -> TurnRecord:
        if self._existing_turn(interaction_id, turn.round_number, turn.turn_number) is not None:
            raise _already_recorded(interaction_id, turn)
        table = self._tables.turns
        values = turn.model_dump()
        values["actions"] = (
            actions_json
            if actions_json is not None
            else encode_json(values["actions"], "actions", MAX_EVENT_DATA_BYTES)
        )
        try:
            record_id = table.insert(interaction=interaction_id, **values).execute()
        except pw.IntegrityError:
            raise _already_recorded(interaction_id, turn) from None
        # The record as stored (tuples in the actions come back as lists), equal to a read.
        stored = {**values, "actions": load_json(values["actions"])}
        return TurnRecord(id=record_id, interaction_id=interaction_id, **stored)

    def _existing_turn(
        self, interaction_id: int, round_number: int, turn_number: int
    ) -> TurnRecord | None:
        table = self._tables.turns
        row = (
            table.select()
            .where(
                (table.interaction == interaction_id)
                & (table.round_number == round_number)
                & (table.turn_number == turn_number)
            )
            .dicts()
            .first()
        )
        return None if row is None else turn_from_row(row)

    def _turn_records(self, interaction_id: int, round_number: int | None) -> list[TurnRecord]:
        table = self._tables.turns
        query = table.select().where(table.interaction == interaction_id)
        if round_number is not None:
            query = query.where(table.round_number == round_number)
        query = query.order_by(table.round_number, table.turn_number)
        return [turn_from_row(row) for row in query.dicts()]


def _already_recorded(interaction_id: int, turn: TurnInput) -> Conflict:
    return Conflict(
        f"round {turn.round_number} turn {turn.turn_number} of interaction "
        f"{interaction_id} is already recorded (the first record wins)"
    )


def _check_expected_turn(value: object) -> tuple[int, int] | None:
    if value is None:
        return None
    if (
        not isinstance(value, tuple | list)
        or len(value) != 2
        or any(type(number) is not int for number in value)
    ):
        raise InvalidInput("expected_turn: must be a (round_number, turn_number) pair of integers")
    return (value[0], value[1])
