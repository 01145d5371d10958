"""Delaying the current turn (`w`): choose after whom the combatant acts this round."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store import InitiativeEntry


class DelayScreen(ModalScreen[str | None]):
    """Pick the combatant to act after; returns its entity id, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Keep the turn.")]

    def __init__(self, delaying: InitiativeEntry, later: list[InitiativeEntry]) -> None:
        """`delaying` gives up its place to act after one of `later` (those after it)."""
        super().__init__()
        self._delaying = delaying
        self._later = later

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                f"{self._delaying.name} delays: act after whom?",
                classes="dialog-title",
                markup=False,
            )
            yield Static(
                "The next combatant starts now; no turn is recorded for the delay.",
                classes="hint",
            )
            yield OptionList(
                *(Option(Text(entry.name), id=entry.entity_id) for entry in self._later),
                id="after",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#after")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
