"""The turn engine: turn records, advancing through the initiative order, timeouts.

The store owns turn-taking, so every writer (dashboard, simulator, game
server) moves turns the same way and a timed-out turn is recorded exactly once
however many processes notice it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import peewee as pw
from pydantic import TypeAdapter

from store import passing
from store.actions import actions_json, check_actions
from store.core import LogRow, StoreCore, load_json, turn_from_row, writes
from store.errors import Conflict, InvalidInput
from store.limits import MAX_ID_LENGTH, MAX_INITIATIVE_ENTRIES
from store.models import (
    ON_FIRST_USE,
    PASSED_OVER_TYPES,
    InitiativeEntry,
    Interaction,
    TurnAction,
    TurnRecord,
)
from store.validation import (
    TurnInput,
    check_choice,
    check_integer,
    check_interaction_id,
    check_text,
    dump_json,
    parse,
)
from store.vitals import Tick

TURN_EVENTS = {"completed": "TURN_COMPLETED", "skipped": "TURN_SKIPPED", "timeout": "TURN_TIMEOUT"}
TURN_STATUSES = tuple(TURN_EVENTS)
_STORED_RECORDS = TypeAdapter(list[TurnRecord], config=ON_FIRST_USE)
"""A sweep's new turn records in one pydantic call rather than one each."""
_ORDER = TypeAdapter(list[InitiativeEntry], config=ON_FIRST_USE)
DOWN = "down"
"""The reason of a turn the engine passed over: its monster or npc was at 0 hit points."""

TURN_COLUMNS = (
    "interaction_id",
    "entity_id",
    "entity_type",
    "turn_number",
    "round_number",
    "actions",
    "start_time",
    "end_time",
    "status",
    "user_id",
    "duration_ms",
    "reason",
    "ticked_conditions",
)


class _Actor(NamedTuple):
    """What a turn's start and end record of the entity whose turn it is."""

    entity_id: str
    entity_type: str
    name: str
    user_id: str | None
    passed_over: bool = False
    """A downed monster or npc: the turn engine passes over its turn."""
    ticking: bool = False
    """It holds a condition with rounds left: the end of its turn changes the order."""

    @classmethod
    def of(cls, entry: InitiativeEntry) -> _Actor:
        ticking = any(condition.rounds_left is not None for condition in entry.conditions)
        return cls(
            entry.entity_id,
            entry.entity_type,
            entry.name,
            entry.user_id,
            entry.passed_over,
            ticking,
        )

    @classmethod
    def from_json(cls, text: str) -> _Actor:
        """An entry of a stored order (checked when it was written): parsed, not validated,
        since a sweep reads two for each of many rooms."""
        entry = json.loads(text)
        kind = entry["entity_type"]
        conditions = entry.get("conditions") or ()
        return cls(
            entry["entity_id"],
            kind,
            entry["name"],
            entry.get("user_id"),
            entry.get("current_hp") == 0 and kind in PASSED_OVER_TYPES,
            any(condition.get("rounds_left") is not None for condition in conditions),
        )


@dataclass(frozen=True, slots=True)
class _RunningTurn:
    """What ending a room's turn needs to know of the room, and no more.

    A timeout sweep reads these straight from rows for many rooms at a time,
    rather than a whole Interaction each; of the initiative order it holds
    only what a turn's end reads.
    """

    id: int
    live_room_id: str | None
    entry: _Actor
    """Whose turn it is."""
    following: _Actor
    """Whose turn comes next: the next entry, or the first when this turn ends the round."""
    ends_round: bool
    current_initiative_index: int
    round_number: int
    turn_number: int
    turn_started_at: int | None
    turn_time_limit: int
    current_turn_timeout: int | None
    turn_paused_ms: int
    """Time the turn spent paused: not part of its duration."""

    def duration(self, status: str, now: int) -> int:
        """How long the turn lasts if it ends now: its active time, and a timeout its limit.

        A timeout's limit is the time its deadline gave it (deadline - start -
        paused time), which is turn_time_limit as the turn began: a pause
        keeps it (one after the deadline counts from the deadline, see
        lifecycle's _stopped_clock) and a sweep that runs late does not
        lengthen it. A timeout called before the deadline lasts what it
        lasted: no duration is longer than the turn's span. Without a
        deadline (an untimed room) a timeout lasts its active time.
        """
        started = self.turn_started_at or now
        active = max(0, now - started - self.turn_paused_ms)
        if status == "timeout" and self.current_turn_timeout is not None:
            return min(active, max(0, self.current_turn_timeout - started - self.turn_paused_ms))
        return active

    @classmethod
    def of(cls, interaction: Interaction, now: int | None = None) -> _RunningTurn | None:
        """The interaction's running turn; None when no entity's turn is running.

        In a paused room (given `now`) the pause so far counts as paused time.
        """
        entry = interaction.current_entry
        if entry is None:
            return None
        order = interaction.initiative_order
        index = interaction.current_initiative_index or 0
        return cls(
            interaction.id,
            interaction.live_room_id,
            _Actor.of(entry),
            _Actor.of(order[(index + 1) % len(order)]),
            index + 1 == len(order),
            index,
            interaction.round_number,
            interaction.turn_number,
            interaction.turn_started_at,
            interaction.turn_time_limit,
            interaction.current_turn_timeout,
            interaction.turn_paused_ms + _paused_so_far(interaction, now),
        )


@dataclass(frozen=True, slots=True)
class _TurnEnding:
    """A room's running turn that ends now: how, with what actions, by whom."""

    turn: _RunningTurn
    status: str
    actions: tuple[TurnAction, ...] = ()
    """The actions, checked by the caller before the write lock; those naming no actor are
    given the entity whose turn it is when stored."""
    user_id: str | None = None


def validate_turn(data: dict[str, Any], where: str = "") -> tuple[TurnInput, str]:
    """A turn record checked on its own: numbers from 1, end not before start, typed actions
    (those naming no actor are the turn's entity's), as the JSON to store."""
    given = data.get("actions", ())
    turn = parse(TurnInput, {**data, "actions": []}, where=where)
    prefix = f"{where}." if where else ""
    if turn.end_time is not None and turn.end_time < turn.start_time:
        raise InvalidInput(f"{prefix}end_time: must not be before start_time")
    actions = check_actions(given, f"{prefix}actions", turn.entity_id)
    return turn, actions_json(actions, turn.entity_id)


class TurnOperations(StoreCore):
    """record_turn, get_turn_records, advance_turn and expire_turn_timeouts."""

    @writes
    def record_turn(
        self,
        interaction_id: int,
        entity_id: str,
        entity_type: str,
        turn_number: int,
        round_number: int,
        actions: Sequence[TurnAction | dict[str, Any]],
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

    @writes
    def advance_turn(
        self,
        interaction_id: int,
        status: str = "completed",
        actions: Sequence[TurnAction | dict[str, Any]] = (),
        user_id: str | None = None,
        *,
        expected_turn: tuple[int, int] | None = None,
    ) -> TurnRecord:
        """Record the current entity's turn and start the next one in initiative order.

        `actions` are TurnActions or dicts of their fields; those naming no
        entity_id are the current entity's. Passing the last entry completes
        the round. The ending combatant's conditions tick (those at their last
        round end), and downed monsters and npcs next in line are passed over:
        each recorded as skipped (reason "down"), in the same call. `expected_turn`, a
        (round_number, turn_number) pair, makes the call conditional: when the
        room has moved on (another writer advanced it, or the turn timed out)
        it is a Conflict instead of a second advance.
        """
        check_interaction_id(interaction_id)
        check_choice(status, "status", TURN_STATUSES)
        checked = check_actions(actions)
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
            turn = _RunningTurn.of(interaction)
            if turn is None:
                raise Conflict(
                    f"interaction {interaction.id} has no turn running (no initiative order)"
                )
            ending = _TurnEnding(turn, status, checked, user_id)
            [record] = self._finish_turns([ending], self._now())
            return record

        return self._write(write)

    @writes
    def expire_turn_timeouts(self) -> list[TurnRecord]:
        """Record every overdue turn of a live interaction as "timeout" and advance it once.

        Each ends as advance_turn's would (conditions tick, the downed are
        passed over); the timeout records are returned, not the pass-overs.

        Runs in one write transaction and re-reads each room under the lock, so
        when several processes call it at the same moment each expired turn is
        recorded exactly once. Where rows are locked one by one (PostgreSQL), a
        room another writer holds is skipped: that writer, or the next sweep,
        deals with it.
        """
        table = self._tables.interactions

        def overdue_at(now: int) -> pw.Expression:
            return (table.status == "live") & (table.current_turn_timeout <= now)

        def write() -> list[TurnRecord]:
            now = self._now()
            query = (
                table.select(
                    table.id,
                    table.live_room_id,
                    *self._turn_entries(),
                    table.current_initiative_index,
                    table.round_number,
                    table.turn_number,
                    table.turn_started_at,
                    table.turn_time_limit,
                    table.current_turn_timeout,
                    table.turn_paused_ms,
                )
                .where(overdue_at(now))
                .order_by(table.current_turn_timeout, table.id)
            )
            # Under SQLite's write lock, or each row locked (PostgreSQL re-checks the
            # condition on rows another writer changed): every room here is still overdue.
            endings = []
            # Plain tuples from the driver: Peewee's row handling would double the read.
            overdue = self._db.execute(self._engine.lock_rows(query, skip_locked=True))
            for row in overdue.fetchall():
                turn = _running_turn_from_row(row)
                if turn is None:
                    self._stop_orderless_timer(self._fetch(row[0]), now)
                else:
                    endings.append(_TurnEnding(turn, "timeout"))
            return self._finish_turns(endings, now)

        if not self._any_interaction(overdue_at(self._now())):
            return []
        return self._write(write)

    def _turn_entries(self) -> list[pw.Node]:
        """The entries a turn's end reads, as JSON text: whose turn it is, whose comes next,
        and whether the round ends (no entry after the current one).

        Read by the database rather than by parsing each room's whole order.
        An index no order can reach (an import of hand-edited data can store
        one) reads as no one's turn, like one past the order's end: it must not
        make a JSON path SQLite refuses, or overflow PostgreSQL's INTEGER, and
        fail the sweep of every room.
        """
        table = self._tables.interactions
        order, index = table.initiative_order, table.current_initiative_index
        reachable = index.between(0, MAX_INITIATIVE_ENTRIES - 1)
        element = self._engine.json_element
        after = pw.Case(None, [(reachable, element(order, index + 1))])
        return [
            pw.Case(None, [(reachable, element(order, index))]),
            pw.fn.COALESCE(after, element(order, pw.SQL("0"))),
            after.is_null(),
        ]

    # -- the engine ------------------------------------------------------

    def _start_turn(
        self, interaction: Interaction, now: int, index: int, round_number: int, turn_number: int
    ) -> None:
        """Make `index` the current entity with a full time limit from now (from the resume,
        in a paused room), passing over the downed first."""
        begun = self._begin(interaction, now, index, round_number, turn_number)
        self._update(interaction.id, now, **begun.columns)
        self._insert_log_rows([*begun.passed, begun.started])

    def _begin(
        self, interaction: Interaction, now: int, index: int, round_number: int, turn_number: int
    ) -> _Begun:
        """What starts the turn at `index` (round, turn): downed monsters and npcs from there
        on are passed over first (recorded now, as skipped with reason "down").

        Returns the room columns (the order too when a pass-over ticked
        conditions) and the events to log; the caller writes them.
        """
        order = list(interaction.initiative_order)
        start = passing.pass_over(order, index, round_number, turn_number)
        events: list[LogRow] = []
        columns: dict[str, Any] = {}
        if start.passes:
            rows = [_pass_row(interaction.id, passed, now) for passed in start.passes]
            self._insert_records(rows)
            for passed in start.passes:
                events.extend(self._pass_events(interaction, passed, now))
            if any(passed.tick is not None for passed in start.passes):
                columns["initiative_order"] = order
        entry = order[start.index]
        started, event = self._turn_start(
            interaction, now, _Actor.of(entry), start.index, start.round_number, start.turn_number
        )
        columns.update(started)
        return _Begun(columns, events, event, entry, start.round_number, start.turn_number)

    def _pass_events(
        self, room: Interaction | _RunningTurn, passed: passing.PassOver, now: int
    ) -> list[LogRow]:
        """TURN_SKIPPED (reason "down") of a pass-over, its ended conditions, and the end of the
        round when it was the round's last turn."""
        entry = passed.entry
        events = [
            self._log_row(
                room,
                now,
                "TURN_SKIPPED",
                {"reason": DOWN},
                user_id=entry.user_id,
                entity_id=entry.entity_id,
            )
        ]
        events.extend(
            self._ended_events(room, passed.tick, passed.round_number, passed.turn_number, now)
        )
        if passed.ends_round:
            events.append(
                self._log_row(room, now, "ROUND_COMPLETED", {"round_number": passed.round_number})
            )
        return events

    def _ended_events(
        self,
        room: Interaction | _RunningTurn,
        tick: Tick | None,
        round_number: int,
        turn_number: int,
        now: int,
    ) -> list[LogRow]:
        """CONDITION_ENDED for each condition whose last round the turn (round, turn) was."""
        if tick is None:
            return []
        return [
            self._log_row(
                room,
                now,
                "CONDITION_ENDED",
                {
                    "entity_id": tick.entity_id,
                    "name": condition.name,
                    "round_number": round_number,
                    "turn_number": turn_number,
                },
                entity_id=tick.entity_id,
            )
            for condition in tick.ended
        ]

    def _turn_start(
        self,
        interaction: Interaction | _RunningTurn,
        now: int,
        entry: _Actor,
        index: int,
        round_number: int,
        turn_number: int,
    ) -> tuple[dict[str, Any], LogRow]:
        """The room columns and the TURN_STARTED event that start `entry`'s turn (at `index`).

        In a paused room the turn starts paused: its full limit waits for the
        resume, and the time until then is not part of its duration.
        """
        limit = interaction.turn_time_limit
        paused = isinstance(interaction, Interaction) and interaction.status == "paused"
        timeout = now + limit * 1000 if limit and not paused else None
        columns = {
            "current_initiative_index": index,
            "round_number": round_number,
            "turn_number": turn_number,
            "turn_started_at": now,
            "current_turn_timeout": timeout,
            "paused_turn_remaining_ms": limit * 1000 if limit and paused else None,
            "turn_paused_ms": 0,
            "turn_paused_at": now if paused else None,
        }
        event = self._log_row(
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
        return columns, event

    def _start_first_turn(self, interaction: Interaction, now: int) -> None:
        """Start round 1 turn 1 (or the next round) when an order exists and no turn runs."""
        if interaction.initiative_order and interaction.current_initiative_index is None:
            self._start_turn(interaction, now, 0, max(interaction.round_number, 0) + 1, 1)

    def _stop_orderless_timer(self, interaction: Interaction, now: int) -> None:
        """A timer ran out in a room with no one to act (its order was emptied): stop it."""
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

    def _finish_turns(self, endings: list[_TurnEnding], now: int) -> list[TurnRecord]:
        """Record each room's running turn (first record wins), log it, start the next one.

        The same few statements for one room (advance_turn) or a thousand (a
        timeout sweep): the turn records in one INSERT, every event in one
        multi-row INSERT, the rooms in one executemany per set of columns.
        A room whose ending combatant holds conditions with rounds left, or
        whose next combatant is down, reads its whole order (one query for
        all of them) to tick and pass over; the others need only the two
        entries the turn already holds. Every room has a current entry; callers check.
        """
        orders = self._orders_of(
            [e.turn.id for e in endings if e.turn.entry.ticking or e.turn.following.passed_over]
        )
        afters: list[passing.AfterTurn | None] = []
        for ending in endings:
            turn = ending.turn
            order = orders.get(turn.id)
            afters.append(
                None
                if order is None
                else passing.after_turn(
                    order, turn.current_initiative_index, turn.round_number, turn.turn_number
                )
            )
        rows = [
            _ending_row(ending, now, None if after is None else after.tick)
            for ending, after in zip(endings, afters, strict=True)
        ]
        for ending, after in zip(endings, afters, strict=True):
            if after is not None:
                rows.extend(_pass_row(ending.turn.id, passed, now) for passed in after.start.passes)
        records = self._insert_records(rows)[: len(endings)]
        events: list[LogRow] = []
        changes: list[tuple[int, dict[str, Any]]] = []
        for ending, record, after in zip(endings, records, afters, strict=True):
            turn = ending.turn
            events.append(
                self._log_row(
                    turn,
                    now,
                    TURN_EVENTS[record.status],
                    {
                        "round_number": record.round_number,
                        "turn_number": record.turn_number,
                        "entity_id": record.entity_id,
                        "entity_name": turn.entry.name,
                        "turn_record_id": record.id,
                        "duration_ms": record.duration_ms,
                    },
                    user_id=record.user_id,
                    entity_id=record.entity_id,
                )
            )
            extra: dict[str, Any] = {}
            if after is None:
                following = turn.following
                position = (
                    turn.current_initiative_index + 1,
                    turn.round_number,
                    turn.turn_number + 1,
                )
                ends_round = turn.ends_round
            else:
                events.extend(
                    self._ended_events(turn, after.tick, turn.round_number, turn.turn_number, now)
                )
                start = after.start
                following = _Actor.of(after.order[start.index])
                position = (start.index, start.round_number, start.turn_number)
                ends_round = after.ends_round
                if after.order_changed:
                    extra["initiative_order"] = after.order
            if ends_round:
                events.append(
                    self._log_row(turn, now, "ROUND_COMPLETED", {"round_number": turn.round_number})
                )
                if after is None:
                    position = (0, turn.round_number + 1, 1)
            if after is not None:
                for passed in after.start.passes:
                    events.extend(self._pass_events(turn, passed, now))
            columns, started = self._turn_start(turn, now, following, *position)
            events.append(started)
            changes.append((turn.id, {**columns, **extra}))
        self._insert_log_rows(events)
        by_columns: dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]] = {}
        for room, columns in changes:
            by_columns.setdefault(tuple(columns), []).append((room, columns))
        for group in by_columns.values():
            self._update_each(now, group)
        return records

    def _orders_of(self, interaction_ids: list[int]) -> dict[int, list[InitiativeEntry]]:
        """The whole initiative orders of some rooms, in one query."""
        if not interaction_ids:
            return {}
        table = self._tables.interactions
        query = table.select(table.id, table.initiative_order).where(table.id.in_(interaction_ids))
        return {
            room: _ORDER.validate_python(load_json(order) or [])
            for room, order in self._db.execute(query).fetchall()
        }

    def _record_running_turns(self, endings: list[_TurnEnding], now: int) -> list[TurnRecord]:
        """Each room's record of its running turn (nothing ticks): inserted now, or the one
        already there."""
        return self._insert_records([_ending_row(ending, now, None) for ending in endings])

    def _insert_records(self, rows: list[tuple[Any, ...]]) -> list[TurnRecord]:
        """Turn records of rows in TURN_COLUMNS order, in one INSERT: each the new record, or
        the one recorded already for its (room, round, turn): the first record wins."""
        inserted = self._insert_turn_rows(rows)
        new_records = iter(
            _STORED_RECORDS.validate_python(
                [_stored_fields(inserted[_key(row)], row) for row in rows if _key(row) in inserted]
            )
        )
        records = []
        for row in rows:
            room, round_number, turn_number = _key(row)
            if _key(row) not in inserted:  # recorded already (record_turn): the first record wins
                existing = self._existing_turn(room, round_number, turn_number)
                if existing is None:
                    raise Conflict(f"the turn record of interaction {room} could not be written")
                records.append(existing)
            else:
                records.append(next(new_records))
        return records

    def _insert_turn(self, interaction_id: int, turn: TurnInput, actions_json: str) -> TurnRecord:
        """Insert a turn record as given; a Conflict when that turn is recorded already."""
        values = turn.model_dump()
        values["actions"] = actions_json
        end = values["end_time"]
        values["duration_ms"] = None if end is None else end - values["start_time"]
        values["reason"] = values["ticked_conditions"] = None
        row = (interaction_id, *(values[column] for column in TURN_COLUMNS[1:]))
        inserted = self._insert_turn_rows([row])
        if _key(row) not in inserted:
            raise _already_recorded(interaction_id, turn)
        return TurnRecord.model_validate(_stored_fields(inserted[_key(row)], row))

    def _insert_turn_rows(self, rows: list[tuple[Any, ...]]) -> dict[tuple[int, int, int], int]:
        """Insert rows in TURN_COLUMNS order; the new ids by (interaction, round, turn). A turn
        recorded already is left as it is, and out of the result."""
        returned = self._insert_returning(
            self._tables.turns,
            TURN_COLUMNS,
            rows,
            ("interaction_id", "round_number", "turn_number", "id"),
            skip_conflicts=True,
        )
        return {(room, round_number, turn): id_ for room, round_number, turn, id_ in returned}

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


def _paused_so_far(interaction: Interaction, now: int | None) -> int:
    """How long a paused room's turn has been paused until `now` (0 when it is not paused)."""
    paused_at = interaction.turn_paused_at
    if now is None or paused_at is None or interaction.status != "paused":
        return 0
    return max(0, now - paused_at)


def _stored_fields(record_id: int, row: tuple[Any, ...]) -> dict[str, Any]:
    """A new record's fields as a read returns them (tuples inside the actions come back as
    lists)."""
    fields = dict(zip(TURN_COLUMNS, row, strict=True))
    fields["id"] = record_id
    fields["actions"] = load_json(fields["actions"])
    del fields["ticked_conditions"]
    return fields


def _key(row: tuple[Any, ...]) -> tuple[int, int, int]:
    """(interaction, round, turn) of a row in TURN_COLUMNS order: one record each."""
    return (row[0], row[4], row[3])


def _ending_row(ending: _TurnEnding, now: int, tick: Tick | None) -> tuple[Any, ...]:
    """The record of a running turn that ends now, in TURN_COLUMNS order."""
    turn, entry = ending.turn, ending.turn.entry
    started = turn.turn_started_at or now
    return (
        turn.id,
        entry.entity_id,
        entry.entity_type,
        turn.turn_number,
        turn.round_number,
        actions_json(ending.actions, entry.entity_id),
        started,
        max(now, started),
        ending.status,
        ending.user_id or entry.user_id,
        turn.duration(ending.status, now),
        None,
        _ticked_json(tick),
    )


def _pass_row(room: int, passed: passing.PassOver, now: int) -> tuple[Any, ...]:
    """The record of a turn passed over (skipped, reason "down"), in TURN_COLUMNS order."""
    entry = passed.entry
    return (
        room,
        entry.entity_id,
        entry.entity_type,
        passed.turn_number,
        passed.round_number,
        "[]",
        now,
        now,
        "skipped",
        entry.user_id,
        0,
        DOWN,
        _ticked_json(passed.tick),
    )


def _ticked_json(tick: Tick | None) -> str | None:
    """What a record keeps of its bearer's conditions before they ticked (all of them, in
    order), for undo_turn to put back."""
    if tick is None:
        return None
    return dump_json([condition.model_dump() for condition in tick.before])


@dataclass(frozen=True, slots=True)
class _Begun:
    """A turn about to start, as _begin works it out: what to write and who starts."""

    columns: dict[str, Any]
    passed: list[LogRow]
    """The pass-overs' events, in order."""
    started: LogRow
    """TURN_STARTED of the turn that starts."""
    entry: InitiativeEntry
    round_number: int
    turn_number: int


def _running_turn_from_row(row: tuple[Any, ...]) -> _RunningTurn | None:
    """A running turn from the sweep's columns; None when the index points at no one."""
    room, session, current, following, ends_round, *timing = row
    if current is None:
        return None
    return _RunningTurn(
        room,
        session,
        _Actor.from_json(current),
        _Actor.from_json(following),
        bool(ends_round),
        *timing,  # index, round and turn numbers, start, limit, timeout, paused ms
    )


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
