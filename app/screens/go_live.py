"""Going live (`g`): the room id and the settings the room starts with."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from app.screens.settings import SettingsForm, TurnSettings
from store import Interaction
from store.limits import MAX_ID_LENGTH


@dataclass(frozen=True)
class GoLiveRequest:
    """The room to open and its starting settings."""

    live_room_id: str
    settings: TurnSettings


class GoLiveScreen(ModalScreen[GoLiveRequest | None]):
    """Open a live room for an idle interaction; round 1 starts if it has an initiative order."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Stay idle.")]

    def __init__(self, interaction: Interaction) -> None:
        super().__init__()
        self._interaction = interaction

    def compose(self) -> ComposeResult:
        order = len(self._interaction.initiative_order)
        with Vertical(classes="dialog"):
            yield Static("Go live", classes="dialog-title")
            yield Static(
                f"Round 1 starts with {order} in the initiative order."
                if order
                else "No initiative order yet: the room opens without turns.",
                classes="hint",
            )
            with Horizontal(classes="field"):
                yield Label("Room id", classes="field-label")
                yield Input(
                    f"room-{self._interaction.id}",
                    id="room-id",
                    max_length=MAX_ID_LENGTH,
                    compact=True,
                )
            yield SettingsForm(self._interaction)
            with Horizontal(classes="buttons"):
                yield Button("Go live", variant="success", id="go", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    @on(Button.Pressed, "#go")
    @on(Input.Submitted)
    def _go(self) -> None:
        room = self.query_one("#room-id", Input).value.strip()
        if not room:
            self.query_one("#form-error", Static).update("The room needs an id.")
            return
        settings = self.query_one(SettingsForm).value()
        if settings is not None:
            self.dismiss(GoLiveRequest(live_room_id=room, settings=settings))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
