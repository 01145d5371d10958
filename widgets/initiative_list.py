"""The initiative order: whose turn it is, hit points, conditions, connected players."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text

from widgets.health import conditions_text, hp_bar
from widgets.keyed_rows import Column, KeyedTable, ensure_columns, selected_key, sync_rows
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
    ("HP", "hp", 9),
    ("AC", "ac", 2),
    ("Conditions", "conditions", 10),
    ("Type", "type", 7),
    ("Player", "player", 10),
]
"""Fixed widths: auto-sized columns would depend on which rows arrived first."""


class InitiativeList(KeyedTable):
    """Who acts in which order; the current entity carries ▶ and a highlighted row.

    The cursor follows the current entity when the turn changes, but not on
    every refresh, so a game master browsing the order is not yanked back.
    """

    ZEBRA_STRIPES = False
    """The highlighted current entity reads best on a plain background."""

    COLUMNS = COLUMNS
    FLEX = ("name", "hp", "conditions", "player")
    BAR_FROM = 14
    """The HP column's width from which it draws a bar beside the numbers."""

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
        """The last show_order arguments: a resize that changes how hit points are drawn
        shows them again."""
        self._bars = False

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
        self._bars = self._room_for_bars()
        ensure_columns(self, self.fitted_columns())
        connected = set(connected_user_ids)
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
            (key, self._cells(entry, index == current_index, connected, names))
            for index, (key, entry) in enumerate(zip(keys, entries, strict=True))
        ]
        sync_rows(self, rows)
        if current_index is not None and current_index != self._current:
            self.move_cursor(row=current_index, animate=False)
            # Following the cursor may scroll sideways in a narrow panel; the
            # order reads from its first column, so keep that in view.
            self.call_after_refresh(self.scroll_to, x=0, animate=False)
        self._current = current_index

    def _room_for_bars(self) -> bool:
        widths = {key: width or 0 for _, key, width in self.fitted_columns()}
        return widths.get("hp", 0) >= self.BAR_FROM

    def on_resize(self) -> None:
        """Draw hit point bars where the column has room for them, numbers alone where not."""
        if self._shown is not None and self._room_for_bars() != self._bars:
            self.show_order(*self._shown)

    def _cells(
        self,
        entry: InitiativeEntry,
        current: bool,
        connected: set[str],
        names: Mapping[str, str],
    ) -> list[Text]:
        emphasis = "bold" if current else ""
        kind = ENTITY_TYPES.get(entry.entity_type)
        cells = [
            Text(MARKER, style="bold green", end="") if current else Text(" ", end=""),
            Text(
                EM_DASH if entry.initiative_roll is None else str(entry.initiative_roll),
                style=emphasis if entry.initiative_roll is not None else "dim",
                justify="right",
                end="",
            ),
            literal(entry.name, emphasis, limit=100),
            hp_bar(entry.current_hp, entry.max_hp, entry.temp_hp, bar=self._bars),
            Text("" if entry.armor_class is None else str(entry.armor_class), end=""),
            conditions_text(entry.conditions),
            Text(kind, style="dim", end="")
            if kind
            else literal(entry.entity_type, "dim", limit=10),
            player_cell(entry.user_id, connected, names),
        ]
        if entry.hidden:  # hidden from the players: dimmed here, marked in its name
            cells[2].append(" (hidden)", style="italic")
            for cell in cells:
                cell.stylize("dim")
        return cells


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
