"""Combatants and the running fight: add, remove, update, move, roll, delay and undo.

A game master builds and corrects a fight through these, from an empty store
to its end. Each returns the updated Interaction, writes nothing when it
fails, and logs what changed. While a turn runs, the combatant whose turn it
is keeps it whatever moves around it, and turn_number only ever counts turns
taken in the round, so no change here makes a (round, turn) repeat.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from store import initiative, vitals
from store.core import load_json, turn_from_row, writes
from store.errors import Conflict, InvalidInput, NotFound
from store.limits import MAX_HIT_POINTS, MAX_ID_LENGTH, MAX_INITIATIVE_ENTRIES
from store.models import RUNNING_STATUSES, Condition, InitiativeEntry, Interaction, TurnRecord
from store.turns import DOWN, TurnOperations, _Actor, _RunningTurn, _TurnEnding
from store.validation import (
    check_entry,
    check_integer,
    check_interaction_id,
    check_list,
    check_text,
)

EDITABLE_FIELDS = (
    "name",
    "entity_type",
    "initiative_roll",
    "dexterity_modifier",
    "user_id",
    "max_hp",
    "current_hp",
    "temp_hp",
    "armor_class",
    "conditions",
    "hidden",
)
"""What update_combatant changes."""

_SAMPLE_ENTRY = {
    "entity_id": "sample",
    "entity_type": "monster",
    "name": "Sample",
    "max_hp": MAX_HIT_POINTS,
}
"""A valid entry the given fields are checked against before the transaction (with room for
any current_hp: how the hit points hold together is checked against the real combatant)."""

_NO_TURN = {
    "current_initiative_index": None,
    "turn_started_at": None,
    "current_turn_timeout": None,
    "paused_turn_remaining_ms": None,
    "turn_paused_ms": 0,
    "turn_paused_at": None,
}
"""The turn columns of a fight with no one left to act."""


class CombatantOperations(TurnOperations):
    """add_combatant, remove_combatant, update_combatant, move_combatant, roll_initiative,
    delay_turn and undo_turn."""

    @writes
    def add_combatant(
        self,
        interaction_id: int,
        entry: InitiativeEntry | dict[str, Any],
        *,
        position: int | None = None,
    ) -> Interaction:
        """Add a combatant where its initiative sorts it (unrolled: last), or at `position`.

        A duplicate entity_id is a Conflict. While a turn runs, the combatant
        whose turn it is keeps it; a live or paused fight that had no one to
        act starts the next round with the first in the order (paused: on resume).
        """
        check_interaction_id(interaction_id)
        new = check_entry(entry, "entry")
        if position is not None:
            check_integer(position, "position", 0, MAX_INITIATIVE_ENTRIES)

        def change(interaction: Interaction, now: int) -> None:
            order = list(interaction.initiative_order)
            if _index_of(order, new.entity_id) is not None:
                raise Conflict(
                    f"entry.entity_id: {new.entity_id!r} is already in the initiative order "
                    f"of interaction {interaction.id}"
                )
            if len(order) >= MAX_INITIATIVE_ENTRIES:
                raise Conflict(
                    f"the initiative order of interaction {interaction.id} is full "
                    f"({MAX_INITIATIVE_ENTRIES} combatants)"
                )
            at = initiative.sorted_position(order, new) if position is None else position
            if at > len(order):
                raise InvalidInput(f"position: must be between 0 and {len(order)}, got {at}")
            order.insert(at, new)
            columns: dict[str, Any] = {"initiative_order": order}
            index = interaction.current_initiative_index
            if index is not None and at <= index:
                columns["current_initiative_index"] = index + 1
            self._update(interaction.id, now, **columns)
            self._log(
                interaction,
                now,
                "COMBATANT_ADDED",
                {"entry": new.model_dump(), "index": at},
                entity_id=new.entity_id,
            )
            if index is None and interaction.status in RUNNING_STATUSES:
                # A running fight with no one to act: the newcomer's turn starts (paused: on
                # resume), after every turn recorded so far.
                view = interaction.model_copy(update=columns)
                self._start_turn(view, now, 0, max(interaction.round_number, 0) + 1, 1)

        return self._change(interaction_id, ("idle", "live", "paused"), "add a combatant", change)

    @writes
    def remove_combatant(self, interaction_id: int, entity_id: str) -> Interaction:
        """Remove a combatant; an unknown entity_id is NotFound.

        Removing the combatant whose turn it is records that turn as skipped
        and starts the next one (now, or on resume when paused). A live fight
        keeps at least one combatant: removing the last is a Conflict.
        """
        check_interaction_id(interaction_id)
        wanted = check_text(entity_id, "entity_id", MAX_ID_LENGTH)

        def change(interaction: Interaction, now: int) -> None:
            order = list(interaction.initiative_order)
            at = _require_entry(interaction, wanted)
            removed = order.pop(at)
            if interaction.status == "live" and not order:
                raise Conflict(
                    f"cannot remove {removed.name} ({removed.entity_id}): the last combatant of "
                    f"live interaction {interaction.id} (pause or finalize the fight first)"
                )
            columns: dict[str, Any] = {"initiative_order": order}
            index = interaction.current_initiative_index
            skipped: TurnRecord | None = None
            next_turn: dict[str, Any] | None = None
            passed: list[Any] = []
            if index is not None and at == index and interaction.status in RUNNING_STATUSES:
                skipped, next_turn, passed = self._skip_removed(interaction, order, now, columns)
            elif index is not None and at < index:
                columns["current_initiative_index"] = index - 1
            self._update(interaction.id, now, **columns)
            self._log(
                interaction,
                now,
                "COMBATANT_REMOVED",
                {
                    "entry": removed.model_dump(),
                    "index": at,
                    "skipped_turn": None if skipped is None else skipped.model_dump(),
                    "next_turn": next_turn,
                },
                entity_id=removed.entity_id,
            )
            if passed:
                self._insert_log_rows(passed)

        return self._change(
            interaction_id, ("idle", "live", "paused"), "remove a combatant", change
        )

    @writes
    def update_combatant(self, interaction_id: int, entity_id: str, **fields: Any) -> Interaction:
        """Change some of a combatant's fields (EDITABLE_FIELDS: name, entity_type,
        initiative_roll, dexterity_modifier, user_id, max_hp, current_hp, temp_hp,
        armor_class, conditions, hidden), checked like any entry; the order stays as it is
        (roll_initiative sorts).

        max_hp without current_hp: a combatant without hit points gets both, and
        one above the new maximum is lowered to it; max_hp=None stops tracking
        hit points (current_hp and temp_hp go too). Logs COMBATANT_UPDATED with
        the fields that changed; values equal to the stored ones change nothing
        and log nothing.
        """
        check_interaction_id(interaction_id)
        wanted = check_text(entity_id, "entity_id", MAX_ID_LENGTH)
        if not fields:
            raise InvalidInput(f"fields: give at least one of {', '.join(EDITABLE_FIELDS)}")
        for name in fields:
            if name not in EDITABLE_FIELDS:
                raise InvalidInput(
                    f"{name}: unknown field (a combatant's {', '.join(EDITABLE_FIELDS)})"
                )
        sample = {**_SAMPLE_ENTRY, **fields}
        if sample["max_hp"] is None:
            sample.update(current_hp=None, temp_hp=None)
        check_entry(sample, "")

        def change(interaction: Interaction, now: int) -> None:
            order = list(interaction.initiative_order)
            at = _require_entry(interaction, wanted)
            old = order[at]
            new = check_entry(_updated_fields(old, fields), "")
            before, after = old.model_dump(), new.model_dump()
            changed = [name for name in EDITABLE_FIELDS if before[name] != after[name]]
            if not changed:
                return
            order[at] = new
            self._update(interaction.id, now, initiative_order=order)
            self._log(
                interaction,
                now,
                "COMBATANT_UPDATED",
                {
                    "entity_id": new.entity_id,
                    "changes": {name: after[name] for name in changed},
                    "previous": {name: before[name] for name in changed},
                },
                entity_id=new.entity_id,
            )

        return self._change(
            interaction_id, ("idle", "live", "paused"), "update a combatant", change
        )

    @writes
    def move_combatant(self, interaction_id: int, entity_id: str, to_index: int) -> Interaction:
        """Move a combatant to `to_index` of the order (a game master's own reordering).

        The combatant whose turn it is keeps it, wherever either of them ends up.
        """
        check_interaction_id(interaction_id)
        wanted = check_text(entity_id, "entity_id", MAX_ID_LENGTH)
        check_integer(to_index, "to_index", 0, MAX_INITIATIVE_ENTRIES - 1)

        def change(interaction: Interaction, now: int) -> None:
            order = list(interaction.initiative_order)
            at = _require_entry(interaction, wanted)
            if to_index >= len(order):
                raise InvalidInput(
                    f"to_index: must be between 0 and {len(order) - 1}, got {to_index}"
                )
            if at == to_index:
                return
            moved = order.pop(at)
            order.insert(to_index, moved)
            columns: dict[str, Any] = {"initiative_order": order}
            current = interaction.current_entry
            if current is not None:
                columns["current_initiative_index"] = _index_of(order, current.entity_id)
            self._update(interaction.id, now, **columns)
            self._log(
                interaction,
                now,
                "INITIATIVE_REORDERED",
                {
                    "entity_id": moved.entity_id,
                    "from_index": at,
                    "to_index": to_index,
                    "order": [entry.entity_id for entry in order],
                },
                entity_id=moved.entity_id,
            )

        return self._change(interaction_id, ("idle", "live", "paused"), "move a combatant", change)

    @writes
    def roll_initiative(
        self, interaction_id: int, entity_ids: Sequence[str] | None = None
    ) -> Interaction:
        """Roll d20 + dexterity_modifier for `entity_ids` (default: every combatant not rolled
        yet), then sort the whole order by (initiative_roll, dexterity_modifier, tiebreaker),
        highest first, with roll-offs (d20; d100 past 20 tied) among those still tied.

        Idle or paused only: re-sorting a live fight would move the turn under
        the players. Unknown entity_ids are NotFound.
        """
        check_interaction_id(interaction_id)
        given = None if entity_ids is None else _check_entity_ids(entity_ids)

        def change(interaction: Interaction, now: int) -> None:
            for entity_id in given or ():
                _require_entry(interaction, entity_id)
            order = interaction.initiative_order
            rolled = initiative.roll(
                order, initiative.unrolled(order) if given is None else given, self._rng
            )
            columns: dict[str, Any] = {"initiative_order": rolled.order}
            current = interaction.current_entry
            if current is not None:
                columns["current_initiative_index"] = _index_of(rolled.order, current.entity_id)
            self._log(interaction, now, "INITIATIVE_ROLLED", initiative.rolled_event(rolled))
            self._update(interaction.id, now, **columns)

        return self._change(interaction_id, ("idle", "paused"), "roll initiative", change)

    @writes
    def delay_turn(self, interaction_id: int, after_entity_id: str) -> Interaction:
        """The combatant whose turn it is waits: it moves to just after `after_entity_id`, and
        the combatant now in its place starts its turn with the full time limit.

        No turn was taken: nothing is recorded and round_number and
        turn_number stay. `after_entity_id` must stand after the current
        combatant (InvalidInput otherwise). Live only.
        """
        check_interaction_id(interaction_id)
        after = check_text(after_entity_id, "after_entity_id", MAX_ID_LENGTH)

        def change(interaction: Interaction, now: int) -> None:
            order = list(interaction.initiative_order)
            index = interaction.current_initiative_index
            current = interaction.current_entry
            if index is None or current is None:
                raise Conflict(f"interaction {interaction.id} has no turn running to delay")
            target = _index_of(order, after)
            if target is None:
                raise InvalidInput(
                    f"after_entity_id: {after!r} is not in the initiative order "
                    f"of interaction {interaction.id}"
                )
            if target <= index:
                raise InvalidInput(
                    f"after_entity_id: {after!r} must stand after {current.entity_id!r}, "
                    "whose turn it is"
                )
            order.pop(index)
            order.insert(target, current)
            view = interaction.model_copy(update={"initiative_order": order})
            begun = self._begin(view, now, index, interaction.round_number, interaction.turn_number)
            self._update(interaction.id, now, **{"initiative_order": order, **begun.columns})
            delayed = self._log_row(
                interaction,
                now,
                "TURN_DELAYED",
                {
                    "entity_id": current.entity_id,
                    "entity_name": current.name,
                    "after_entity_id": after,
                    "to_index": target,
                    "round_number": interaction.round_number,
                    "turn_number": interaction.turn_number,
                },
                user_id=current.user_id,
                entity_id=current.entity_id,
            )
            self._insert_log_rows([delayed, *begun.passed, begun.started])

        return self._change(interaction_id, ("live",), "delay the turn", change)

    @writes
    def undo_turn(self, interaction_id: int) -> Interaction:
        """Take back the latest turn taken in this fight (an advance, a skip, a timeout),
        together with the pass-overs of downed combatants that came after it.

        The records are removed, their content kept in the TURN_UNDONE event;
        the conditions their ends ticked are put back (vitals.restored); the
        turn goes back to its combatant, wherever it stands now, at that
        record's round and turn, and starts again with the full time limit
        (paused: the full limit is what resume gives). Repeated undos walk
        back one turn each. Nothing taken, or that combatant removed since, is
        a Conflict. Live or paused.
        """
        check_interaction_id(interaction_id)

        def change(interaction: Interaction, now: int) -> None:
            latest, passes = self._latest_taken_turn(interaction.id)
            if latest is None:
                raise Conflict(f"interaction {interaction.id} has no recorded turn to undo")
            record = turn_from_row(latest)
            at = _index_of(interaction.initiative_order, record.entity_id)
            if at is None:
                raise Conflict(
                    f"cannot undo round {record.round_number} turn {record.turn_number} of "
                    f"interaction {interaction.id}: {record.entity_id!r} has been removed "
                    "from the initiative order"
                )
            order = list(interaction.initiative_order)
            restored: dict[str, list[dict[str, Any]]] = {}
            for row in [*reversed(passes), latest]:
                ticked = load_json(row["ticked_conditions"])
                where = _index_of(order, row["entity_id"])
                if ticked and where is not None:
                    before = [Condition.model_validate(condition) for condition in ticked]
                    order[where] = vitals.restored(order[where], before)
                    restored.setdefault(row["entity_id"], []).extend(
                        c for c in ticked if c.get("rounds_left") is not None
                    )
            entry = order[at]
            view = interaction.model_copy(update={"initiative_order": order})
            columns, _ = self._turn_start(
                view, now, _Actor.of(entry), at, record.round_number, record.turn_number
            )
            if restored:
                columns["initiative_order"] = order
            turns = self._tables.turns
            removed = [latest["id"], *(row["id"] for row in passes)]
            turns.delete().where(turns.id.in_(removed)).execute()
            self._update(interaction.id, now, **columns)
            self._log(
                interaction,
                now,
                "TURN_UNDONE",
                {
                    "turn_record": record.model_dump(),
                    "round_number": record.round_number,
                    "turn_number": record.turn_number,
                    "entity_id": entry.entity_id,
                    "entity_name": entry.name,
                    "timeout": columns["current_turn_timeout"],
                    # Only when there are any: an undo of a plain turn logs what it always did.
                    **(
                        {"passed_over": [turn_from_row(r).model_dump() for r in passes]}
                        if passes
                        else {}
                    ),
                    **({"restored_conditions": restored} if restored else {}),
                },
                user_id=entry.user_id,
                entity_id=entry.entity_id,
            )

        return self._change(interaction_id, ("live", "paused"), "undo a turn", change)

    # -- shared steps ----------------------------------------------------

    def _change(
        self,
        interaction_id: int,
        allowed: tuple[str, ...],
        action: str,
        change: Callable[[Interaction, int], None],
    ) -> Interaction:
        """Run `change` on the locked interaction in one write transaction; the result."""

        def write() -> Interaction:
            interaction = self._fetch_writable(interaction_id)
            self._require_status(interaction, allowed, action)
            change(interaction, self._now())
            return self._fetch(interaction.id, with_snapshot=True)

        return self._write(write)

    def _skip_removed(
        self,
        interaction: Interaction,
        order: list[InitiativeEntry],
        now: int,
        columns: dict[str, Any],
    ) -> tuple[TurnRecord, dict[str, Any] | None, list[Any]]:
        """The removed combatant's running turn recorded as skipped, and the next one started
        (into `columns`), passing over the downed; what the COMBATANT_REMOVED event says of
        both, and the pass-overs' events."""
        turn = _RunningTurn.of(interaction, now)
        assert turn is not None  # the caller found the current entry
        [record] = self._record_running_turns([_TurnEnding(turn, "skipped")], now)
        if not order:  # paused, and no one left: no turn runs until someone is added
            columns.update(_NO_TURN)
            return record, None, []
        index = interaction.current_initiative_index or 0
        position = (index, interaction.round_number, interaction.turn_number + 1)
        if index >= len(order):  # the round's last combatant left: the next round begins
            position = (0, interaction.round_number + 1, 1)
        view = interaction.model_copy(update={"initiative_order": order})
        begun = self._begin(view, now, *position)
        columns.update(begun.columns)
        return (
            record,
            {
                "entity_id": begun.entry.entity_id,
                "round_number": begun.round_number,
                "turn_number": begun.turn_number,
                "timeout": begun.columns["current_turn_timeout"],
            },
            begun.passed,
        )

    def _latest_taken_turn(
        self, interaction_id: int
    ) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """The row of the fight's latest turn taken (highest round and turn, pass-overs left
        out), and the rows of the pass-overs after it, in play order."""
        table = self._tables.turns
        latest = (
            table.select()
            .where((table.interaction == interaction_id) & table.reason.is_null())
            .order_by(table.round_number.desc(), table.turn_number.desc())
            .limit(1)
            .dicts()
            .first()
        )
        if latest is None:
            return None, []
        later = (table.round_number > latest["round_number"]) | (
            (table.round_number == latest["round_number"])
            & (table.turn_number > latest["turn_number"])
        )
        passes = (
            table.select()
            .where((table.interaction == interaction_id) & (table.reason == DOWN) & later)
            .order_by(table.round_number, table.turn_number)
            .dicts()
        )
        return latest, list(passes)


def _index_of(order: Sequence[InitiativeEntry], entity_id: str) -> int | None:
    for index, entry in enumerate(order):
        if entry.entity_id == entity_id:
            return index
    return None


def _require_entry(interaction: Interaction, entity_id: str) -> int:
    """Where the combatant stands in the order; NotFound when it is not in it."""
    index = _index_of(interaction.initiative_order, entity_id)
    if index is None:
        raise NotFound(
            f"entity_id: {entity_id!r} is not in the initiative order "
            f"of interaction {interaction.id}"
        )
    return index


def _updated_fields(old: InitiativeEntry, fields: dict[str, Any]) -> dict[str, Any]:
    """The combatant's fields with `fields` over them: a new max_hp brings current_hp along
    (set to it when untracked, lowered to it when above), and max_hp=None stops tracking."""
    updated = {**old.model_dump(), **fields}
    if "max_hp" in fields and "current_hp" not in fields:
        top = fields["max_hp"]
        if top is None:
            updated["current_hp"] = None
            if "temp_hp" not in fields:
                updated["temp_hp"] = None
        elif old.current_hp is not None and isinstance(top, int) and old.current_hp > top:
            updated["current_hp"] = top
    return updated


def _check_entity_ids(value: object) -> list[str]:
    """A list of entity ids, duplicates dropped, order kept."""
    ids = check_list(value, "entity_ids", "entity ids", MAX_INITIATIVE_ENTRIES)
    unique: dict[str, None] = {}
    for index, entity_id in enumerate(ids):
        unique[check_text(entity_id, f"entity_ids[{index}]", MAX_ID_LENGTH)] = None
    return list(unique)
