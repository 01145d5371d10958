"""The turn and chat settings form (`t`), also used when going live."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from store import Interaction, InvalidInput
from store.limits import MAX_TURN_TIME_LIMIT, MIN_TURN_TIME_LIMIT
from store.validation import check_turn_time_limit


@dataclass(frozen=True)
class TurnSettings:
    """What the form returns: the three settings of a room."""

    turn_time_limit: int
    chat_enabled: bool
    allow_private_chat: bool


def parse_time_limit(text: str) -> int:
    """Seconds from the form; ValueError with a sentence a game master can act on."""
    try:
        seconds = int(text.strip())
    except ValueError:
        raise ValueError("Turn time limit must be a whole number of seconds.") from None
    try:
        return check_turn_time_limit(seconds)  # the store's rule, said as a sentence
    except InvalidInput:
        raise ValueError(
            f"Turn time limit must be 0 (untimed) or {MIN_TURN_TIME_LIMIT}–"
            f"{MAX_TURN_TIME_LIMIT} seconds, not {seconds}."
        ) from None


class SettingsForm(Vertical):
    """Time limit, chat and private chat fields, validated before anything is written."""

    def __init__(self, interaction: Interaction) -> None:
        super().__init__(classes="settings-form")
        self._interaction = interaction

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field"):
            yield Label("Turn time limit (s)", classes="field-label")
            yield Input(
                str(self._interaction.turn_time_limit),
                id="time-limit",
                type="integer",
                max_length=5,
                compact=True,
            )
        yield Static(
            f"0 = untimed; otherwise {MIN_TURN_TIME_LIMIT}–{MAX_TURN_TIME_LIMIT} seconds.",
            classes="hint",
        )
        yield Checkbox("Chat enabled", self._interaction.chat_enabled, id="chat-enabled")
        yield Checkbox("Private chat", self._interaction.allow_private_chat, id="private-chat")
        yield Static("", id="form-error", classes="error")

    def value(self) -> TurnSettings | None:
        """The settings, or None after showing what is wrong."""
        error = self.query_one("#form-error", Static)
        try:
            limit = parse_time_limit(self.query_one("#time-limit", Input).value)
        except ValueError as problem:
            error.update(str(problem))
            self.query_one("#time-limit", Input).focus()
            return None
        error.update("")
        return TurnSettings(
            turn_time_limit=limit,
            chat_enabled=self.query_one("#chat-enabled", Checkbox).value,
            allow_private_chat=self.query_one("#private-chat", Checkbox).value,
        )


class SettingsScreen(ModalScreen[TurnSettings | None]):
    """Change the room's turn time limit and chat settings; Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without saving.")]

    def __init__(self, interaction: Interaction) -> None:
        super().__init__()
        self._interaction = interaction

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Turn and chat settings", classes="dialog-title")
            yield Static("A new time limit applies from the next turn.", classes="hint")
            yield SettingsForm(self._interaction)
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def _save(self) -> None:
        settings = self.query_one(SettingsForm).value()
        if settings is not None:
            self.dismiss(settings)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
