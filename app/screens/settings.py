"""The turn and chat settings form (`t`); its fields are also part of going live."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Input, Static

from app.screens.form import FieldError, FormScreen, field_row
from store import Interaction, InvalidInput
from store.limits import MAX_TURN_TIME_LIMIT, MIN_TURN_TIME_LIMIT
from store.validation import check_turn_time_limit

SETTINGS_STORE_FIELDS = {
    "turn_time_limit": "time-limit",
    "chat_enabled": "chat-enabled",
    "allow_private_chat": "private-chat",
}


@dataclass(frozen=True)
class TurnSettings:
    """The three settings of a room."""

    turn_time_limit: int
    chat_enabled: bool
    allow_private_chat: bool

    @classmethod
    def of(cls, interaction: Interaction) -> TurnSettings:
        """The settings `interaction` has now."""
        return cls(
            interaction.turn_time_limit, interaction.chat_enabled, interaction.allow_private_chat
        )


def parse_time_limit(text: str) -> int:
    """Seconds from the form; FieldError with a sentence a game master can act on."""
    try:
        seconds = int(text.strip())
    except ValueError:
        raise FieldError(
            "time-limit", "Turn time limit must be a whole number of seconds."
        ) from None
    try:
        return check_turn_time_limit(seconds)  # the store's rule, said as a sentence
    except InvalidInput:
        raise FieldError(
            "time-limit",
            f"Turn time limit must be 0 (untimed) or {MIN_TURN_TIME_LIMIT}–"
            f"{MAX_TURN_TIME_LIMIT} seconds, not {seconds}.",
        ) from None


def settings_fields(current: TurnSettings) -> ComposeResult:
    """Time limit, chat and private chat, filled in with `current`."""
    yield from field_row(
        "Turn time limit (s)",
        Input(
            str(current.turn_time_limit),
            id="time-limit",
            type="integer",
            max_length=5,
            compact=True,
        ),
    )
    yield Static(
        f"0 = untimed; otherwise {MIN_TURN_TIME_LIMIT}–{MAX_TURN_TIME_LIMIT} seconds.",
        classes="hint",
    )
    yield Checkbox("Chat enabled", current.chat_enabled, id="chat-enabled")
    yield Checkbox("Private chat", current.allow_private_chat, id="private-chat")


def collect_settings(screen: Screen[Any]) -> TurnSettings:
    """The settings fields' values, or FieldError."""
    return TurnSettings(
        turn_time_limit=parse_time_limit(screen.query_one("#time-limit", Input).value),
        chat_enabled=screen.query_one("#chat-enabled", Checkbox).value,
        allow_private_chat=screen.query_one("#private-chat", Checkbox).value,
    )


def form_buttons(save: str, variant: str = "primary") -> ComposeResult:
    """The form-wide error line, then the save and cancel buttons."""
    yield Static("", id="form-error", classes="error")
    with Horizontal(classes="buttons"):
        yield Button(save, variant=variant, id="save", compact=True)  # type: ignore[arg-type]
        yield Button("Cancel", id="cancel", compact=True)


class SettingsScreen(FormScreen[TurnSettings, Any]):
    """Change the room's turn time limit and chat settings."""

    STORE_FIELDS = SETTINGS_STORE_FIELDS

    def __init__(
        self, interaction: Interaction, save: Callable[[TurnSettings], Awaitable[Any]]
    ) -> None:
        """`save` writes the settings (a StoreError keeps the form open)."""
        super().__init__()
        self._interaction = interaction
        self._save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Turn and chat settings", classes="dialog-title")
            yield Static("A new time limit applies from the next turn.", classes="hint")
            yield from settings_fields(TurnSettings.of(self._interaction))
            yield from form_buttons("Save")

    def collect(self) -> TurnSettings:
        return collect_settings(self)

    async def save(self, value: TurnSettings) -> Any:
        return await self._save(value)
