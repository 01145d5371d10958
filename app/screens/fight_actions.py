"""The room screen's keys that build and steer the fight: combatants, initiative, delay
and undo. Each write is queued in the order pressed (app.room_writes)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.binding import Binding
from textual.widgets import DataTable

from app.combatants import new_combatants
from app.screens.combatant import CombatantDraft, CombatantScreen
from app.screens.confirm import ConfirmScreen
from app.screens.delay import DelayScreen
from app.screens.health_forms import ConditionsScreen, HpChange, HpScreen, NewCondition
from app.screens.record_turn import RecordTurnScreen
from app.screens.room_actions import RoomActions
from store import InitiativeEntry, Interaction
from widgets.initiative_list import InitiativeList
from widgets.text import safe_text

FIGHT_KEYS: list[Binding] = [
    Binding("a", "add_combatant", "Add", tooltip="Add combatants to the initiative order."),
    Binding("i", "roll_initiative", "Roll", tooltip="Roll initiative for those without a roll."),
    Binding("w", "delay", "Delay", tooltip="The current combatant acts later this round."),
    Binding("u", "undo", "Undo", tooltip="Take back the last turn."),
    Binding("r", "record_turn", "Record", tooltip="Record what was done this turn and advance."),
    Binding("d", "damage", "Damage", tooltip="Damage the selected combatant."),
    Binding("h", "heal", "Heal", tooltip="Heal the selected combatant (or give temporary hp)."),
    Binding("k", "conditions", "Conditions", tooltip="The selected combatant's conditions."),
    Binding("H", "toggle_hidden", "Hide", tooltip="Hide the selected combatant from players."),
    Binding("enter", "edit_combatant", "Edit", tooltip="Edit the selected combatant.", show=False),
    Binding("delete", "remove_combatant", "Remove", tooltip="Remove the selected combatant."),
    Binding("shift+up", "move_combatant(-1)", "Move up", tooltip="Move the selected one up."),
    Binding("shift+down", "move_combatant(1)", "Move down", tooltip="Move it down.", show=False),
]
FIGHT_PALETTE_GROUPS = {
    "add_combatant": "combatant",
    "edit_combatant": "combatant",
    "remove_combatant": "combatant",
    "move_combatant(-1)": "combatant",
    "move_combatant(1)": "combatant",
    "roll_initiative": "initiative",
    "delay": "turn",
    "undo": "turn",
    "record_turn": "turn",
    "damage": "combatant",
    "heal": "combatant",
    "conditions": "combatant",
    "toggle_hidden": "combatant",
}


class FightActions(RoomActions):
    """Combatants in, initiative rolled, turns delayed and taken back."""

    def _selected(self) -> InitiativeEntry | None:
        """The combatant under the initiative order's cursor, as the room was last read."""
        room = self.interaction
        entity_id = self.query_one(InitiativeList).selected_entity_id
        if room is None or entity_id is None:
            return None
        return next((e for e in room.initiative_order if e.entity_id == entity_id), None)

    # -- combatants ---------------------------------------------------------

    def action_add_combatant(self) -> None:
        self.app.push_screen(CombatantScreen(self._add))

    async def _add(self, draft: CombatantDraft) -> Any:
        store = self.liveroom.store
        fields = {
            "entity_type": draft.entity_type,
            "initiative_roll": draft.initiative_roll,
            "dexterity_modifier": draft.dexterity_modifier,
            "user_id": draft.user_id,
            "max_hp": draft.max_hp,
            "armor_class": draft.armor_class,
        }

        async def add(room: Interaction) -> Interaction:
            added = new_combatants(draft.name, draft.count, fields, room.initiative_order)
            for entry in added:
                room = await self.liveroom.store_call(store.add_combatant, room.id, entry)
            self.notify(f"Added {', '.join(e['name'] for e in added)}.", markup=False)
            return room

        try:
            return await self._in_order(add)
        finally:
            self.request_refresh()

    @on(DataTable.RowSelected, "#initiative")
    def _combatant_chosen(self) -> None:
        """Enter on the initiative order edits the combatant, if the status allows."""
        if self.check_action("edit_combatant", ()) is None:
            self.explain_refusal("edit_combatant", "Edit")
        else:
            self.action_edit_combatant()

    def action_edit_combatant(self) -> None:
        entry = self._selected()
        if entry is not None:
            self.app.push_screen(CombatantScreen(lambda draft: self._edit(entry, draft), entry))

    async def _edit(self, entry: InitiativeEntry, draft: CombatantDraft) -> Any:
        wanted = {
            "name": draft.name,
            "entity_type": draft.entity_type,
            "initiative_roll": draft.initiative_roll,
            "dexterity_modifier": draft.dexterity_modifier,
            "user_id": draft.user_id,
            "max_hp": draft.max_hp,
            "armor_class": draft.armor_class,
        }
        changed = {key: value for key, value in wanted.items() if getattr(entry, key) != value}
        if not changed:
            return self.interaction
        return await self._in_order(
            lambda room: self._write_or_raise(
                self.liveroom.store.update_combatant,
                room.id,
                entry.entity_id,
                done=f"{safe_text(draft.name)} saved.",
                **changed,
            )
        )

    def action_remove_combatant(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        question = ConfirmScreen(
            f"Remove {entry.name}?",
            f"{entry.name} leaves the initiative order. If it is their turn, it is recorded "
            "as skipped and the next combatant starts.",
            "Remove",
        )
        self.app.push_screen(question, lambda yes: self._remove(entry) if yes else None)

    def _remove(self, entry: InitiativeEntry) -> None:
        self._queue(
            lambda room: self._write(
                self.liveroom.store.remove_combatant,
                room.id,
                entry.entity_id,
                done=f"{safe_text(entry.name)} removed.",
            )
        )

    def action_move_combatant(self, step: int) -> None:
        entry = self._selected()
        if entry is not None:
            self._queue(lambda room: self._move(room, entry.entity_id, step))

    async def _move(self, room: Interaction, entity_id: str, step: int) -> Any:
        ids = [entry.entity_id for entry in room.initiative_order]
        if entity_id not in ids:
            return None
        to_index = max(0, min(len(ids) - 1, ids.index(entity_id) + step))
        if to_index == ids.index(entity_id):
            return room
        return await self._write(self.liveroom.store.move_combatant, room.id, entity_id, to_index)

    # -- initiative and turns --------------------------------------------------

    def action_roll_initiative(self) -> None:
        self._queue(self._roll)

    async def _roll(self, room: Interaction) -> Any:
        unrolled = [entry.name for entry in room.initiative_order if entry.initiative_roll is None]
        done = (
            f"Initiative rolled for {len(unrolled)}; the order is sorted."
            if unrolled
            else "Everyone has a roll; the order is sorted."
        )
        return await self._write(self.liveroom.store.roll_initiative, room.id, done=done)

    def action_delay(self) -> None:
        room = self.interaction
        current = None if room is None else room.current_entry
        if room is None or current is None or room.current_initiative_index is None:
            return
        later = room.initiative_order[room.current_initiative_index + 1 :]
        if not later:
            self.notify(f"{current.name} is the last to act this round.", markup=False)
            return
        self.app.push_screen(DelayScreen(current, later), self._delay)

    def _delay(self, after_entity_id: str | None) -> None:
        if after_entity_id is not None:
            self._queue(
                lambda room: self._write(
                    self.liveroom.store.delay_turn, room.id, after_entity_id, done="Turn delayed."
                )
            )

    def action_undo(self) -> None:
        self._queue(self._undo)

    async def _undo(self, room: Interaction) -> Any:
        undone = await self._write(self.liveroom.store.undo_turn, room.id)
        if isinstance(undone, Interaction) and undone.current_entry is not None:
            self.notify(
                f"Turn undone: {safe_text(undone.current_entry.name)} again "
                f"(round {undone.round_number}, turn {undone.turn_number}).",
                markup=False,
            )
        return undone

    # -- hit points, conditions, recorded turns ---------------------------------

    def action_damage(self) -> None:
        self._hp_form(healing=False)

    def action_heal(self) -> None:
        self._hp_form(healing=True)

    def _hp_form(self, *, healing: bool) -> None:
        entry, room = self._selected(), self.interaction
        if entry is None or room is None:
            return
        if entry.max_hp is None:
            self.notify(
                f"{entry.name}'s hit points are not tracked: Enter sets them.", markup=False
            )
            return
        current = room.current_entry if room.status in ("live", "paused") else None
        source = None if current is None else current.entity_id

        async def save(change: HpChange) -> Any:
            if change.temporary:
                return await self._in_order(
                    lambda room: self._write_or_raise(
                        self.liveroom.store.set_temp_hp,
                        room.id,
                        entry.entity_id,
                        change.amount,
                        done=f"{safe_text(entry.name)}: {change.amount} temporary hp.",
                    )
                )
            delta = change.amount if healing else -change.amount
            return await self._in_order(
                lambda room: self._write_or_raise(
                    self.liveroom.store.adjust_hp,
                    room.id,
                    entry.entity_id,
                    delta,
                    source_entity_id=change.source_entity_id,
                    done=f"{safe_text(entry.name)}: {'+' if healing else '-'}{change.amount} hp.",
                )
            )

        self.app.push_screen(
            HpScreen(entry, room.initiative_order, source, healing=healing, save=save)
        )

    def action_conditions(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        store = self.liveroom.store

        async def add(condition: NewCondition) -> Any:
            return await self._in_order(
                lambda room: self._write_or_raise(
                    store.add_condition,
                    room.id,
                    entry.entity_id,
                    condition.name,
                    rounds=condition.rounds,
                    done=f"{safe_text(entry.name)} is {safe_text(condition.name)}.",
                )
            )

        async def remove(name: str) -> InitiativeEntry | None:
            removed: InitiativeEntry | None = await self._in_order(
                lambda room: self._write(store.remove_condition, room.id, entry.entity_id, name)
            )
            return removed

        self.app.push_screen(ConditionsScreen(entry, add=add, remove=remove))

    def action_record_turn(self) -> None:
        room = self.interaction
        current = None if room is None else room.current_entry
        if room is None or current is None:
            return
        expected = (room.round_number, room.turn_number)

        async def save(actions: list[dict[str, Any]]) -> Any:
            return await self._in_order(
                lambda room: self._write_or_raise(
                    self.liveroom.store.advance_turn,
                    room.id,
                    "completed",
                    actions=actions,
                    expected_turn=expected,
                    done=f"Turn recorded: {safe_text(current.name)}.",
                )
            )

        self.app.push_screen(RecordTurnScreen(current, room.initiative_order, save))

    def action_toggle_hidden(self) -> None:
        entry = self._selected()
        if entry is not None:
            self._queue(lambda room: self._toggle_hidden(room, entry.entity_id))

    async def _toggle_hidden(self, room: Interaction, entity_id: str) -> Any:
        entry = next((e for e in room.initiative_order if e.entity_id == entity_id), None)
        if entry is None:
            return None
        hidden = not entry.hidden
        return await self._write(
            self.liveroom.store.update_combatant,
            room.id,
            entity_id,
            hidden=hidden,
            done=f"{safe_text(entry.name)} {'hidden from' if hidden else 'shown to'} the players.",
        )
