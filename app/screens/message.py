"""Sending a message to the room (`m`) on one of its chat channels."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from store import Interaction
from store.limits import MAX_CHAT_LENGTH

CHANNELS = (
    ("Party", "party"),
    ("DM channel", "dm"),
    ("System notice", "system"),
    ("Private", "private"),
)


@dataclass(frozen=True)
class ChatDraft:
    """A message the game master wrote, ready for log_interaction_event."""

    channel: str
    content: str
    recipients: tuple[str, ...] = ()


class MessageScreen(ModalScreen[ChatDraft | None]):
    """Pick a channel (and recipients for a private message), write, send."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Discard the message.")]

    def __init__(self, interaction: Interaction, participants: Mapping[str, str]) -> None:
        super().__init__()
        self._interaction = interaction
        self._participants = dict(participants)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Message the room", classes="dialog-title")
            if not self._interaction.chat_enabled:
                yield Static(
                    "Chat is off in this room: only system notices go through.", classes="hint"
                )
            with Horizontal(classes="field"):
                yield Label("Channel", classes="field-label")
                yield Select(CHANNELS, value="party", allow_blank=False, id="channel", compact=True)
            yield SelectionList[str](
                *((name, user) for user, name in self._participants.items()), id="recipients"
            )
            yield Input(
                placeholder="message", id="content", max_length=MAX_CHAT_LENGTH, compact=True
            )
            yield Static("", id="form-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Send", variant="primary", id="send", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        recipients = self.query_one("#recipients", SelectionList)
        recipients.border_title = "Recipients"
        recipients.display = False
        self.query_one("#content", Input).focus()

    @on(Select.Changed, "#channel")
    def _channel_changed(self, event: Select.Changed) -> None:
        self.query_one("#recipients", SelectionList).display = event.value == "private"

    @on(Button.Pressed, "#send")
    @on(Input.Submitted)
    def _send(self) -> None:
        error = self.query_one("#form-error", Static)
        content = self.query_one("#content", Input).value
        channel = str(self.query_one("#channel", Select).value)
        recipients = tuple(self.query_one("#recipients", SelectionList).selected)
        if not content.strip():
            error.update("Write something first.")
            return
        if channel == "private" and not recipients:
            error.update(
                "A private message needs at least one recipient."
                if self._participants
                else "Nobody is connected to message privately."
            )
            return
        self.dismiss(
            ChatDraft(
                channel=channel,
                content=content,
                recipients=recipients if channel == "private" else (),
            )
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
