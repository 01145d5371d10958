"""Adding combatants (`a`) and editing one (Enter on the initiative order)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Select, Static

from app.screens.form import FieldError, FormScreen, field_row
from app.screens.settings import form_buttons
from store import InitiativeEntry
from store.limits import MAX_ID_LENGTH, MAX_NAME_LENGTH
from widgets.initiative_list import ENTITY_TYPES

MAX_COUNT = 20
"""Combatants one add makes at most ("Goblin" x20)."""
TYPES = [(label, kind) for kind, label in ENTITY_TYPES.items()]


@dataclass(frozen=True)
class CombatantDraft:
    """What the form collects: one combatant, or `count` alike ("Goblin 1", "Goblin 2"...)."""

    name: str
    count: int
    entity_type: str
    initiative_roll: int | None
    """None: roll for it (blank field)."""
    dexterity_modifier: int
    user_id: str | None
    max_hp: int | None
    """None: hit points not tracked."""
    armor_class: int | None


class CombatantScreen(FormScreen[CombatantDraft, Any]):
    """Name, how many, type, initiative (blank to roll), dexterity, hit points, armor class,
    player."""

    STORE_FIELDS = {
        "name": "name",
        "entity_type": "type",
        "initiative_roll": "roll",
        "dexterity_modifier": "dexterity",
        "user_id": "player",
        "max_hp": "hp",
        "armor_class": "ac",
    }

    def __init__(
        self,
        save: Callable[[CombatantDraft], Awaitable[Any]],
        editing: InitiativeEntry | None = None,
    ) -> None:
        """`editing`: the combatant to change (None: add new ones); `save` writes."""
        super().__init__()
        self._save = save
        self._editing = editing

    def compose(self) -> ComposeResult:
        entry = self._editing
        with Vertical(classes="dialog"):
            yield Static(
                "Add combatants" if entry is None else f"Edit {entry.name}",
                classes="dialog-title",
                markup=False,
            )
            yield from field_row(
                "Name",
                Input(
                    "" if entry is None else entry.name,
                    placeholder="e.g. Goblin",
                    id="name",
                    max_length=MAX_NAME_LENGTH,
                    compact=True,
                ),
            )
            if entry is None:
                yield from field_row(
                    "How many",
                    Input("1", id="count", restrict=r"\d*", max_length=2, compact=True),
                )
            yield from field_row(
                "Type",
                Select(
                    TYPES,
                    value="monster" if entry is None else _known_type(entry.entity_type),
                    allow_blank=False,
                    id="type",
                    compact=True,
                ),
            )
            roll = None if entry is None else entry.initiative_roll
            yield from field_row(
                "Initiative",
                _number(roll, "roll", placeholder="blank: roll d20 + dexterity", signed=True),
            )
            yield from field_row(
                "Dexterity modifier",
                _number(0 if entry is None else entry.dexterity_modifier, "dexterity", digits=2,
                        signed=True),
            )  # fmt: skip
            yield from field_row(
                "Hit points",
                _number(None if entry is None else entry.max_hp, "hp",
                        placeholder="blank: not tracked", digits=5),
            )  # fmt: skip
            yield from field_row(
                "Armor class",
                _number(None if entry is None else entry.armor_class, "ac", placeholder="optional"),
            )
            yield from field_row(
                "Player user id",
                Input(
                    "" if entry is None or entry.user_id is None else entry.user_id,
                    placeholder="blank for monsters and NPCs",
                    id="player",
                    max_length=MAX_ID_LENGTH,
                    compact=True,
                ),
            )
            yield from form_buttons("Add" if entry is None else "Save")

    def collect(self) -> CombatantDraft:
        name = self.query_one("#name", Input).value.strip()
        if not name:
            raise FieldError("name", "The combatant needs a name.")
        count = 1
        if self._editing is None:
            count = _whole(self.query_one("#count", Input).value, "count", "How many") or 1
            if not 1 <= count <= MAX_COUNT:
                raise FieldError("count", f"How many must be 1–{MAX_COUNT}.")
        return CombatantDraft(
            name=name,
            count=count,
            entity_type=str(self.query_one("#type", Select).value),
            initiative_roll=_whole(self.query_one("#roll", Input).value, "roll", "Initiative"),
            dexterity_modifier=_whole(
                self.query_one("#dexterity", Input).value, "dexterity", "Dexterity modifier"
            )
            or 0,
            user_id=self.query_one("#player", Input).value.strip() or None,
            max_hp=_whole(self.query_one("#hp", Input).value, "hp", "Hit points"),
            armor_class=_whole(self.query_one("#ac", Input).value, "ac", "Armor class"),
        )

    async def save(self, value: CombatantDraft) -> Any:
        return await self._save(value)


def _number(
    value: int | None, field: str, *, placeholder: str = "", digits: int = 3, signed: bool = False
) -> Input:
    """A compact field for a whole number (blank when `value` is None)."""
    return Input(
        "" if value is None else str(value),
        placeholder=placeholder,
        id=field,
        restrict=r"-?\d*" if signed else r"\d*",
        max_length=digits + signed,
        compact=True,
    )


def _whole(text: str, field: str, label: str) -> int | None:
    """A whole number from a field, None when it is blank."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise FieldError(field, f"{label} must be a whole number.") from None


def _known_type(entity_type: str) -> str:
    return entity_type if entity_type in ENTITY_TYPES else "monster"
