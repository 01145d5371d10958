"""Hit points and conditions in a fight: damage, healing, temporary hit points, conditions.

Each operation changes one combatant, returns it (an InitiativeEntry) as it
is now, logs one event (HP_CHANGED, CONDITION_ADDED, CONDITION_REMOVED) and
writes nothing when it fails. Allowed while the fight is idle, live or
paused; completed and cancelled fights are read-only (Conflict). The rules
themselves are in store/vitals.py; the turn engine ticks durations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from store import vitals
from store.combatants import CombatantOperations, _index_of, _require_entry
from store.core import writes
from store.errors import Conflict, InvalidInput, NotFound
from store.limits import MAX_CONDITIONS, MAX_HIT_POINTS, MAX_ID_LENGTH
from store.models import Condition, InitiativeEntry, Interaction
from store.validation import (
    check_condition_name,
    check_integer,
    check_interaction_id,
    check_text,
)

Change = Callable[[Interaction, InitiativeEntry], tuple[InitiativeEntry, str, dict[str, Any]]]
"""What an operation does to the combatant: its new self, and the event to log with its data."""


class HealthOperations(CombatantOperations):
    """adjust_hp, set_temp_hp, add_condition and remove_condition."""

    @writes
    def adjust_hp(
        self,
        interaction_id: int,
        entity_id: str,
        delta: int,
        *,
        source_entity_id: str | None = None,
    ) -> InitiativeEntry:
        """Damage (delta < 0) or heal (delta > 0) a combatant whose hit points are tracked.

        Damage takes temp_hp first and leaves current_hp at 0 at the least;
        healing stops at max_hp and never adds temp_hp. `source_entity_id`,
        who dealt or healed it, must be a combatant of the fight. Untracked hit
        points are a Conflict; an unknown combatant is NotFound. Logs HP_CHANGED
        with {entity_id, delta, current_hp, temp_hp, max_hp, source_entity_id}:
        delta as asked, the hit points as they are now.
        """
        check_interaction_id(interaction_id)
        wanted = check_text(entity_id, "entity_id", MAX_ID_LENGTH)
        check_integer(delta, "delta", -MAX_HIT_POINTS, MAX_HIT_POINTS)
        if delta == 0:
            raise InvalidInput("delta: must not be 0 (negative is damage, positive healing)")
        source = None
        if source_entity_id is not None:
            source = check_text(source_entity_id, "source_entity_id", MAX_ID_LENGTH)

        def change(
            interaction: Interaction, entry: InitiativeEntry
        ) -> tuple[InitiativeEntry, str, dict[str, Any]]:
            if source is not None and _index_of(interaction.initiative_order, source) is None:
                raise InvalidInput(
                    f"source_entity_id: {source!r} is not in the initiative order "
                    f"of interaction {interaction.id}"
                )
            _require_tracked(entry, "adjust the hit points")
            new = vitals.adjusted(entry, delta)
            return new, "HP_CHANGED", _hp_changed(new, delta, source)

        return self._change_combatant(interaction_id, wanted, "adjust hit points", change)

    @writes
    def set_temp_hp(self, interaction_id: int, entity_id: str, temp_hp: int) -> InitiativeEntry:
        """Give a combatant `temp_hp` temporary hit points: they replace any it has, never
        stack (0 takes them away). Untracked hit points are a Conflict. Logs HP_CHANGED
        with delta 0 (no damage, no healing) and the hit points as they are now."""
        check_interaction_id(interaction_id)
        wanted = check_text(entity_id, "entity_id", MAX_ID_LENGTH)
        check_integer(temp_hp, "temp_hp", 0, MAX_HIT_POINTS)

        def change(
            interaction: Interaction, entry: InitiativeEntry
        ) -> tuple[InitiativeEntry, str, dict[str, Any]]:
            _require_tracked(entry, "set temporary hit points")
            new = entry.model_copy(update={"temp_hp": temp_hp})
            return new, "HP_CHANGED", _hp_changed(new, 0, None)

        return self._change_combatant(interaction_id, wanted, "set temporary hit points", change)

    @writes
    def add_condition(
        self, interaction_id: int, entity_id: str, name: str, *, rounds: int | None = None
    ) -> InitiativeEntry:
        """Put a condition on a combatant for `rounds` of its turns (None: until removed).

        `name` is 1..40 characters. A condition it already has (names compared
        without case) gets the new duration in its place. Logs CONDITION_ADDED
        with {entity_id, name, rounds, rounds_left (the same), replaced, previous_rounds_left}.
        """
        check_interaction_id(interaction_id)
        wanted = check_text(entity_id, "entity_id", MAX_ID_LENGTH)
        condition_name = check_condition_name(name)
        if rounds is not None:
            check_integer(rounds, "rounds", 1, MAX_HIT_POINTS)
        condition = Condition(name=condition_name, rounds_left=rounds)

        def change(
            interaction: Interaction, entry: InitiativeEntry
        ) -> tuple[InitiativeEntry, str, dict[str, Any]]:
            at = vitals.find_condition(entry, condition_name)
            if at is None and len(entry.conditions) >= MAX_CONDITIONS:
                raise Conflict(
                    f"{entry.name} ({entry.entity_id}) already has {MAX_CONDITIONS} conditions, "
                    "the most one combatant holds"
                )
            previous = None if at is None else entry.conditions[at]
            data = {
                "entity_id": entry.entity_id,
                "name": condition_name,
                "rounds": rounds,
                "rounds_left": rounds,  # the Condition's own name for it; "rounds" stays
                "replaced": previous is not None,
                "previous_rounds_left": None if previous is None else previous.rounds_left,
            }
            return vitals.with_condition(entry, condition), "CONDITION_ADDED", data

        return self._change_combatant(interaction_id, wanted, "add a condition", change)

    @writes
    def remove_condition(self, interaction_id: int, entity_id: str, name: str) -> InitiativeEntry:
        """Take a condition off a combatant (names compared without case); NotFound when it
        does not have it. Logs CONDITION_REMOVED with {entity_id, name, rounds_left}."""
        check_interaction_id(interaction_id)
        wanted = check_text(entity_id, "entity_id", MAX_ID_LENGTH)
        condition_name = check_condition_name(name)

        def change(
            interaction: Interaction, entry: InitiativeEntry
        ) -> tuple[InitiativeEntry, str, dict[str, Any]]:
            at = vitals.find_condition(entry, condition_name)
            if at is None:
                raise NotFound(
                    f"name: {entry.name} ({entry.entity_id}) has no condition {condition_name!r}"
                )
            held = entry.conditions[at]
            data = {
                "entity_id": entry.entity_id,
                "name": held.name,
                "rounds_left": held.rounds_left,
            }
            return vitals.without_condition(entry, at), "CONDITION_REMOVED", data

        return self._change_combatant(interaction_id, wanted, "remove a condition", change)

    def _change_combatant(
        self, interaction_id: int, entity_id: str, action: str, change: Change
    ) -> InitiativeEntry:
        """Run `change` on one combatant of the locked interaction, store it, log its event."""

        def write() -> InitiativeEntry:
            interaction = self._fetch_writable(interaction_id)
            self._require_status(interaction, ("idle", "live", "paused"), action)
            at = _require_entry(interaction, entity_id)
            new, event_type, data = change(interaction, interaction.initiative_order[at])
            order = list(interaction.initiative_order)
            order[at] = new
            now = self._now()
            self._update(interaction.id, now, initiative_order=order)
            self._log(interaction, now, event_type, data, entity_id=new.entity_id)
            return new

        return self._write(write)


def _require_tracked(entry: InitiativeEntry, action: str) -> None:
    if entry.max_hp is None or entry.current_hp is None:
        raise Conflict(
            f"cannot {action}: the hit points of {entry.name} ({entry.entity_id}) are not "
            "tracked (give it max_hp first)"
        )


def _hp_changed(entry: InitiativeEntry, delta: int, source: str | None) -> dict[str, Any]:
    """HP_CHANGED's data: the change asked for and the hit points as they are now."""
    return {
        "entity_id": entry.entity_id,
        "delta": delta,
        "current_hp": entry.current_hp,
        "temp_hp": entry.temp_hp,
        "max_hp": entry.max_hp,
        "source_entity_id": source,
    }
