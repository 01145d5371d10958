"""The initiative order: whose turn it is, hit points, conditions, connected players."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text

from widgets.health import conditions_text, hp_gauge, hp_label
from widgets.keyed_rows import WHOLE, Column, KeyedTable, selected_key, sync_rows
from widgets.text import EM_DASH, literal

if TYPE_CHECKING:
    from store.models import InitiativeEntry

__all__ = ["ENTITY_TYPES", "InitiativeList"]

ENTITY_TYPES = {"playerCharacter": "PC", "npc": "NPC", "monster": "Monster"}
"""Short labels for the store's entity types; anything else is shown literally."""

MARKER = "▶"


COLUMNS: list[Column] = [
    (" ", "marker", 1),
    ("Init", "roll", 4),
    ("Name", "name", 10),
    ("HP", "hp", None),
    ("AC", "ac", 2),
    ("Conditions", "conditions", 6),
    ("Type", "type", 7),
    ("Player", "player", 10),
]
"""The narrowest each column is drawn (hit points: as wide as the widest numbers), so a
value is never cut in the middle; the widths follow the panel and the longest values
(see KeyedTable), never the order in which rows arrived."""
SHORT_LABELS = {"conditions": "Cond"}
"""The header of a column narrower than its label."""


class InitiativeList(KeyedTable):
    """Who acts in which order; the current entity carries ▶ and a highlighted row.

    The cursor follows the current entity when the turn changes, but not on
    every refresh, so a game master browsing the order is not yanked back.

    What a game master reads in a fight comes first (RANK): the name, hit
    points, armor class and conditions stay when the panel is narrow (at 80
    columns); the initiative roll, type and player come back as it widens,
    once names are whole. Hit points are their numbers over a bar
    (widgets.health.hp_gauge), which takes no cells of its own; conditions
    that do not fit are counted ("prone 1 +2").
    """

    ZEBRA_STRIPES = False
    """The highlighted current entity reads best on a plain background."""

    COLUMNS = COLUMNS
    FLEX = ("name", "conditions", "player", "hp")
    RANK = (
        "name",
        "hp",
        "ac",
        "conditions",
        f"{WHOLE}name",
        "roll",
        f"{WHOLE}conditions",
        "type",
        "player",
    )
    FIT_TO_ROWS = False
    """The hit point bars and the conditions are drawn for their column's width."""

    DEFAULT_CSS = """
    InitiativeList {
        height: auto;
        max-height: 100%;
    }
    """

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._current: int | None = None
        self._shown: tuple[Any, ...] | None = None
        """The last show_order arguments: a resize draws them again for the new widths."""

    @property
    def selected_entity_id(self) -> str | None:
        """The entity id of the combatant under the cursor (None: the order is empty)."""
        key = selected_key(self)
        return None if key is None else key.rstrip("\u0000")

    @property
    def current_index(self) -> int | None:
        """The index of the entity whose turn it is, as last shown."""
        return self._current

    def show_order(
        self,
        entries: Sequence[InitiativeEntry],
        current_index: int | None,
        connected_user_ids: Collection[str],
        names: Mapping[str, str],
    ) -> None:
        """Show `entries` in order; `names` maps user ids to display names."""
        self._shown = (entries, current_index, connected_user_ids, names)
        connected = set(connected_user_ids)
        widths = {key: width or 0 for _, key, width in self.fit_to_needs(_needs(entries, names))}
        if current_index is not None and not 0 <= current_index < len(entries):
            current_index = None
        # Keyed by entity id, so the cursor stays on its combatant when the order
        # moves; a stored order from before ids were unique may repeat one.
        keys: list[str] = []
        for entry in entries:
            key = entry.entity_id
            while key in keys:
                key += "\u0000"
            keys.append(key)
        rows = [
            (key, _cells(entry, index == current_index, connected, names, widths))
            for index, (key, entry) in enumerate(zip(keys, entries, strict=True))
        ]
        sync_rows(self, rows)
        if current_index is not None and current_index != self._current:
            self.move_cursor(row=current_index, animate=False)
            # Following the cursor may scroll sideways in a narrow panel; the
            # order reads from its first column, so keep that in view.
            self.call_after_refresh(self.scroll_to, x=0, animate=False)
        self._current = current_index

    def column_specs(self, needs: Mapping[str, int]) -> Sequence[Column]:
        """Nobody's conditions: the column narrows to its short label, for the names."""
        if needs.get("conditions", 0):
            return self.COLUMNS
        return [
            (label, key, len(SHORT_LABELS[key]) if key == "conditions" else width)
            for label, key, width in self.COLUMNS
        ]

    def fitted_columns(self, needs: Mapping[str, int] | None = None) -> list[Column]:
        return [
            (SHORT_LABELS.get(key, label) if width is not None and width < len(label) else label,
             key, width)
            for label, key, width in super().fitted_columns(needs)
        ]  # fmt: skip

    def refit(self) -> None:
        """Draw the order again for the new widths (its bars and conditions fit them)."""
        if self._shown is None:
            super().refit()
        else:
            self.show_order(*self._shown)


def _needs(entries: Sequence[InitiativeEntry], names: Mapping[str, str]) -> dict[str, int]:
    """The widest value of each column, whole (the conditions all of them)."""
    needs: dict[str, int] = {}

    def need(key: str, width: int) -> None:
        needs[key] = max(needs.get(key, 0), width)

    for entry in entries:
        need("roll", len(str(entry.initiative_roll or "")))
        need("name", _name(entry, "").cell_len)
        need("hp", len(hp_label(entry.current_hp, entry.max_hp, entry.temp_hp)))
        need("ac", len(str(entry.armor_class or "")))
        need("conditions", conditions_text(entry.conditions).cell_len)
        need("type", len(ENTITY_TYPES.get(entry.entity_type, entry.entity_type[:10])))
        need("player", player_cell(entry.user_id, set(), names).cell_len)
    return needs


def _name(entry: InitiativeEntry, style: str) -> Text:
    text = literal(entry.name, style, limit=100)
    if entry.hidden:  # hidden from the players: dimmed, and marked in its name
        text.append(" (hidden)", style="italic")
    return text


def _cells(
    entry: InitiativeEntry,
    current: bool,
    connected: set[str],
    names: Mapping[str, str],
    widths: Mapping[str, int],
) -> list[Text]:
    """The cells of the columns in `widths` (those shown), in their order."""
    emphasis = "bold" if current else ""
    kind = ENTITY_TYPES.get(entry.entity_type)
    cells = {
        "marker": Text(MARKER, style="bold green", end="") if current else Text(" ", end=""),
        "roll": Text(
            EM_DASH if entry.initiative_roll is None else str(entry.initiative_roll),
            style=emphasis if entry.initiative_roll is not None else "dim",
            justify="right",
            end="",
        ),
        "name": _name(entry, emphasis),
        "hp": hp_gauge(entry.current_hp, entry.max_hp, entry.temp_hp, widths.get("hp", 0)),
        "ac": Text("" if entry.armor_class is None else str(entry.armor_class), end=""),
        "conditions": conditions_text(entry.conditions, widths.get("conditions")),
        "type": Text(kind, style="dim", end="")
        if kind
        else literal(entry.entity_type, "dim", limit=10),
        "player": player_cell(entry.user_id, connected, names),
    }
    shown = [cells[key] for key in widths]
    if entry.hidden:
        for cell in shown:
            cell.stylize("dim")
    return shown


def player_cell(user_id: str | None, connected: set[str], names: Mapping[str, str]) -> Text:
    """ "Bree ●" when the player is connected, "Bree ○" when not; "—" for unplayed entities."""
    if user_id is None:
        return Text(EM_DASH, style="dim", end="")
    text = literal(names.get(user_id, user_id), limit=100)
    if user_id in connected:
        text.append(" ●", style="green")
    else:
        text.append(" ○", style="dim")
    return text
